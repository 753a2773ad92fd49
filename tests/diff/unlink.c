/* unlink(2) and unlinkat(2). */
#include "check.h"

int main(void)
{
	char buf[16] = {0};
	int fd;

	enter_tmpdir();
	write_file("f", "still here\n", 0644);
	mkdir("d", 0755);
	mkdir("full", 0755);
	write_file("full/x", "", 0644);
	symlink("f", "l");

	fd = CHECK(open("f", O_RDONLY));
	CHECK(unlink("f"));
	CHECK(access("f", F_OK));
	/* An unlinked file stays readable through an open descriptor. */
	CHECK(read(fd, buf, sizeof(buf) - 1));
	SAY("read after unlink = %s", buf);
	struct stat st;
	CHECK(fstat(fd, &st));
	SAY("nlink after unlink = %ld\n", (long)st.st_nlink);
	CHECK(close(fd));

	CHECK(unlink("f"));
	CHECK(unlink("d"));
	CHECK(unlink("l"));
	CHECK(lstat("l", &st));
	CHECK(unlink("full/x/y"));
	CHECK(unlink(""));
	CHECK(unlinkat(AT_FDCWD, "d", 0));
	CHECK(unlinkat(AT_FDCWD, "full", AT_REMOVEDIR));
	CHECK(unlinkat(AT_FDCWD, "d", AT_REMOVEDIR));
	int dirfd = CHECK(open("full", O_RDONLY | O_DIRECTORY));
	CHECK(unlinkat(dirfd, "x", AT_REMOVEDIR));
	CHECK(unlinkat(dirfd, "x", 0));
	CHECK(unlinkat(dirfd, "x", 0));
	CHECK(unlinkat(AT_FDCWD, "full", 0x1));
	CHECK(unlinkat(AT_FDCWD, "full", AT_REMOVEDIR));
	return 0;
}
