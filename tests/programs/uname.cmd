# uname -a: the guest reports the same system as the host.
run: $RUN uname -a
