/* The one path by which the sentry touches application memory.
 *
 * Trust boundary: every address here comes from the application. A range
 * is checked against the VMA list (the sentry's own record, not the
 * stub's) with the protection the access needs, and only then does the
 * platform copy. Anything outside a VMA, in the stub's own pages, or
 * without permission gives -EFAULT.
 */
#include "sentry/mm.h"
#include "sentry/task.h"
#include "common/util.h"

#include <limits.h>
#include <string.h>
#include <sys/mman.h>

/* Check [addr, addr + len) is mapped with prot (mm->lock held). */
static bool range_accessible(struct mm *mm, uint64_t addr, size_t len, int prot)
{
	uint64_t end = addr + len;
	uint64_t pos = addr;

	if (end < addr || end > TASK_SIZE)
		return false;
	for (struct vma *v = vma_find(mm, addr); v && pos < end; v = v->next) {
		if (v->start > pos || (v->prot & prot) != prot)
			return false;
		pos = v->end;
	}
	return pos >= end;
}

/* Length of the accessible prefix of [addr, addr + len). */
static size_t accessible_prefix(struct mm *mm, uint64_t addr, size_t len,
				int prot)
{
	uint64_t pos = addr;
	uint64_t end = addr + len;

	if (end < addr || addr >= TASK_SIZE)
		return 0;
	end = MIN(end, TASK_SIZE);
	for (struct vma *v = vma_find(mm, addr); v && pos < end; v = v->next) {
		if (v->start > pos || (v->prot & prot) != prot)
			break;
		pos = v->end;
	}
	return MIN(pos, end) - addr;
}

int copy_from_user(struct task *t, void *dst, uint64_t src, size_t len)
{
	struct mm *mm = t->mm;
	int err = 0;

	if (len == 0)
		return 0;
	pthread_mutex_lock(&mm->lock);
	if (!range_accessible(mm, src, len, PROT_READ) ||
	    platform_read(mm->as, src, dst, len) != (ssize_t)len)
		err = -EFAULT;
	pthread_mutex_unlock(&mm->lock);
	return err;
}

int copy_to_user(struct task *t, uint64_t dst, const void *src, size_t len)
{
	struct mm *mm = t->mm;
	int err = 0;

	if (len == 0)
		return 0;
	pthread_mutex_lock(&mm->lock);
	if (!range_accessible(mm, dst, len, PROT_WRITE) ||
	    platform_write(mm->as, dst, src, len) != (ssize_t)len)
		err = -EFAULT;
	pthread_mutex_unlock(&mm->lock);
	return err;
}

int clear_user(struct task *t, uint64_t dst, size_t len)
{
	static const char zeros[4096];

	while (len > 0) {
		size_t n = MIN(len, sizeof(zeros));
		int err = copy_to_user(t, dst, zeros, n);
		if (err)
			return err;
		dst += n;
		len -= n;
	}
	return 0;
}

long strncpy_from_user(struct task *t, char *dst, uint64_t src, size_t max)
{
	struct mm *mm = t->mm;
	size_t done = 0;
	long r = -EFAULT;

	pthread_mutex_lock(&mm->lock);
	while (done < max) {
		/* Copy up to the next page boundary, so a string that ends
		 * just before an unmapped page is still read. */
		uint64_t addr = src + done;
		size_t chunk = MIN(max - done, PAGE_SIZE - (addr % PAGE_SIZE));
		char *nul;

		if (accessible_prefix(mm, addr, chunk, PROT_READ) < chunk ||
		    platform_read(mm->as, addr, dst + done, chunk) !=
			(ssize_t)chunk)
			goto out_unlock;
		nul = memchr(dst + done, 0, chunk);
		if (nul) {
			r = nul - dst;
			goto out_unlock;
		}
		done += chunk;
	}
	r = -ENAMETOOLONG;
out_unlock:
	pthread_mutex_unlock(&mm->lock);
	return r;
}

long getname(struct task *t, uint64_t src, char **out, bool allow_empty)
{
	char *buf = xmalloc(PATH_MAX);
	long n = strncpy_from_user(t, buf, src, PATH_MAX);

	if (n == 0 && !allow_empty)
		n = -ENOENT;
	if (n < 0) {
		free(buf);
		return n;
	}
	*out = buf;
	return n;
}

int access_remote(struct mm *mm, uint64_t addr, void *buf, size_t len,
		  bool write)
{
	int err = 0;

	pthread_mutex_lock(&mm->lock);
	if (!range_accessible(mm, addr, len, 0))
		err = -EFAULT;
	else if (write) {
		/* process_vm_writev is fast but honours page protections;
		 * fall back to word-sized forced writes for read-only pages. */
		if (platform_write(mm->as, addr, buf, len) != (ssize_t)len)
			err = platform_write_force(mm->as, addr, buf, len);
	} else if (platform_read(mm->as, addr, buf, len) != (ssize_t)len)
		err = -EFAULT;
	pthread_mutex_unlock(&mm->lock);
	return err;
}
