/* sendfile(2), copy_file_range(2), splice(2) and tee(2). */
// build: -no-pie
#include "check.h"
#include <sys/sendfile.h>

int main(void)
{
	char buf[64] = {0};
	int p[2], q[2];

	enter_tmpdir();
	write_file("src", "0123456789abcdefghij", 0644);
	int in = CHECK(open("src", O_RDONLY));
	int out = CHECK(open("dst", O_RDWR | O_CREAT, 0644));

	off_t off = 5;
	CHECK(sendfile(out, in, &off, 10));
	SAY("offset after = %ld\n", (long)off);
	CHECK(lseek(in, 0, SEEK_CUR));
	CHECK(sendfile(out, in, NULL, 3));
	CHECK(lseek(in, 0, SEEK_CUR));
	CHECK(pread(out, buf, sizeof(buf) - 1, 0));
	SAY("dst = %s\n", buf);
	CHECK(sendfile(out, 999, NULL, 3));
	int ro = open("src", O_RDONLY);
	CHECK(sendfile(ro, in, NULL, 3));

	loff_t a = 0, b = 0;
	int copy = CHECK(open("copy", O_RDWR | O_CREAT, 0644));
	CHECK(copy_file_range(in, &a, copy, &b, 20, 0));
	memset(buf, 0, sizeof(buf));
	CHECK(pread(copy, buf, sizeof(buf) - 1, 0));
	SAY("copy = %s\n", buf);
	CHECK(copy_file_range(in, &a, copy, &b, 20, 1));

	CHECK(pipe(p));
	CHECK(pipe(q));
	off = 10;
	CHECK(splice(in, &off, p[1], NULL, 6, 0));
	CHECK(tee(p[0], q[1], 6, 0));
	memset(buf, 0, sizeof(buf));
	CHECK(read(q[0], buf, sizeof(buf)));
	SAY("tee copy = %s\n", buf);
	CHECK(splice(p[0], NULL, out, NULL, 6, 0));
	memset(buf, 0, sizeof(buf));
	CHECK(pread(out, buf, sizeof(buf) - 1, 0));
	SAY("dst = %s\n", buf);
	CHECK(splice(in, NULL, out, NULL, 4, 0));
	/* sendfile into a pipe. */
	CHECK(sendfile(p[1], in, NULL, 4));
	memset(buf, 0, sizeof(buf));
	CHECK(read(p[0], buf, sizeof(buf)));
	SAY("pipe = %s\n", buf);
	return 0;
}
