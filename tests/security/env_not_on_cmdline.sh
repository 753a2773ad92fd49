# The guest's environment and command reach the sentry through a memfd,
# not its command line, which every host user can read in
# /proc/PID/cmdline.
. tests/lib/common.sh
require_moat_runs

secret=SECRET_TOKEN=moat-test-$$-xyz
marker=moat-arg-marker-$$
"$MOAT" run --env "$secret" -- /bin/sh -c "sleep 3" "$marker" </dev/null &
moat_pid=$!

# Wait for the sentry, a descendant of the supervisor named moat-sentry.
sentry=
for _ in $(seq 50); do
	for pid in $(descendants "$moat_pid"); do
		if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == moat-sentry ]]; then
			sentry=$pid
			break 2
		fi
	done
	sleep 0.1
done

if [[ -z $sentry ]]; then
	fail "no moat-sentry process appeared below the supervisor (pid $moat_pid)"
else
	cmdline=$(tr '\0' ' ' <"/proc/$sentry/cmdline")
	[[ $cmdline == *moat-test-$$-xyz* ]] &&
		fail "the sentry's command line contains the --env value: $cmdline"
	[[ $cmdline == *"$marker"* ]] &&
		fail "the sentry's command line contains the guest's arguments: $cmdline"
	[[ $cmdline == *--exec-fd* ]] ||
		fail "the sentry's command line has no --exec-fd: $cmdline"
	environ=$(tr '\0' ' ' <"/proc/$sentry/environ")
	[[ $environ == *moat-test-$$-xyz* ]] &&
		fail "the sentry's own environment contains the --env value"
fi
wait "$moat_pid" || fail "moat run sleep exited with status $?"
finish
