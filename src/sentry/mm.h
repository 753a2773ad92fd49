/* A process's memory map, as the sentry records it.
 *
 * The sentry keeps the authoritative list of VMAs (virtual memory areas)
 * for each address space, and the host stub only mirrors it. /proc/PID/maps,
 * mmap, munmap, mprotect, mremap, brk and madvise all work on this list
 * first and then apply the change to the stub through the platform.
 *
 * Locking: mm->lock protects the VMA list, brk fields and argument/
 * environment addresses. It is held while the platform call that mirrors
 * a change runs, so the list and the stub never disagree for another
 * thread of the same process.
 */
#ifndef MOAT_SENTRY_MM_H
#define MOAT_SENTRY_MM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "platform/platform.h"

struct file;
struct task;

struct vma {
	uint64_t start, end; /* [start, end), page aligned */
	int prot;	     /* PROT_* */
	int flags;	     /* MAP_SHARED or MAP_PRIVATE, MAP_ANONYMOUS,
			      * MAP_GROWSDOWN */
	struct file *file;   /* reference, or NULL for anonymous memory */
	uint64_t pgoff;	     /* file offset of start, in bytes */
	const char *name;    /* "[heap]", "[stack]" or NULL (static string) */
	struct vma *next;    /* sorted by start */
};

struct mm {
	pthread_mutex_t lock;
	int users; /* tasks sharing it (CLONE_VM), atomic */
	struct platform_as *as;
	struct vma *vmas;
	uint64_t brk_start, brk;
	uint64_t mmap_base; /* top of the region searched for free space */
	uint64_t stack_top;
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t auxv[64];     /* copy of the auxiliary vector, for /proc */
	int auxv_len;	       /* number of uint64_t entries used */
	struct file *exe_file; /* reference, or NULL */
};

struct mm *mm_create(struct platform_as *as);
/* Copy the VMA list for fork; the stub is duplicated by the platform. */
struct mm *mm_fork(struct mm *old, struct platform_as *as);
void mm_get(struct mm *mm);
void mm_put(struct mm *mm);

/* The mmap family, with Linux semantics (negative errno on failure).
 * file is NULL for anonymous mappings. */
long mm_mmap(struct mm *mm, uint64_t addr, uint64_t len, int prot, int flags,
	     struct file *file, uint64_t off);
int mm_munmap(struct mm *mm, uint64_t addr, uint64_t len);
int mm_mprotect(struct mm *mm, uint64_t addr, uint64_t len, int prot);
long mm_mremap(struct mm *mm, uint64_t old_addr, uint64_t old_len,
	       uint64_t new_len, int flags, uint64_t new_addr);
long mm_brk(struct mm *mm, uint64_t brk);
int mm_madvise(struct mm *mm, uint64_t addr, uint64_t len, int advice);

/* Find the VMA containing addr (mm->lock held), or NULL. */
struct vma *vma_find(struct mm *mm, uint64_t addr);
/* Bytes of accessible mappings other than the stack: an upper bound of
 * the resident set, since the host decides which pages are resident. */
uint64_t mm_rss_estimate(struct mm *mm);
/* Format /proc/PID/maps into a malloc'd string. */
char *mm_format_maps(struct mm *mm);

/* The one path for touching application memory. Every copy validates the
 * whole range against the VMA list (readable for copy_from_user, writable
 * for copy_to_user) before the platform touches the stub. A bad range
 * returns -EFAULT. */
int copy_from_user(struct task *t, void *dst, uint64_t src, size_t len);
int copy_to_user(struct task *t, uint64_t dst, const void *src, size_t len);
/* Copy a NUL-terminated string of at most max bytes including the NUL.
 * Returns its length, -ENAMETOOLONG if longer (for paths) or -EFAULT. */
long strncpy_from_user(struct task *t, char *dst, uint64_t src, size_t max);
/* Like strncpy_from_user into a new PATH_MAX buffer; the caller frees it.
 * Empty strings give -ENOENT unless allow_empty. */
long getname(struct task *t, uint64_t src, char **out, bool allow_empty);
/* Zero len bytes of application memory. */
int clear_user(struct task *t, uint64_t dst, size_t len);

/* Memory-access variants used by the loader and ptrace-like paths that
 * write to read-only mappings (force), like the kernel's FOLL_FORCE. */
int access_remote(struct mm *mm, uint64_t addr, void *buf, size_t len,
		  bool write);

#endif
