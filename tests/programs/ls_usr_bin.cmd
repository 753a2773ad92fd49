# Long listing of a large host directory (stat and getdents64).
run: $RUN ls -la /usr/bin
