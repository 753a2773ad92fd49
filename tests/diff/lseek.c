/* lseek(2) whence values and errors. */
#include "check.h"

int main(void)
{
	int fd, p[2];
	char buf[8];

	enter_tmpdir();
	fd = CHECK(open("f", O_RDWR | O_CREAT, 0644));
	CHECK(write(fd, "0123456789", 10));
	CHECK(lseek(fd, 0, SEEK_END));
	CHECK(lseek(fd, -3, SEEK_END));
	CHECK(read(fd, buf, sizeof(buf)));
	CHECK(lseek(fd, 2, SEEK_SET));
	CHECK(lseek(fd, 3, SEEK_CUR));
	CHECK(lseek(fd, -1, SEEK_CUR));
	CHECK(lseek(fd, -100, SEEK_CUR));
	CHECK(lseek(fd, -1, SEEK_SET));
	CHECK(lseek(fd, 0, 42));
	CHECK(lseek(fd, 0, SEEK_CUR));
	/* Seeking past the end and writing leaves a hole that reads as 0. */
	CHECK(lseek(fd, 20, SEEK_SET));
	CHECK(write(fd, "x", 1));
	CHECK(lseek(fd, 0, SEEK_END));
	CHECK(pread(fd, buf, 1, 15));
	SAY("hole byte = %d\n", buf[0]);
	CHECK(lseek(fd, 0, SEEK_DATA));
	CHECK(close(fd));
	CHECK(lseek(fd, 0, SEEK_SET));
	CHECK(pipe(p));
	CHECK(lseek(p[0], 0, SEEK_SET));
	CHECK(lseek(p[1], 0, SEEK_CUR));
	fd = CHECK(open("/dev/null", O_RDONLY));
	CHECK(lseek(fd, 100, SEEK_SET));
	mkdir("d", 0755);
	int dfd = CHECK(open("d", O_RDONLY | O_DIRECTORY));
	CHECK(lseek(dfd, 0, SEEK_SET));
	return 0;
}
