# A PIE dynamic binary built on the host.
# The binary is built under build/ because the sandbox has its own /tmp.
run: mkdir -p build/tests && d=$(mktemp -d -p "$PWD/build/tests") && gcc -O2 -fPIE -pie tests/programs/data/hello.c -o "$d/h" && $RUN "$d/h" pie; rc=$?; rm -rf "$d"; exit $rc
