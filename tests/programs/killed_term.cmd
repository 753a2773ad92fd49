# A guest killed by SIGTERM gives exit status 128+15.
run: $RUN sh -c 'kill -TERM $$'
