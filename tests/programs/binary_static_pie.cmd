# A static PIE binary built on the host.
run: mkdir -p build/tests && d=$(mktemp -d -p "$PWD/build/tests") && gcc -O2 -static-pie tests/programs/data/hello.c -o "$d/h" && $RUN "$d/h" static-pie; rc=$?; rm -rf "$d"; exit $rc
