# --test-hook sentry-openat makes the sentry call openat(2) on the host.
# Its seccomp filter must kill the sentry with SIGSYS for that call, so
# moat reports the failure and exits 128+31.
. tests/lib/common.sh
require_moat_runs

rc=0
err=$(timeout 30 "$MOAT" run --test-hook sentry-openat -- /bin/true </dev/null 2>&1 >/dev/null) || rc=$?
[[ $rc == 159 ]] || fail "exit $rc, expected 159 (128 + SIGSYS)"
[[ -n $err ]] || fail "moat printed no message about the sentry's death"
finish
