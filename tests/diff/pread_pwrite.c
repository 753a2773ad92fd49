/* pread(2)/pwrite(2) use explicit offsets and leave the file offset. */
#include "check.h"

int main(void)
{
	char buf[32] = {0};
	int fd, p[2];

	enter_tmpdir();
	fd = CHECK(open("f", O_RDWR | O_CREAT, 0644));
	CHECK(write(fd, "abcdefghij", 10));
	CHECK(pread(fd, buf, 3, 2));
	SAY("pread = %s\n", buf);
	CHECK(lseek(fd, 0, SEEK_CUR));
	CHECK(pwrite(fd, "XY", 2, 4));
	CHECK(lseek(fd, 0, SEEK_CUR));
	CHECK(pread(fd, buf, sizeof(buf) - 1, 0));
	SAY("content = %s\n", buf);
	CHECK(pread(fd, buf, 4, 100));
	CHECK(pwrite(fd, "Z", 1, 15));
	struct stat st;
	CHECK(fstat(fd, &st));
	SAY("size = %ld\n", (long)st.st_size);
	memset(buf, 1, sizeof(buf));
	CHECK(pread(fd, buf, 6, 10));
	SAY("hole bytes = %d %d %d %d %d, last = %c\n", buf[0], buf[1], buf[2],
	    buf[3], buf[4], buf[5]);
	CHECK(pread(fd, buf, 1, -1));
	CHECK(pwrite(fd, "x", 1, -5));

	/* pwrite on an O_APPEND file appends on Linux. */
	int app = CHECK(open("f", O_WRONLY | O_APPEND));
	CHECK(pwrite(app, "END", 3, 0));
	CHECK(fstat(fd, &st));
	SAY("size after append pwrite = %ld\n", (long)st.st_size);
	CHECK(close(app));

	CHECK(pipe(p));
	CHECK(pread(p[0], buf, 1, 0));
	CHECK(pwrite(p[1], "x", 1, 0));
	CHECK(close(fd));
	return 0;
}
