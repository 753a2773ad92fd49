/* Anonymous mmap, munmap, mprotect, mremap, brk and madvise. */
// build: -static
#include "check.h"
#include <sys/mman.h>

#define PAGE 4096

int main(void)
{
	char *p, *q;

	p = CHECK_PTR(mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		      MAP_FAILED);
	SAY("fresh page is zero: %s\n", p[0] == 0 && p[4 * PAGE - 1] == 0 ? "yes" : "no");
	memset(p, 'a', 4 * PAGE);
	CHECK(munmap(p + PAGE, PAGE));
	CHECK(mprotect(p, PAGE, PROT_READ));
	CHECK(mprotect(p + 1, PAGE, PROT_READ));
	CHECK(mprotect(p + PAGE, PAGE, PROT_READ));
	CHECK(mprotect(p, PAGE, 0x100));
	CHECK(munmap(p + 1, PAGE));
	CHECK(munmap(p, 0));
	CHECK(munmap(p + PAGE, PAGE));

	CHECK_PTR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), MAP_FAILED);
	CHECK_PTR(mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), MAP_FAILED);
	CHECK_PTR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_SHARED | MAP_ANONYMOUS, -1, 0), MAP_FAILED);
	CHECK_PTR(mmap((void *)(PAGE + 1), PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), MAP_FAILED);
	CHECK_PTR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0), MAP_FAILED);
	CHECK_PTR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 999, 0), MAP_FAILED);
	CHECK_PTR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1), MAP_FAILED);
	CHECK_PTR(mmap(NULL, 1UL << 60, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), MAP_FAILED);

	/* MAP_FIXED replaces an existing mapping at the same address. */
	q = CHECK_PTR(mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		      MAP_FAILED);
	q[0] = 'q';
	char *r = CHECK_PTR(mmap(q, PAGE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
			    MAP_FAILED);
	EXPECT(r == q);
	SAY("replaced page byte = %d\n", q[0]);
	CHECK_PTR(mmap(q, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), MAP_FAILED);

	/* mremap grows in place or moves, keeping contents. */
	memset(q, 'm', 2 * PAGE);
	char *grown = CHECK_PTR(mremap(q, 2 * PAGE, 64 * PAGE, MREMAP_MAYMOVE), MAP_FAILED);
	SAY("after grow: %c %c tail zero: %s\n", grown[0], grown[2 * PAGE - 1],
	    grown[64 * PAGE - 1] == 0 ? "yes" : "no");
	char *shrunk = CHECK_PTR(mremap(grown, 64 * PAGE, PAGE, 0), MAP_FAILED);
	EXPECT(shrunk == grown);
	CHECK_PTR(mremap(grown, PAGE, 0, MREMAP_MAYMOVE), MAP_FAILED);
	CHECK_PTR(mremap(grown + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE), MAP_FAILED);
	CHECK_PTR(mremap(grown, PAGE, 2 * PAGE, 0x80), MAP_FAILED);

	/* madvise(MADV_DONTNEED) zeroes private anonymous memory. */
	char *z = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(z, 'z', 2 * PAGE);
	CHECK(madvise(z, PAGE, MADV_DONTNEED));
	SAY("after DONTNEED: %d %c\n", z[0], z[PAGE]);
	CHECK(madvise(z, PAGE, MADV_NORMAL));
	CHECK(madvise(z, PAGE, MADV_WILLNEED));
	CHECK(madvise(z + 1, PAGE, MADV_NORMAL));
	CHECK(madvise(z, PAGE, 12345));

	/* A MAP_SHARED anonymous mapping is shared with a forked child. */
	int *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int *private = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*shared = 1;
	*private = 1;
	pid_t pid = fork();
	if (pid == 0) {
		*shared = 2;
		*private = 2;
		_exit(0);
	}
	wait_and_print(pid, "child");
	SAY("shared = %d private = %d\n", *shared, *private);

	/* brk grows the heap by whole pages. */
	void *start = sbrk(0);
	CHECK_PTR(sbrk(3 * PAGE), (void *)-1);
	char *top = sbrk(0);
	EXPECT(top == (char *)start + 3 * PAGE);
	top[-1] = 'b';
	CHECK(brk(start));
	EXPECT(sbrk(0) == start);
	void *cur = (void *)syscall(SYS_brk, 0);
	void *same = (void *)syscall(SYS_brk, (char *)cur - (1L << 40));
	EXPECT(same == cur);

	/* mlock and mincore succeed on mapped memory. */
	unsigned char vec[2];
	CHECK(mincore(z, 2 * PAGE, vec));
	CHECK(mincore(z + 1, PAGE, vec));
	CHECK(msync(z, PAGE, MS_ASYNC));
	return 0;
}
