# Symlinks and ".." inside a --rootfs directory must not reach files
# outside it. A secret file sits next to the rootfs, and the guest reads
# it through every kind of escaping path but must never see its contents.
. tests/lib/common.sh
require_moat_runs

base=$TEST_TMP
root=$base/root
secret="moat-secret-$RANDOM$RANDOM$RANDOM"
echo "$secret" >"$base/secret.txt"
build_busybox_rootfs "$root"
echo "inside" >"$root/control.txt"
mkdir -p "$root/etc/sub" "$root/nested/deeper"

# Absolute targets are resolved from the rootfs's own root.
ln -s "$base/secret.txt" "$root/abs"
ln -s "/etc/../../..$base/secret.txt" "$root/etc_dotdot"
ln -s "$base" "$root/abs_dir"
# Relative targets with ".." must stop at the rootfs's root.
ln -s ../secret.txt "$root/rel"
ln -s "../../../../../../../..$base/secret.txt" "$root/rel_deep"
ln -s .. "$root/up"
ln -s ../../.. "$root/nested/deeper/up3"
ln -s ../../secret.txt "$root/etc/sub/end"
# A chain of links, and a link to a link directory in the middle of a path.
ln -s chain2 "$root/chain1"
ln -s up/secret.txt "$root/chain2"
ln -s nested/deeper/up3 "$root/mid"

paths=(
	/abs /etc_dotdot /abs_dir/secret.txt /rel /rel_deep /up/secret.txt
	/up/up/secret.txt /nested/deeper/up3/secret.txt /etc/sub/end /chain1
	/mid/secret.txt /mid/up/secret.txt /../secret.txt /../../../secret.txt
	"/..$base/secret.txt" /bin/../../secret.txt "$base/secret.txt"
	"/proc/self/root$base/secret.txt" /proc/self/cwd/../secret.txt
	"/proc/1/root$base/secret.txt"
)
script='cat /control.txt; for p in "$@"; do echo "== $p"; cat "$p" 2>&1; done; echo "== ls"; ls / /up /mid 2>&1'

out=$(timeout 30 "$MOAT" run --rootfs "$root" --cwd / -- /bin/sh -c "$script" sh "${paths[@]}" </dev/null 2>&1)
rc=$?
[[ $(head -n 1 <<<"$out") == inside ]] ||
	fail "the rootfs control file was not readable (exit $rc): $(head -n 3 <<<"$out")"

current=""
while IFS= read -r line; do
	if [[ $line == "== "* ]]; then
		current=${line#== }
	elif [[ $line == *"$secret"* ]]; then
		fail "$current showed the secret outside the rootfs"
	elif [[ $current == ls && $line == *secret.txt* ]]; then
		fail "a directory listing showed secret.txt: $line"
	fi
done <<<"$out"
finish
