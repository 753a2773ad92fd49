# /proc and /dev basics seen by common tools.
run: $RUN sh -c 'head -c 4 /dev/zero | od -An -tx1; echo x > /dev/null && echo null ok; grep -c ^processor /proc/cpuinfo > /dev/null && echo cpuinfo ok; test -r /proc/self/status && echo status ok; readlink /proc/self/exe'
