/* The sandbox's budget for in-memory file data.
 *
 * Every memfs file (the root overlay's copies, /tmp, /dev/shm, memfds)
 * lives in a host memfd, which is shared memory the host's OOM killer
 * cannot pin on any one process. Without a limit a guest could fill the
 * host's memory with one sparse file and sendfile. All memfs instances of
 * the sandbox share one budget: half of the host's RAM, the default size
 * of a Linux tmpfs. A file is charged for its size rounded up to pages,
 * whether or not its pages are allocated, because a shared mapping can
 * touch every page of that size. So, unlike Linux's tmpfs, a sparse file
 * larger than the free budget cannot be created.
 *
 * Locking: memfs_inode.charged is protected by its inode's lock; the
 * total is an atomic counter.
 */
#include "sentry/fs/memfs.h"
#include "common/util.h"

#include <sys/sysinfo.h>

static uint64_t space_limit;
static uint64_t space_used; /* atomic */

static uint64_t memfs_space_limit(void)
{
	uint64_t limit = __atomic_load_n(&space_limit, __ATOMIC_RELAXED);
	struct sysinfo si;

	if (limit)
		return limit;
	if (sysinfo(&si) == 0)
		limit = (uint64_t)si.totalram * si.mem_unit / 2;
	if (!limit)
		limit = 1ULL << 30;
	__atomic_store_n(&space_limit, limit, __ATOMIC_RELAXED);
	return limit;
}

void memfs_space_set_limit(uint64_t bytes)
{
	__atomic_store_n(&space_limit, bytes, __ATOMIC_RELAXED);
}

int memfs_space_charge(struct memfs_inode *mi, uint64_t size)
{
	uint64_t want = ALIGN_UP(size, PAGE_SIZE);
	uint64_t limit = memfs_space_limit();

	if (size > (1ULL << 62))
		return -EFBIG;
	if (want > mi->charged) {
		uint64_t delta = want - mi->charged;
		uint64_t used =
		    __atomic_add_fetch(&space_used, delta, __ATOMIC_SEQ_CST);
		if (used > limit) {
			__atomic_sub_fetch(&space_used, delta,
					   __ATOMIC_SEQ_CST);
			return -ENOSPC;
		}
	} else {
		__atomic_sub_fetch(&space_used, mi->charged - want,
				   __ATOMIC_SEQ_CST);
	}
	mi->charged = want;
	return 0;
}

void memfs_space_release(struct memfs_inode *mi)
{
	__atomic_sub_fetch(&space_used, mi->charged, __ATOMIC_SEQ_CST);
	mi->charged = 0;
}

void memfs_space_statfs(uint64_t *blocks, uint64_t *bfree)
{
	uint64_t limit = memfs_space_limit();
	uint64_t used = __atomic_load_n(&space_used, __ATOMIC_RELAXED);

	*blocks = limit / PAGE_SIZE;
	*bfree = used >= limit ? 0 : (limit - used) / PAGE_SIZE;
}
