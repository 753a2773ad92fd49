# sort | uniq -c inside the sandbox.
run: $RUN sh -c "sort tests/programs/data/words.txt | uniq -c"
