# moat runs for a non-root caller: the supervisor enters a user namespace
# and the gofer binds the served directories recursively there. Needs root
# to switch to nobody, setpriv, and user namespaces for unprivileged users.
. tests/lib/common.sh
require_moat_runs

[[ $(id -u) == 0 ]] || skip "needs root to run moat as nobody"
command -v setpriv >/dev/null || skip "setpriv is not installed"
as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
"${as_nobody[@]}" unshare --user true 2>/dev/null ||
	skip "user namespaces are not available to unprivileged users here"

# nobody must be able to execute moat and enter its working directory.
dir=$(mktemp -d /var/tmp/moat-nonroot.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cp "$MOAT" "$dir/moat"
chmod 755 "$dir" "$dir/moat"
mkdir "$dir/vol"
chown 65534:65534 "$dir/vol"
echo "file for nobody" >"$dir/file.txt"
chmod 644 "$dir/file.txt"

out=$(cd "$dir" && timeout 30 "${as_nobody[@]}" ./moat run \
	--volume "$dir/vol:/v" --volume "$dir/file.txt:/f.txt:ro" -- \
	/bin/sh -c 'echo hi; cat /f.txt; echo made >/v/new; cat /etc/shadow >/dev/null 2>&1 || echo "shadow denied"' \
	</dev/null 2>&1) || fail "moat run as nobody failed: $out"
expected="hi
file for nobody
shadow denied"
[[ $out == "$expected" ]] || fail "moat run as nobody: got '$out'"
[[ $(cat "$dir/vol/new" 2>/dev/null) == made ]] ||
	fail "a write to a volume as nobody did not reach the host"
[[ $(stat -c %u "$dir/vol/new" 2>/dev/null) == 65534 ]] ||
	fail "a file the guest made as nobody is not owned by nobody on the host"
finish
