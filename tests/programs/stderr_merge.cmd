# stderr merged into stdout by the host shell.
run: $RUN sh -c "echo out; echo err >&2; ls /nonexistent" 2>&1
