# stdout redirected to a host file.
run: f=$(mktemp) && $RUN /bin/echo to a file > "$f" && $RUN sh -c "echo appended" >> "$f" && cat "$f"; rm -f "$f"
