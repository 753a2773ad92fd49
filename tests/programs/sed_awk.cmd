# sed and awk on repository files.
run: $RUN sh -c 'sed -n "s/^\(CC\) .*/\1/p; 1,2s/#/%/p" Makefile; awk -F: "NR <= 3 { print \$1, (length(\$0) > 0) }" /etc/passwd; awk "{ n += length(\$0) } END { print n }" tests/programs/data/words.txt'
