/* File mappings: MAP_PRIVATE copy-on-write, MAP_SHARED write-back. */
#include "check.h"
#include <sys/mman.h>

#define PAGE 4096

static void show_file(const char *path)
{
	char buf[32] = {0};
	int fd = open(path, O_RDONLY);

	read(fd, buf, 16);
	close(fd);
	printf("%s via read = %.16s\n", path, buf);
}

int main(void)
{
	int fd, ro;
	char *p;

	enter_tmpdir();
	write_file("f", "0123456789abcdef", 0644);
	fd = CHECK(open("f", O_RDWR));
	ro = CHECK(open("f", O_RDONLY));

	p = CHECK_PTR(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), MAP_FAILED);
	SAY("private map = %.16s\n", p);
	p[0] = 'P';
	show_file("f");
	CHECK(munmap(p, PAGE));

	p = CHECK_PTR(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), MAP_FAILED);
	p[1] = 'S';
	show_file("f");
	CHECK(msync(p, PAGE, MS_SYNC));
	/* A write(2) shows through an existing shared mapping. */
	CHECK(pwrite(fd, "W", 1, 2));
	SAY("shared map = %.16s\n", p);
	SAY("bytes past EOF in the last page are zero: %s\n",
	    p[16] == 0 && p[PAGE - 1] == 0 ? "yes" : "no");
	CHECK(munmap(p, PAGE));

	/* Read-only descriptors cannot back writable shared mappings. */
	CHECK_PTR(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), MAP_FAILED);
	p = CHECK_PTR(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0), MAP_FAILED);
	CHECK(munmap(p, PAGE));
	p = CHECK_PTR(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0), MAP_FAILED);
	CHECK(mprotect(p, PAGE, PROT_READ | PROT_WRITE));
	CHECK(munmap(p, PAGE));
	int wo = CHECK(open("f", O_WRONLY));
	CHECK_PTR(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, wo, 0), MAP_FAILED);
	CHECK_PTR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 1), MAP_FAILED);
	int p2[2];
	pipe(p2);
	CHECK_PTR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, p2[0], 0), MAP_FAILED);
	mkdir("d", 0755);
	int dfd = open("d", O_RDONLY);
	CHECK_PTR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dfd, 0), MAP_FAILED);

	/* An offset mapping of a larger file, shared between processes. */
	CHECK(ftruncate(fd, 3 * PAGE));
	CHECK(pwrite(fd, "page2", 5, 2 * PAGE));
	p = CHECK_PTR(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * PAGE), MAP_FAILED);
	SAY("offset map = %.5s\n", p);
	pid_t pid = fork();
	if (pid == 0) {
		memcpy(p, "CHILD", 5);
		_exit(0);
	}
	wait_and_print(pid, "child");
	char buf[8] = {0};
	CHECK(pread(fd, buf, 5, 2 * PAGE));
	SAY("after child wrote = %s\n", buf);
	CHECK(munmap(p, PAGE));
	/* The mapping stays valid after close. */
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(close(fd));
	SAY("after close = %.3s\n", p);
	return 0;
}
