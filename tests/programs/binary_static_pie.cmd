# A static PIE binary built on the host.
run: d=$(mktemp -d) && gcc -O2 -static-pie tests/programs/data/hello.c -o "$d/h" && $RUN "$d/h" static-pie; rc=$?; rm -rf "$d"; exit $rc
