# A guest killed by SIGSEGV gives exit status 128+11.
run: $RUN /bin/sh -c 'ulimit -c 0; kill -SEGV $$'
