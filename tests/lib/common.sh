# Helpers for the scripted tests (tests/programs/*.sh, tests/security/*.sh).
# tests/run-all runs each script with MOAT (absolute path to the binary
# under test), ROOT (repository root, also the cwd), TEST_BUILD and TEST_TMP
# (a scratch directory removed afterwards) set. A script exits 0 to pass,
# 77 to skip and 1 to fail, and its last output line is the reason.
set -u

failures=0

# Record a failed check. Each failed check prints its own line.
fail() {
	echo "$*"
	failures=$((failures + 1))
}

skip() {
	echo "$*"
	exit 77
}

# Exit with the verdict of all checks so far.
finish() {
	if [[ $failures -gt 0 ]]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	exit 0
}

# Fail the test now unless moat can run /bin/true.
require_moat_runs() {
	local rc=0
	timeout 30 "$MOAT" run -- /bin/true </dev/null >/dev/null 2>&1 || rc=$?
	if [[ $rc != 0 ]]; then
		echo "moat cannot run /bin/true (exit $rc)"
		exit 1
	fi
}

# Skip the test unless moat runs programs and keeps their writes to the host
# root file system out of the host. Run before any test whose guest command
# would damage the host if it ran natively.
require_isolation() {
	local probe_dir rc=0
	timeout 30 "$MOAT" run -- /bin/true </dev/null >/dev/null 2>&1 || rc=$?
	[[ $rc == 0 ]] || skip "moat cannot run /bin/true (exit $rc)"

	# /tmp is a tmpfs inside moat, so the probe goes elsewhere on the host
	# root to exercise the writable overlay.
	probe_dir=$(mktemp -d /var/tmp/moat-probe-XXXXXX)
	rc=0
	timeout 30 "$MOAT" run -- /bin/sh -c "echo probe > '$probe_dir/probe'" \
		</dev/null >/dev/null 2>&1 || rc=$?
	if [[ -e $probe_dir/probe ]]; then
		rm -rf "$probe_dir"
		skip "a write probe under moat reached the host, so moat does not isolate writes"
	fi
	rm -rf "$probe_dir"
	[[ $rc == 0 ]] || skip "the write probe failed under moat (exit $rc)"
}

# Print the PIDs of all descendants of PID, one per line.
descendants() {
	local pid=$1 child
	for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
		echo "$child"
		descendants "$child"
	done
}
