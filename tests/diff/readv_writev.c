/* Vectored I/O: readv/writev/preadv/pwritev. */
#include "check.h"
#include <sys/uio.h>

int main(void)
{
	char a[4] = {0}, b[8] = {0}, c[4] = {0};
	struct iovec out[3] = {
		{"one", 3}, {"", 0}, {"-two-three", 10},
	};
	struct iovec in[3] = {{a, 3}, {b, 7}, {c, 3}};
	int fd;

	enter_tmpdir();
	fd = CHECK(open("f", O_RDWR | O_CREAT, 0644));
	CHECK(writev(fd, out, 3));
	CHECK(lseek(fd, 0, SEEK_SET));
	CHECK(readv(fd, in, 3));
	SAY("a=%s b=%s c=%s\n", a, b, c);
	CHECK(pwritev(fd, out, 1, 20));
	memset(a, 0, sizeof(a));
	CHECK(preadv(fd, in, 1, 20));
	SAY("a=%s\n", a);
	CHECK(lseek(fd, 0, SEEK_CUR));
	CHECK(writev(fd, out, -1));
	CHECK(writev(fd, out, 0));
	CHECK(readv(fd, in, IOV_MAX + 1));
	struct iovec bad = {(void *)1, 10};
	CHECK(writev(fd, &bad, 1));
	CHECK(close(fd));
	CHECK(writev(fd, out, 1));
	return 0;
}
