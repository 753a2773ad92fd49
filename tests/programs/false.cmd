# A non-zero exit status is passed through.
run: $RUN /bin/false
