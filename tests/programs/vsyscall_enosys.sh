# Calls into the legacy vsyscall page, which the host kernel would emulate
# without a ptrace stop, fail with ENOSYS instead of reaching the host.
. tests/lib/common.sh
require_moat_runs

bin=$TEST_BUILD/vsyscall
mkdir -p "$TEST_BUILD"
gcc -O2 -o "$bin" tests/programs/data/vsyscall.c || fail "cannot build vsyscall.c"
out=$(timeout 30 "$MOAT" run -- "$bin" </dev/null 2>&1)
[[ $out == "vsyscall gettimeofday -> -38, time -> an error" ]] ||
	fail "vsyscall result: '$out', expected ENOSYS (-38) for both"
finish
