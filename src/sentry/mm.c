/* The VMA list of a process and the mmap family of operations.
 *
 * Every change is made to the list first and then mirrored into the stub
 * with the platform, both under mm->lock. Host mappings are always
 * MAP_FIXED at addresses the sentry chose, so the stub's layout is
 * exactly the list's.
 */
#include "sentry/mm.h"
#include "sentry/file.h"
#include "sentry/vfs.h"
#include "common/log.h"
#include "common/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>

#define MMAP_MIN_ADDR 0x10000UL

static struct vma *vma_alloc(uint64_t start, uint64_t end, int prot, int flags,
			     struct file *file, uint64_t pgoff)
{
	struct vma *v = xcalloc(1, sizeof(*v));

	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	v->file = file;
	if (file)
		file_get(file);
	v->pgoff = pgoff;
	return v;
}

static void vma_free(struct vma *v)
{
	if (v->file)
		file_put(v->file);
	free(v);
}

static struct vma *vma_clone(const struct vma *v)
{
	struct vma *c =
	    vma_alloc(v->start, v->end, v->prot, v->flags, v->file, v->pgoff);
	c->name = v->name;
	return c;
}

struct mm *mm_create(struct platform_as *as)
{
	struct mm *mm = xcalloc(1, sizeof(*mm));

	pthread_mutex_init(&mm->lock, NULL);
	mm->users = 1;
	mm->as = as;
	mm->stack_top = TASK_SIZE - 0x20000;
	mm->mmap_base = 0x7ffff7fff000UL;
	return mm;
}

struct mm *mm_fork(struct mm *old, struct platform_as *as)
{
	struct mm *mm = mm_create(as);
	struct vma **tail = &mm->vmas;

	pthread_mutex_lock(&old->lock);
	for (struct vma *v = old->vmas; v; v = v->next) {
		*tail = vma_clone(v);
		tail = &(*tail)->next;
	}
	mm->brk_start = old->brk_start;
	mm->brk = old->brk;
	mm->mmap_base = old->mmap_base;
	mm->stack_top = old->stack_top;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	memcpy(mm->auxv, old->auxv, sizeof(mm->auxv));
	mm->auxv_len = old->auxv_len;
	mm->exe_file = old->exe_file;
	if (mm->exe_file)
		file_get(mm->exe_file);
	pthread_mutex_unlock(&old->lock);
	return mm;
}

void mm_get(struct mm *mm)
{
	__atomic_add_fetch(&mm->users, 1, __ATOMIC_SEQ_CST);
}

void mm_put(struct mm *mm)
{
	struct vma *v, *next;

	if (!mm || __atomic_sub_fetch(&mm->users, 1, __ATOMIC_SEQ_CST) > 0)
		return;
	for (v = mm->vmas; v; v = next) {
		next = v->next;
		vma_free(v);
	}
	if (mm->exe_file)
		file_put(mm->exe_file);
	platform_as_destroy(mm->as);
	pthread_mutex_destroy(&mm->lock);
	free(mm);
}

struct vma *vma_find(struct mm *mm, uint64_t addr)
{
	for (struct vma *v = mm->vmas; v && v->start <= addr; v = v->next)
		if (addr < v->end)
			return v;
	return NULL;
}

static bool range_is_free(struct mm *mm, uint64_t start, uint64_t end)
{
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
		if (v->end > start)
			return false;
	return true;
}

/* Find a free range of len bytes, searching down from the top (the
 * mmap_base), like Linux's top-down allocator. Returns 0 if none. */
static uint64_t find_free_range(struct mm *mm, uint64_t len, uint64_t limit)
{
	uint64_t top = MIN(mm->mmap_base, limit);
	uint64_t best = 0;
	uint64_t prev_end = MMAP_MIN_ADDR;

	/* The highest gap below top that fits. */
	for (struct vma *v = mm->vmas;; v = v->next) {
		uint64_t gap_end = v ? MIN(v->start, top) : top;
		if (gap_end > prev_end && gap_end - prev_end >= len)
			best = gap_end - len;
		if (!v || v->start >= top)
			break;
		prev_end = MAX(prev_end, v->end);
	}
	return best;
}

/* Split the VMA containing addr so that a VMA starts at addr. */
static void vma_split_at(struct mm *mm, uint64_t addr)
{
	struct vma *v = vma_find(mm, addr);
	struct vma *tail;

	if (!v || v->start == addr)
		return;
	tail = vma_clone(v);
	tail->start = addr;
	if (tail->file)
		tail->pgoff += addr - v->start;
	v->end = addr;
	tail->next = v->next;
	v->next = tail;
}

