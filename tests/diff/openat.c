/* openat(2) and friends relative to directory descriptors. */
#include "check.h"

int main(void)
{
	int dirfd, filefd, fd;
	char buf[16] = {0};

	enter_tmpdir();
	mkdir("d", 0755);
	mkdir("d/sub", 0755);
	write_file("d/f", "in d\n", 0644);
	write_file("top", "top\n", 0644);

	dirfd = CHECK(open("d", O_RDONLY | O_DIRECTORY));
	fd = CHECK(openat(dirfd, "f", O_RDONLY));
	CHECK(read(fd, buf, sizeof(buf) - 1));
	SAY("read = %s", buf);
	CHECK(close(fd));
	fd = CHECK(openat(dirfd, "sub/../f", O_RDONLY));
	CHECK(close(fd));
	fd = CHECK(openat(dirfd, "../top", O_RDONLY));
	CHECK(close(fd));
	fd = CHECK(openat(AT_FDCWD, "top", O_RDONLY));
	CHECK(close(fd));
	CHECK(openat(dirfd, "top", O_RDONLY));
	fd = CHECK(openat(dirfd, "new", O_CREAT | O_WRONLY, 0644));
	CHECK(close(fd));
	CHECK(access("d/new", F_OK));

	/* An absolute path ignores the directory descriptor, even a bad one. */
	fd = CHECK(openat(12345, "/dev/null", O_RDONLY));
	CHECK(close(fd));
	CHECK(openat(12345, "f", O_RDONLY));
	filefd = CHECK(open("top", O_RDONLY));
	CHECK(openat(filefd, "x", O_RDONLY));
	CHECK(mkdirat(dirfd, "made", 0755));
	CHECK(access("d/made", F_OK));
	CHECK(unlinkat(dirfd, "made", AT_REMOVEDIR));
	CHECK(syscall(SYS_openat2, dirfd, "f", NULL, 0) < 0);
	CHECK(close(filefd));
	CHECK(close(dirfd));
	return 0;
}
