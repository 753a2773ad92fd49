# wc counts on repository files.
run: $RUN wc Makefile tests/programs/data/words.txt
