# A plain dynamic binary with one argument.
run: $RUN /bin/echo hello
