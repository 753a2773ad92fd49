# A non-PIE dynamic binary built on the host.
run: mkdir -p build/tests && d=$(mktemp -d -p "$PWD/build/tests") && gcc -O2 -no-pie tests/programs/data/hello.c -o "$d/h" && $RUN "$d/h" nopie; rc=$?; rm -rf "$d"; exit $rc
