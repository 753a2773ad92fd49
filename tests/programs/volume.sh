# --volume HOST:GUEST shares a host directory or regular file read-write,
# and :ro makes it read-only (EROFS) inside the guest.
. tests/lib/common.sh
require_moat_runs

host=$TEST_TMP/shared
mkdir -p "$host"
echo "from host" >"$host/in.txt"
guest=/mnt/moat-volume

out=$(timeout 30 "$MOAT" run --volume "$host:$guest" -- \
	/bin/sh -c "cat $guest/in.txt && echo 'from guest' > $guest/out.txt && mkdir $guest/made && rm $guest/in.txt" \
	</dev/null 2>&1) || fail "read-write volume run failed: $out"
[[ $out == "from host" ]] || fail "guest read '$out' from the volume, expected 'from host'"
[[ $(cat "$host/out.txt" 2>/dev/null) == "from guest" ]] ||
	fail "a file written by the guest did not reach the host directory"
[[ -d $host/made ]] || fail "a directory made by the guest did not reach the host"
[[ ! -e $host/in.txt ]] || fail "a file removed by the guest still exists on the host"

echo "keep" >"$host/ro.txt"
out=$(timeout 30 "$MOAT" run --volume "$host:$guest:ro" -- /usr/bin/python3 -c "
import errno, os
def attempt(what, fn):
    try:
        fn()
        print(what, 'ok')
    except OSError as e:
        print(what, errno.errorcode[e.errno])
print(open('$guest/ro.txt').read().strip())
attempt('create', lambda: open('$guest/new.txt', 'w'))
attempt('write', lambda: open('$guest/ro.txt', 'a'))
attempt('unlink', lambda: os.unlink('$guest/ro.txt'))
attempt('mkdir', lambda: os.mkdir('$guest/d'))
" </dev/null 2>&1) || fail "read-only volume run failed: $out"
expected="keep
create EROFS
write EROFS
unlink EROFS
mkdir EROFS"
[[ $out == "$expected" ]] || fail "read-only volume: got '$out'"
[[ ! -e $host/new.txt && ! -e $host/d && $(cat "$host/ro.txt") == keep ]] ||
	fail "the host directory changed through a read-only volume"

# A single file, on a file that exists in the rootfs and on a new path.
file=$TEST_TMP/file.txt
echo "file from host" >"$file"
out=$(timeout 30 "$MOAT" run --volume "$file:/etc/hostname" \
	--volume "$file:/mnt/moat-new-dir/copy.txt:ro" -- /bin/sh -c '
		cat /etc/hostname
		[ -f /etc/hostname ] && echo "is a file"
		cat /mnt/moat-new-dir/copy.txt
		echo "appended" >>/etc/hostname
		(echo x >/mnt/moat-new-dir/copy.txt) 2>/dev/null || echo "ro write failed"
		rm /etc/hostname 2>/dev/null || echo "rm failed"
	' </dev/null 2>&1) || fail "file volume run failed: $out"
expected="file from host
is a file
file from host
ro write failed
rm failed"
[[ $out == "$expected" ]] || fail "file volume: got '$out'"
[[ $(cat "$file") == "file from host
appended" ]] || fail "a write to a read-write file volume did not reach the host: '$(cat "$file")'"

# A file cannot be mounted on a directory, nor a directory on a file.
rc=0
err=$(timeout 30 "$MOAT" run --volume "$file:/etc" -- /bin/true </dev/null 2>&1) || rc=$?
[[ $rc == 125 ]] || fail "a file volume on /etc: exit $rc, expected 125"
[[ $err == *"file mount point /etc"* ]] || fail "a file volume on /etc: message '$err'"
rc=0
err=$(timeout 30 "$MOAT" run --volume "$host:/etc/hostname" -- /bin/true </dev/null 2>&1) || rc=$?
[[ $rc == 125 ]] || fail "a directory volume on /etc/hostname: exit $rc, expected 125"
[[ $err == *"directory mount point /etc/hostname"* ]] ||
	fail "a directory volume on /etc/hostname: message '$err'"
finish
