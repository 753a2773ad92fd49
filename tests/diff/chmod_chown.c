/* chmod(2), fchmod(2), fchmodat(2), chown(2) and friends, as root. */
#include "check.h"

static void show(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		printf("%s: %s\n", path, errno_name(errno));
		return;
	}
	printf("%s: mode=%o uid=%d gid=%d\n", path, st.st_mode & 07777,
	       (int)st.st_uid, (int)st.st_gid);
}

int main(void)
{
	int fd;

	enter_tmpdir();
	write_file("f", "x", 0644);
	symlink("f", "l");

	CHECK(chmod("f", 0600));
	show("f");
	CHECK(chmod("f", 04755));
	show("f");
	CHECK(chmod("l", 0640));
	show("f");
	CHECK(chmod("missing", 0644));
	fd = CHECK(open("f", O_RDONLY));
	CHECK(fchmod(fd, 0444));
	show("f");
	CHECK(fchmodat(AT_FDCWD, "f", 0664, 0));
	show("f");
	CHECK(fchmodat(AT_FDCWD, "l", 0664, AT_SYMLINK_NOFOLLOW));
	CHECK(fchmod(999, 0644));

	CHECK(chown("f", 1234, 5678));
	show("f");
	CHECK(fchown(fd, 42, -1));
	show("f");
	CHECK(lchown("l", 7, 8));
	show("l");
	show("f");
	CHECK(fchownat(AT_FDCWD, "f", 0, 0, 0));
	show("f");
	CHECK(chown("missing", 0, 0));
	/* chown clears the set-user-ID bit. */
	CHECK(chmod("f", 06755));
	CHECK(chown("f", 1, 1));
	show("f");
	CHECK(close(fd));
	return 0;
}
