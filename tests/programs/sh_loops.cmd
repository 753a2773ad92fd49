# Loops, case, functions and arithmetic in sh.
run: $RUN sh -c 'f() { echo "f $1"; return $(($1 % 3)); }; i=0; while [ $i -lt 5 ]; do f $i; echo "rc $?"; i=$((i + 1)); done; for w in a b c; do case $w in b) echo bee;; *) echo $w;; esac; done'
