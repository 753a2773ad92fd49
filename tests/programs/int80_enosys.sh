# A 32-bit system call (int 0x80) from a 64-bit program gets ENOSYS inside
# Moat instead of running whatever 64-bit call has the same number.
. tests/lib/common.sh
require_moat_runs

bin=$TEST_BUILD/int80
mkdir -p "$TEST_BUILD"
gcc -O2 -o "$bin" tests/programs/data/int80.c || fail "cannot build int80.c"
out=$(timeout 30 "$MOAT" run -- "$bin" </dev/null 2>&1)
[[ $out == "int80 getpid -> -38" ]] || fail "int 0x80 result: '$out', expected -38 (ENOSYS)"
finish
