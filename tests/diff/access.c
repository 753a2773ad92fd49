/* access(2) and faccessat(2). The test runs as root, where R_OK and W_OK
 * always succeed but X_OK needs an execute bit. */
#include "check.h"

int main(void)
{
	enter_tmpdir();
	write_file("plain", "x", 0644);
	write_file("exec", "x", 0755);
	write_file("none", "x", 0000);
	mkdir("d", 0755);

	CHECK(access("plain", F_OK));
	CHECK(access("plain", R_OK | W_OK));
	CHECK(access("plain", X_OK));
	CHECK(access("exec", X_OK));
	CHECK(access("none", R_OK));
	CHECK(access("none", X_OK));
	CHECK(access("d", X_OK));
	CHECK(access("missing", F_OK));
	CHECK(access("plain/x", F_OK));
	CHECK(access("plain", 0x10));
	CHECK(access("/proc/self", R_OK));

	int dirfd = CHECK(open("d", O_RDONLY | O_DIRECTORY));
	write_file("d/inner", "x", 0600);
	CHECK(faccessat(dirfd, "inner", R_OK, 0));
	CHECK(faccessat(dirfd, "inner", X_OK, AT_EACCESS));
	CHECK(faccessat(dirfd, "gone", F_OK, 0));
	CHECK(faccessat(AT_FDCWD, "plain", F_OK, 0x1234));
	symlink("missing", "dangling");
	CHECK(faccessat(AT_FDCWD, "dangling", F_OK, 0));
	CHECK(faccessat(AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
	CHECK(syscall(SYS_faccessat2, AT_FDCWD, "plain", R_OK, 0) == 0);
	return 0;
}