/* Remove [start, end) from the list (not from the stub). */
static void vma_remove_range(struct mm *mm, uint64_t start, uint64_t end)
{
	struct vma **pp = &mm->vmas;

	vma_split_at(mm, start);
	vma_split_at(mm, end);
	while (*pp) {
		struct vma *v = *pp;
		if (v->start >= start && v->end <= end) {
			*pp = v->next;
			vma_free(v);
		} else {
			pp = &v->next;
		}
	}
}

static bool vma_can_merge(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags ||
	    a->file != b->file || a->name != b->name)
		return false;
	return !a->file || a->pgoff + (a->end - a->start) == b->pgoff;
}

/* Join neighbours that differ only in their range, as Linux does, so a
 * range made by several calls acts as one VMA for mremap and maps. */
static void vma_merge_all(struct mm *mm)
{
	struct vma *v = mm->vmas;

	while (v && v->next) {
		struct vma *n = v->next;
		if (vma_can_merge(v, n)) {
			v->end = n->end;
			v->next = n->next;
			vma_free(n);
		} else {
			v = n;
		}
	}
}

static void vma_insert(struct mm *mm, struct vma *nv)
{
	struct vma **pp = &mm->vmas;

	while (*pp && (*pp)->start < nv->start)
		pp = &(*pp)->next;
	nv->next = *pp;
	*pp = nv;
	vma_merge_all(mm);
}

static int check_file_access(struct file *file, int prot, int flags)
{
	if (!file_readable(file))
		return -EACCES;
	if ((flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE) &&
	    !file_writable(file))
		return -EACCES;
	if (file->f_flags & O_PATH)
		return -EBADF;
	return 0;
}

static bool file_is_dev_zero(struct file *file)
{
	struct stat st;

	return vfs_fstat(file, &st) == 0 && S_ISCHR(st.st_mode) &&
	       st.st_rdev == makedev(1, 5);
}

/* Pick the address for a new mapping. Returns 0 or a negative errno. */
static long mmap_pick_addr(struct mm *mm, uint64_t addr, uint64_t len,
			   int flags)
{
	uint64_t limit = TASK_SIZE;

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
		if (addr + len > TASK_SIZE || addr + len < addr)
			return -ENOMEM;
		if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
		    !range_is_free(mm, addr, addr + len))
			return -EEXIST;
		return (long)addr;
	}
	if (flags & MAP_32BIT)
		limit = 0x80000000UL;
	addr = ALIGN_DOWN(addr, PAGE_SIZE);
	if (addr >= MMAP_MIN_ADDR && addr + len <= limit && addr + len > addr &&
	    range_is_free(mm, addr, addr + len))
		return (long)addr;
	addr = find_free_range(mm, len, limit);
	return addr ? (long)addr : -ENOMEM;
}

long mm_mmap(struct mm *mm, uint64_t addr, uint64_t len, int prot, int flags,
	     struct file *file, uint64_t off)
{
	int type = flags & MAP_TYPE;
	int host_flags, hostfd = -1;
	struct vma *v;
	long start;
	int err;

