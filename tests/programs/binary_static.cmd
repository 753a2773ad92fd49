# A static binary built on the host.
run: d=$(mktemp -d) && gcc -O2 -static tests/programs/data/hello.c -o "$d/h" && $RUN "$d/h" static; rc=$?; rm -rf "$d"; exit $rc
