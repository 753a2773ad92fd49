# moat's own usage errors exit 125 with a message on stderr.
. tests/lib/common.sh

# Run moat with ARGS and check for exit status 125 and a message.
expect_usage_error() {
	local rc=0 err
	err=$(timeout 30 "$MOAT" "$@" </dev/null 2>&1 >/dev/null) || rc=$?
	if [[ $rc != 125 ]]; then
		fail "moat $*: exit $rc, expected 125"
	elif [[ -z $err ]]; then
		fail "moat $*: exit 125 but no message on stderr"
	fi
}

missing_dir=$TEST_TMP/no-such-dir
expect_usage_error
expect_usage_error run
expect_usage_error run --
expect_usage_error no-such-subcommand -- /bin/true
expect_usage_error run --no-such-option -- /bin/true
expect_usage_error run --rootfs "$missing_dir" -- /bin/true
expect_usage_error run --rootfs
expect_usage_error run --volume bogus -- /bin/true
expect_usage_error run --volume "$TEST_TMP:" -- /bin/true
expect_usage_error run --volume ":/mnt/x" -- /bin/true
expect_usage_error run --volume "$TEST_TMP:/mnt/x:rw-ish" -- /bin/true
expect_usage_error run --volume "$missing_dir:/mnt/x" -- /bin/true
expect_usage_error run --env NOEQUALS -- /bin/true
expect_usage_error run --cwd
finish
