/* read(2) and write(2) on regular files, including error paths. */
// build: -no-pie
#include "check.h"

int main(void)
{
	char buf[64];
	int fd, ro, wo;
	ssize_t n;

	enter_tmpdir();
	fd = CHECK(open("f", O_RDWR | O_CREAT, 0644));
	CHECK(write(fd, "0123456789", 10));
	CHECK(write(fd, "", 0));
	CHECK(lseek(fd, 0, SEEK_SET));
	CHECK(read(fd, buf, 4));
	CHECK(read(fd, buf, 0));
	n = CHECK(read(fd, buf, sizeof(buf)));
	SAY("rest = %.*s\n", (int)n, buf);
	CHECK(read(fd, buf, sizeof(buf)));
	CHECK(close(fd));

	ro = CHECK(open("f", O_RDONLY));
	CHECK(write(ro, "x", 1));
	wo = CHECK(open("f", O_WRONLY));
	CHECK(read(wo, buf, 1));
	CHECK(close(ro));
	CHECK(close(wo));
	CHECK(read(ro, buf, 1));
	CHECK(write(-1, "x", 1));
	CHECK(read(1000, buf, 1));

	/* A directory cannot be read as a file. */
	mkdir("d", 0755);
	fd = CHECK(open("d", O_RDONLY));
	CHECK(read(fd, buf, sizeof(buf)));
	CHECK(close(fd));

	/* A large write and read back. */
	static char big[1 << 20], back[1 << 20];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	fd = CHECK(open("big", O_RDWR | O_CREAT, 0644));
	CHECK(write(fd, big, sizeof(big)));
	CHECK(lseek(fd, 0, SEEK_SET));
	size_t got = 0;
	while (got < sizeof(back)) {
		n = read(fd, back + got, sizeof(back) - got);
		if (n <= 0)
			break;
		got += n;
	}
	SAY("read back %zu bytes, equal: %s\n", got,
	    memcmp(big, back, sizeof(big)) == 0 ? "yes" : "no");
	CHECK(close(fd));
	return 0;
}