	if (len == 0 || (off & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE &&
	    type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (len > TASK_SIZE)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (off + len < off)
		return -EOVERFLOW;
	if (flags & MAP_ANONYMOUS) {
		/* Linux accepts MAP_SHARED_VALIDATE only for files. */
		if (type == MAP_SHARED_VALIDATE)
			return -EINVAL;
		file = NULL;
	}
	if (type == MAP_SHARED_VALIDATE)
		type = MAP_SHARED;
	if (file && file_is_dev_zero(file)) {
		flags |= MAP_ANONYMOUS;
		file = NULL;
	}
	if (file) {
		err = check_file_access(file, prot, type);
		if (err)
			return err;
		err = vfs_mmap_fd(file, &hostfd,
				  type == MAP_SHARED && (prot & PROT_WRITE));
		if (err)
			return err;
	}

	pthread_mutex_lock(&mm->lock);
	start = mmap_pick_addr(mm, addr, len, flags);
	if (start < 0)
		goto out_unlock;
	host_flags = type | MAP_FIXED | (file ? 0 : MAP_ANONYMOUS) |
		     (flags & MAP_NORESERVE);
	err = platform_mmap(mm->as, start, len, prot, host_flags, hostfd,
			    file ? off : 0);
	if (err) {
		start = err;
		goto out_unlock;
	}
	vma_remove_range(mm, start, start + len);
	v = vma_alloc(start, start + len, prot,
		      type | (file ? 0 : MAP_ANONYMOUS) |
			  (flags & MAP_GROWSDOWN),
		      file, file ? off : 0);
	vma_insert(mm, v);
out_unlock:
	pthread_mutex_unlock(&mm->lock);
	return start;
}

int mm_munmap(struct mm *mm, uint64_t addr, uint64_t len)
{
	int err;

	if ((addr & (PAGE_SIZE - 1)) || len == 0)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (addr + len > TASK_SIZE || addr + len < addr)
		return -EINVAL;
	pthread_mutex_lock(&mm->lock);
	err = platform_munmap(mm->as, addr, len);
	if (!err)
		vma_remove_range(mm, addr, addr + len);
	pthread_mutex_unlock(&mm->lock);
	return err;
}

/* Is [start, end) fully covered by VMAs? (mm->lock held) */
static bool range_is_mapped(struct mm *mm, uint64_t start, uint64_t end)
{
	uint64_t pos = start;

	for (struct vma *v = mm->vmas; v && pos < end; v = v->next) {
		if (v->end <= pos)
			continue;
		if (v->start > pos)
			return false;
		pos = v->end;
	}
	return pos >= end;
}

int mm_mprotect(struct mm *mm, uint64_t addr, uint64_t len, int prot)
{
	uint64_t end;
	int err = 0;

	prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
	if ((addr & (PAGE_SIZE - 1)) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (len == 0)
		return 0;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (end < addr || end > TASK_SIZE)
		return -ENOMEM;
	pthread_mutex_lock(&mm->lock);
	if (!range_is_mapped(mm, addr, end)) {
		err = -ENOMEM;
		goto out_unlock;
	}
	for (struct vma *v = vma_find(mm, addr); v && v->start < end;
	     v = v->next) {
		if (v->file && (v->flags & MAP_TYPE) == MAP_SHARED &&
		    (prot & PROT_WRITE) && !file_writable(v->file)) {
			err = -EACCES;
			goto out_unlock;
		}
	}
	err = platform_mprotect(mm->as, addr, end - addr, prot);
	if (err)
		goto out_unlock;
	vma_split_at(mm, addr);
	vma_split_at(mm, end);
	for (struct vma *v = vma_find(mm, addr); v && v->start < end;
	     v = v->next)
		v->prot = prot;
	vma_merge_all(mm);
out_unlock:
	pthread_mutex_unlock(&mm->lock);
	return err;
}

/* Move or resize the single VMA at [old, old + old_len). */
long mm_mremap(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len,
	       int flags, uint64_t new_addr)
{
	struct vma *v, *nv;
	long r;

	if ((old & (PAGE_SIZE - 1)) ||
	    (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & MREMAP_DONTUNMAP)
		return -EINVAL; /* TODO: MREMAP_DONTUNMAP is not supported. */
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (new_len == 0 || new_len > TASK_SIZE)
		return -EINVAL;

	pthread_mutex_lock(&mm->lock);
	v = vma_find(mm, old);
	if (!v || (old_len && old + old_len > v->end)) {
		r = -EFAULT;
		goto out_unlock;
	}
	if (old_len == 0) {
		/* Duplicating a shared mapping: not supported. */
		r = -EINVAL;
		goto out_unlock;
	}
	if (!(flags & MREMAP_FIXED) && new_len == old_len) {
		r = (long)old;
		goto out_unlock;
	}
	if (!(flags & MREMAP_FIXED) && new_len <= old_len) {
		r = platform_munmap(mm->as, old + new_len, old_len - new_len);
		if (r == 0 && new_len < old_len)
			vma_remove_range(mm, old + new_len, old + old_len);
		r = r ? r : (long)old;
		goto out_unlock;
	}
	if (!(flags & MREMAP_FIXED) && old + old_len == v->end &&
	    old + new_len <= TASK_SIZE &&
	    range_is_free(mm, old + old_len, old + new_len)) {
		r = platform_mremap(mm->as, old, old_len, new_len, 0, 0);
		if (r >= 0) {
			vma_split_at(mm, old);
			v = vma_find(mm, old);
			v->end = old + new_len;
			vma_merge_all(mm);
		}
		goto out_unlock;
	}
	if (!(flags & MREMAP_MAYMOVE)) {
		r = -ENOMEM;
		goto out_unlock;
	}
	if (flags & MREMAP_FIXED) {
		if ((new_addr & (PAGE_SIZE - 1)) || new_addr < MMAP_MIN_ADDR ||
		    new_addr + new_len > TASK_SIZE ||
		    (new_addr < old + old_len && old < new_addr + new_len)) {
			r = -EINVAL;
			goto out_unlock;
		}
	} else {
		new_addr = find_free_range(mm, new_len, TASK_SIZE);
		if (!new_addr) {
			r = -ENOMEM;
			goto out_unlock;
		}
	}
	r = platform_mremap(mm->as, old, old_len, new_len,
			    MREMAP_MAYMOVE | MREMAP_FIXED, new_addr);
	if (r < 0)
		goto out_unlock;
	vma_split_at(mm, old);
	v = vma_find(mm, old);
	nv = vma_alloc(new_addr, new_addr + new_len, v->prot, v->flags, v->file,
		       v->pgoff);
	nv->name = v->name;
	vma_remove_range(mm, old, old + old_len);
	vma_remove_range(mm, new_addr, new_addr + new_len);
	vma_insert(mm, nv);
	r = (long)new_addr;
out_unlock:
	pthread_mutex_unlock(&mm->lock);
	return r;
}

long mm_brk(struct mm *mm, uint64_t brk)
{
	uint64_t old_top, new_top;
	long r;

	pthread_mutex_lock(&mm->lock);
	r = (long)mm->brk;
	if (brk < mm->brk_start || brk > mm->brk_start + (1UL << 40))
		goto out_unlock;
	old_top = ALIGN_UP(mm->brk, PAGE_SIZE);
	new_top = ALIGN_UP(brk, PAGE_SIZE);
	if (new_top > old_top) {
		struct vma *v;
		if (!range_is_free(mm, old_top, new_top) ||
		    platform_mmap(mm->as, old_top, new_top - old_top,
				  PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
				  0) != 0)
			goto out_unlock;
		v = vma_alloc(old_top, new_top, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
		v->name = "[heap]";
		vma_insert(mm, v);
	} else if (new_top < old_top) {
		if (platform_munmap(mm->as, new_top, old_top - new_top) != 0)
			goto out_unlock;
		vma_remove_range(mm, new_top, old_top);
	}
	mm->brk = brk;
	r = (long)brk;
out_unlock:
	pthread_mutex_unlock(&mm->lock);
	return r;
}

static bool madvise_advice_valid(int advice)
{
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_COLD:
	case MADV_PAGEOUT:
		return true;
	}
	return false;
}

int mm_madvise(struct mm *mm, uint64_t addr, uint64_t len, int advice)
{
	uint64_t end;
	int err = 0;

	if ((addr & (PAGE_SIZE - 1)) || !madvise_advice_valid(advice))
		return -EINVAL;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (end < addr)
		return -EINVAL;
	if (len == 0)
		return 0;
	pthread_mutex_lock(&mm->lock);
	if (!range_is_mapped(mm, addr, end)) {
		err = -ENOMEM;
		goto out_unlock;
	}
	/* Only advice with a visible effect is passed to the stub: the
	 * others are hints the host may ignore anyway. */
	if (advice == MADV_DONTNEED || advice == MADV_FREE ||
	    advice == MADV_DONTFORK || advice == MADV_DOFORK ||
	    advice == MADV_WIPEONFORK || advice == MADV_KEEPONFORK)
		err = platform_madvise(mm->as, addr, end - addr, advice);
out_unlock:
	pthread_mutex_unlock(&mm->lock);
	return err;
}

char *mm_format_maps(struct mm *mm)
{
	size_t cap = 4096, len = 0;
	char *out = xmalloc(cap);
	char path[4096];

	out[0] = 0;
	pthread_mutex_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v; v = v->next) {
		const char *name = v->name ? v->name : "";
		unsigned long ino = 0;
		unsigned dmaj = 0, dmin = 0;
		struct stat st;
		int n;

		if (v->file && file_path(v->file, path, sizeof(path)) >= 0) {
			name = path;
			if (vfs_fstat(v->file, &st) == 0) {
				ino = st.st_ino;
				dmaj = major(st.st_dev);
				dmin = minor(st.st_dev);
			}
		}
		if (len + 4096 + 128 > cap) {
			cap *= 2;
			out = xrealloc(out, cap);
		}
		n = snprintf(out + len, cap - len,
			     "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu",
			     v->start, v->end, v->prot & PROT_READ ? 'r' : '-',
			     v->prot & PROT_WRITE ? 'w' : '-',
			     v->prot & PROT_EXEC ? 'x' : '-',
			     (v->flags & MAP_TYPE) == MAP_SHARED ? 's' : 'p',
			     v->pgoff, dmaj, dmin, ino);
		len += n;
		if (*name) {
			n = snprintf(out + len, cap - len, "%*s%s\n",
				     MAX(1, 73 - n), "", name);
		} else {
			n = snprintf(out + len, cap - len, "\n");
		}
		len += n;
	}
	pthread_mutex_unlock(&mm->lock);
	return out;
}

uint64_t mm_rss_estimate(struct mm *mm)
{
	uint64_t total = 0;

	pthread_mutex_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (v->prot != PROT_NONE && !(v->flags & MAP_GROWSDOWN))
			total += v->end - v->start;
	pthread_mutex_unlock(&mm->lock);
	return total;
}
