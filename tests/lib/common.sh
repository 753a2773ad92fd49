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

# Build a minimal root file system in DIR: /bin/busybox with the shared
# libraries it needs (Debian's busybox is dynamically linked), /bin/sh and
# a few applet links.
build_busybox_rootfs() {
	local dir=$1 lib applet
	mkdir -p "$dir/bin" "$dir/tmp" "$dir/etc" "$dir/proc" "$dir/dev"
	cp /bin/busybox "$dir/bin/busybox"
	for lib in $(ldd /bin/busybox | grep -o '/[^ ]*'); do
		mkdir -p "$dir$(dirname "$lib")"
		cp -L "$lib" "$dir$lib"
	done
	for applet in sh cat ls echo readlink; do
		ln -s busybox "$dir/bin/$applet"
	done
	echo "root:x:0:0:root:/:/bin/sh" >"$dir/etc/passwd"
}

# Start "moat run -- /bin/sleep 10" in the background, find its descendant
# process named COMM and check that it runs under a seccomp filter, with
# no_new_privs and without capabilities. Each failed check is one line.
# check_confined COMM [CAPS]: the process named COMM under a running moat
# has seccomp filter mode, no_new_privs, and exactly the capability set
# CAPS (hex, as in /proc/PID/status; default none) effective and bounding.
check_confined() {
	local comm=$1 capeff=${2:-0000000000000000} moat_pid pid found="" status i
	timeout 30 "$MOAT" run -- /bin/sleep 10 </dev/null >/dev/null 2>&1 &
	moat_pid=$!
	for i in $(seq 100); do
		for pid in $(descendants "$moat_pid"); do
			if [[ $(cat /proc/"$pid"/comm 2>/dev/null) == "$comm" ]]; then
				found=$pid
				break 2
			fi
		done
		sleep 0.1
	done
	if [[ -z $found ]]; then
		kill "$moat_pid" 2>/dev/null
		wait "$moat_pid" 2>/dev/null
		fail "no $comm process among the descendants of moat within 10 s"
		return
	fi

	status=$(cat /proc/"$found"/status)
	grep -qx $'Seccomp:\t2' <<<"$status" ||
		fail "$comm: $(grep '^Seccomp:' <<<"$status"), expected 2 (filter mode)"
	grep -qx $'NoNewPrivs:\t1' <<<"$status" ||
		fail "$comm: $(grep '^NoNewPrivs:' <<<"$status"), expected 1"
	grep -qx $'CapEff:\t'"$capeff" <<<"$status" ||
		fail "$comm: $(grep '^CapEff:' <<<"$status"), expected $capeff"
	grep -qx $'CapBnd:\t'"$capeff" <<<"$status" ||
		fail "$comm: $(grep '^CapBnd:' <<<"$status"), expected $capeff"
	kill "$moat_pid" 2>/dev/null
	wait "$moat_pid" 2>/dev/null
}
