# sort with the inherited locale.
run: $RUN sort tests/programs/data/words.txt
