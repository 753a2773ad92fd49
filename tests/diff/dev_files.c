/* /dev/null, /dev/zero, /dev/full and /dev/urandom. */
#include "check.h"
#include <sys/mman.h>

int main(void)
{
	char buf[64];
	struct stat st;
	int fd;

	fd = CHECK(open("/dev/null", O_RDWR));
	CHECK(write(fd, "discarded", 9));
	CHECK(read(fd, buf, sizeof(buf)));
	CHECK(fstat(fd, &st));
	SAY("/dev/null is char: %s, mode = %o\n", S_ISCHR(st.st_mode) ? "yes" : "no",
	    st.st_mode & 0777);
	CHECK(close(fd));

	fd = CHECK(open("/dev/zero", O_RDWR));
	memset(buf, 'x', sizeof(buf));
	CHECK(read(fd, buf, sizeof(buf)));
	int zeros = 1;
	for (size_t i = 0; i < sizeof(buf); i++)
		zeros &= buf[i] == 0;
	SAY("/dev/zero all zero: %s\n", zeros ? "yes" : "no");
	CHECK(write(fd, "x", 1));
	char *map = CHECK_PTR(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), MAP_FAILED);
	SAY("mapped /dev/zero byte = %d\n", map[100]);
	CHECK(close(fd));

	fd = CHECK(open("/dev/full", O_RDWR));
	CHECK(write(fd, "x", 1));
	CHECK(read(fd, buf, 8));
	CHECK(close(fd));

	fd = CHECK(open("/dev/urandom", O_RDONLY));
	CHECK(read(fd, buf, sizeof(buf)));
	CHECK(close(fd));

	CHECK(stat("/dev/zero", &st));
	SAY("/dev/zero is char: %s\n", S_ISCHR(st.st_mode) ? "yes" : "no");
	CHECK(access("/dev/full", W_OK));
	CHECK(open("/dev/nonexistent-device", O_RDONLY));
	CHECK(lstat("/dev/stdin", &st));
	SAY("/dev/stdin is a symlink: %s\n", S_ISLNK(st.st_mode) ? "yes" : "no");
	fd = CHECK(open("/dev/stdout", O_WRONLY) >= 0);
	fd = open("/dev/stdout", O_WRONLY);
	CHECK(write(fd, "via /dev/stdout\n", 16));
	fd = CHECK(open("/dev/fd/2", O_WRONLY) >= 0);
	return 0;
}
