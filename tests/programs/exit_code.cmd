# An arbitrary exit status from a shell.
run: $RUN sh -c "exit 42"
