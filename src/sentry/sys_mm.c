/* The memory-management system calls; the work is in mm.c. */
#include "sentry/fdtable.h"
#include "sentry/file.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "common/util.h"

#include <sys/mman.h>
#include <sys/syscall.h>

SYSCALL_DEFINE(SYS_mmap, mmap)
{
	int flags = (int)args[3];
	struct file *f = NULL;
	long r;

	if (!(flags & MAP_ANONYMOUS)) {
		f = fd_get(t->files, (int)args[4]);
		if (!f)
			return -EBADF;
	}
	r = mm_mmap(t->mm, args[0], args[1], (int)args[2], flags, f, args[5]);
	if (f)
		file_put(f);
	return r;
}

SYSCALL_DEFINE(SYS_munmap, munmap)
{
	return mm_munmap(t->mm, args[0], args[1]);
}

SYSCALL_DEFINE(SYS_mprotect, mprotect)
{
	return mm_mprotect(t->mm, args[0], args[1], (int)args[2]);
}

SYSCALL_DEFINE(SYS_mremap, mremap)
{
	return mm_mremap(t->mm, args[0], args[1], args[2], (int)args[3],
			 args[4]);
}

SYSCALL_DEFINE(SYS_brk, brk)
{
	return mm_brk(t->mm, args[0]);
}

SYSCALL_DEFINE(SYS_madvise, madvise)
{
	return mm_madvise(t->mm, args[0], args[1], (int)args[2]);
}

/* Checks shared by msync, mlock and friends: the range must be mapped. */
static long check_mapped_range(struct task *t, uint64_t addr, uint64_t len,
			       bool aligned)
{
	uint64_t end;
	long r = 0;

	if (aligned && (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	end = ALIGN_UP(addr + len, PAGE_SIZE);
	addr = ALIGN_DOWN(addr, PAGE_SIZE);
	if (end < addr)
		return -ENOMEM;
	pthread_mutex_lock(&t->mm->lock);
	for (uint64_t a = addr; a < end;) {
		struct vma *v = vma_find(t->mm, a);
		if (!v) {
			r = -ENOMEM;
			break;
		}
		a = v->end;
	}
	pthread_mutex_unlock(&t->mm->lock);
	return r;
}

SYSCALL_DEFINE(SYS_msync, msync)
{
	int flags = (int)args[2];

	if (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	/* Shared file mappings are host mappings of the file's host FD, so
	 * the host keeps them coherent; nothing to flush here. */
	return check_mapped_range(t, args[0], args[1], true);
}

SYSCALL_DEFINE(SYS_mlock, mlock)
{
	return check_mapped_range(t, args[0], args[1], false);
}

SYSCALL_DEFINE(SYS_mlock2, mlock2)
{
	if (args[2] & ~1UL)
		return -EINVAL;
	return check_mapped_range(t, args[0], args[1], false);
}

SYSCALL_DEFINE(SYS_munlock, munlock)
{
	return check_mapped_range(t, args[0], args[1], false);
}

SYSCALL_DEFINE(SYS_mlockall, mlockall)
{
	if (!args[0] || (args[0] & ~7UL))
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE(SYS_munlockall, munlockall)
{
	return 0;
}

SYSCALL_DEFINE(SYS_mincore, mincore)
{
	uint64_t addr = args[0], len = args[1];
	size_t pages;
	long r;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	r = check_mapped_range(t, addr, len, true);
	if (r)
		return r;
	pages = ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE;
	/* Report every page resident: the sentry doesn't track residency. */
	for (size_t i = 0; i < pages; i++) {
		unsigned char one = 1;
		if (copy_to_user(t, args[2] + i, &one, 1))
			return -EFAULT;
	}
	return 0;
}
