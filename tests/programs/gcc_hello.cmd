# gcc compiles and links inside the sandbox, then runs the result.
run: $RUN sh -c 'd=$(mktemp -d) && gcc -O2 tests/programs/data/hello.c -o "$d/hello" && "$d/hello" a b; rc=$?; rm -rf "$d"; exit $rc'
