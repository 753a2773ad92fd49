/* The shared memory budget of in-memory files: charges, refunds and the
 * ENOSPC edge. */
#include "sentry/fs/memfs.h"
#include "common/util.h"

#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                            \
		}                                                              \
	} while (0)

int main(void)
{
	struct memfs_inode a, b;
	uint64_t blocks, bfree;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memfs_space_set_limit(1 << 20);

	CHECK(memfs_space_charge(&a, 1) == 0);
	CHECK(a.charged == PAGE_SIZE);
	CHECK(memfs_space_charge(&a, 512 << 10) == 0);
	memfs_space_statfs(&blocks, &bfree);
	CHECK(blocks == 256);
	CHECK(bfree == 128);

	/* The second file does not fit until the first shrinks. */
	CHECK(memfs_space_charge(&b, 600 << 10) == -ENOSPC);
	CHECK(b.charged == 0);
	CHECK(memfs_space_charge(&a, 0) == 0);
	CHECK(a.charged == 0);
	CHECK(memfs_space_charge(&b, 600 << 10) == 0);

	/* Exactly the rest fits; one page more does not. */
	CHECK(memfs_space_charge(&a, (1 << 20) - (600 << 10)) == 0);
	CHECK(memfs_space_charge(&a, (1 << 20) - (600 << 10) + 1) == -ENOSPC);
	memfs_space_statfs(&blocks, &bfree);
	CHECK(bfree == 0);

	memfs_space_release(&a);
	memfs_space_release(&b);
	memfs_space_statfs(&blocks, &bfree);
	CHECK(bfree == 256);
	CHECK(memfs_space_charge(&a, 1ULL << 63) == -EFBIG);

	printf("test_memfs_space: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
