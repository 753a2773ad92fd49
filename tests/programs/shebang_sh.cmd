# A #! script run directly, with arguments.
run: $RUN tests/programs/data/script.sh one "two words"
