# head and tail, including tail of a large file.
run: $RUN sh -c "head -n 3 Makefile; tail -n 2 tests/programs/data/words.txt; tail -c 100 /usr/bin/env | wc -c"
