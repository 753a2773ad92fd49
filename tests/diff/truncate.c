/* truncate(2) and ftruncate(2). */
#include "check.h"

static void show_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0)
		printf("%s size = %ld\n", path, (long)st.st_size);
}

int main(void)
{
	char buf[16];
	int fd, ro;

	enter_tmpdir();
	write_file("f", "0123456789", 0644);
	mkdir("d", 0755);

	CHECK(truncate("f", 4));
	show_size("f");
	CHECK(truncate("f", 8));
	show_size("f");
	fd = CHECK(open("f", O_RDWR));
	memset(buf, 1, sizeof(buf));
	CHECK(read(fd, buf, sizeof(buf)));
	SAY("bytes = %c%c%c%c %d %d %d %d\n", buf[0], buf[1], buf[2], buf[3],
	    buf[4], buf[5], buf[6], buf[7]);
	CHECK(ftruncate(fd, 0));
	show_size("f");
	CHECK(lseek(fd, 0, SEEK_CUR));
	CHECK(ftruncate(fd, -1));
	CHECK(truncate("f", -1));
	CHECK(truncate("d", 0));
	CHECK(truncate("missing", 0));
	ro = CHECK(open("f", O_RDONLY));
	CHECK(ftruncate(ro, 1));
	CHECK(ftruncate(999, 1));
	CHECK(ftruncate(fd, 1 << 20));
	show_size("f");
	int p[2];
	CHECK(pipe(p));
	CHECK(ftruncate(p[1], 0));
	return 0;
}
