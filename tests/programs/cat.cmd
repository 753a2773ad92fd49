# cat of repository files.
run: $RUN cat Makefile tests/programs/data/words.txt
