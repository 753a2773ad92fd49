# A PIE dynamic binary built on the host.
run: d=$(mktemp -d) && gcc -O2 -fPIE -pie tests/programs/data/hello.c -o "$d/h" && $RUN "$d/h" pie; rc=$?; rm -rf "$d"; exit $rc
