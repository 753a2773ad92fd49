/* close(2), dup(2), dup2(2) and dup3(2). */
#include "check.h"

int main(void)
{
	int fd, copy;
	char buf[8] = {0};

	enter_tmpdir();
	write_file("f", "abcdef", 0644);
	fd = CHECK(open("f", O_RDONLY));
	CHECK(close(fd));
	CHECK(close(fd));
	CHECK(close(-1));

	fd = CHECK(open("f", O_RDONLY));
	copy = CHECK(dup(fd));
	/* Duplicates share the file offset. */
	CHECK(read(fd, buf, 2));
	CHECK(read(copy, buf, 2));
	SAY("read via dup = %s\n", buf);
	CHECK(lseek(fd, 0, SEEK_CUR));
	CHECK(dup(999));

	CHECK(dup2(fd, 10));
	CHECK(fcntl(10, F_GETFD));
	CHECK(dup2(fd, fd));
	CHECK(dup2(999, 11));
	CHECK(dup2(fd, -1));
	CHECK(dup2(fd, 1 << 30));
	CHECK(dup3(fd, fd, 0));
	CHECK(dup3(fd, 12, O_CLOEXEC));
	CHECK(fcntl(12, F_GETFD));
	CHECK(dup3(fd, 13, O_APPEND));
	/* dup2 onto an open descriptor closes it first. */
	int other = CHECK(open("/dev/null", O_RDONLY));
	CHECK(dup2(fd, other));
	CHECK(lseek(other, 0, SEEK_CUR));
	/* Closing one copy leaves the other usable. */
	CHECK(close(fd));
	CHECK(read(copy, buf, 2));
	CHECK(close(copy));
	CHECK(close(10));
	CHECK(close(12));
	CHECK(close(other));
	/* The lowest free number is reused. */
	fd = CHECK(open("f", O_RDONLY));
	CHECK(dup(0));
	return 0;
}
