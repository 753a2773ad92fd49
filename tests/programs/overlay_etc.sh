# Writes to the read-only host root land in moat's in-memory overlay: the
# guest sees them, the host does not. The guest commands here would damage
# the host if run natively, so they run only after require_isolation.
. tests/lib/common.sh
require_isolation

# Victim files that this test creates on the host, so a broken overlay
# damages nothing else.
victim_dir=$(mktemp -d /var/tmp/moat-overlay-XXXXXX)
etc_victim=$(mktemp /etc/moat-overlay-XXXXXX)
trap 'rm -rf "$victim_dir" "$etc_victim"' EXIT
echo original >"$victim_dir/file"
echo original >"$etc_victim"
probe=/etc/moat-probe-$$

out=$(timeout 30 "$MOAT" run -- /bin/sh -c "
	echo x > $probe && cat $probe
	echo changed > $etc_victim && echo appended >> $etc_victim && cat $etc_victim
	rm $victim_dir/file && test ! -e $victim_dir/file && echo removed
	mkdir /usr/moat-probe-dir && echo dir made
" </dev/null 2>&1) || fail "guest commands failed: $out"
expected="x
changed
appended
removed
dir made"
[[ $out == "$expected" ]] || fail "guest saw '$out'"

[[ ! -e $probe ]] || { rm -f "$probe"; fail "$probe written in the guest appeared on the host"; }
[[ $(cat "$etc_victim") == original ]] || fail "$etc_victim changed on the host"
[[ $(cat "$victim_dir/file" 2>/dev/null) == original ]] ||
	fail "$victim_dir/file removed in the guest is gone from the host"
[[ ! -e /usr/moat-probe-dir ]] || { rmdir /usr/moat-probe-dir; fail "/usr/moat-probe-dir appeared on the host"; }

# A second run starts from the host state again.
out=$(timeout 30 "$MOAT" run -- /bin/sh -c "cat $etc_victim; test -e $probe && echo probe persisted" </dev/null 2>&1)
[[ $out == original ]] || fail "a second run saw '$out', expected the host file only"
finish
