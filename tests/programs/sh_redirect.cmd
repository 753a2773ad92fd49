# sh redirections: >, >>, 2>&1, < and a file descriptor swap.
run: $RUN sh -c 'f=$(mktemp) && echo one > "$f" && echo two >> "$f" && ls /nonexistent >> "$f" 2>&1; wc -l < "$f"; cat < "$f" | head -n 2; (echo out; echo err >&2) 3>&1 1>&2 2>&3 | tr a-z A-Z; rm -f "$f"'
