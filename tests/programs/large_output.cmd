# A few megabytes through stdout.
run: $RUN sh -c "seq 1 300000" | sha256sum
