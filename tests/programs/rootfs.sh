# --rootfs DIR runs the guest in a small busybox root file system.
. tests/lib/common.sh
require_moat_runs

root=$TEST_TMP/root
build_busybox_rootfs "$root"
echo "inside the rootfs" >"$root/hello.txt"

out=$(timeout 30 "$MOAT" run --rootfs "$root" --cwd / -- /bin/sh -c \
	'cat /hello.txt; ls /bin/busybox; test -e /usr/bin/python3 && echo "host python visible"; echo x > /tmp/scratch && cat /tmp/scratch' \
	</dev/null 2>&1)
rc=$?
[[ $rc == 0 ]] || fail "rootfs run: exit $rc, output: $out"
expected="inside the rootfs
/bin/busybox
x"
[[ $out == "$expected" ]] || fail "rootfs run printed '$out'"

rc=0
timeout 30 "$MOAT" run --rootfs "$root" -- /bin/sh -c 'exit 7' </dev/null >/dev/null 2>&1 || rc=$?
[[ $rc == 7 ]] || fail "exit status in the rootfs: $rc, expected 7"
rc=0
timeout 30 "$MOAT" run --rootfs "$root" -- /usr/bin/env true </dev/null >/dev/null 2>&1 || rc=$?
[[ $rc != 0 ]] || fail "/usr/bin/env from the host ran inside the rootfs"
finish
