/* File descriptor tables.
 *
 * The slot array grows the way Linux's does (64 slots, then 256, then
 * powers of two), so select(2), which only looks at FDs below the table
 * size, gets the same bound as on Linux for ordinary programs.
 *
 * Files are put outside fdt->lock: a file's release may block (a FIFO
 * wakes its peers) and must never run under the table lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/file.h"
#include "sentry/io.h"
#include "sentry/io/locks.h"

#define FDTABLE_INITIAL_SIZE 64
#define FDTABLE_SECOND_SIZE  256

struct fdtable *fdtable_create(void)
{
	struct fdtable *fdt = xcalloc(1, sizeof(*fdt));

	pthread_mutex_init(&fdt->lock, NULL);
	fdt->users = 1;
	fdt->size = FDTABLE_INITIAL_SIZE;
	fdt->files = xcalloc(fdt->size, sizeof(*fdt->files));
	fdt->cloexec = xcalloc(fdt->size, 1);
	return fdt;
}

struct fdtable *fdtable_copy(struct fdtable *old)
{
	struct fdtable *fdt = xcalloc(1, sizeof(*fdt));

	pthread_mutex_init(&fdt->lock, NULL);
	fdt->users = 1;
	pthread_mutex_lock(&old->lock);
	fdt->size = old->size;
	fdt->files = xcalloc(fdt->size, sizeof(*fdt->files));
	fdt->cloexec = xcalloc(fdt->size, 1);
	for (int fd = 0; fd < old->size; fd++) {
		if (!old->files[fd])
			continue;
		file_get(old->files[fd]);
		fdt->files[fd] = old->files[fd];
		fdt->cloexec[fd] = old->cloexec[fd];
	}
	pthread_mutex_unlock(&old->lock);
	return fdt;
}

void fdtable_get(struct fdtable *fdt)
{
	__atomic_add_fetch(&fdt->users, 1, __ATOMIC_RELAXED);
}

void fdtable_put(struct fdtable *fdt)
{
	if (!fdt)
		return;
	int left = __atomic_sub_fetch(&fdt->users, 1, __ATOMIC_ACQ_REL);
	BUG_ON(left < 0);
	if (left > 0)
		return;

	/* The last user is gone, so no other thread can reach the table. */
	for (int fd = 0; fd < fdt->size; fd++) {
		locks_remove_posix(fdt, fdt->files[fd]);
		file_put(fdt->files[fd]);
	}
	free(fdt->files);
	free(fdt->cloexec);
	pthread_mutex_destroy(&fdt->lock);
	free(fdt);
}

static int round_up_pow2(int n)
{
	int r = 1;

	while (r < n)
		r <<= 1;
	return r;
}

/* Make slot fd exist (fdt->lock held). */
static void fdtable_expand(struct fdtable *fdt, int fd)
{
	if (fd < fdt->size)
		return;

	int size = MAX(FDTABLE_SECOND_SIZE, round_up_pow2(fd + 1));

	fdt->files = xrealloc(fdt->files, size * sizeof(*fdt->files));
	fdt->cloexec = xrealloc(fdt->cloexec, size);
	memset(fdt->files + fdt->size, 0,
	       (size - fdt->size) * sizeof(*fdt->files));
	memset(fdt->cloexec + fdt->size, 0, size - fdt->size);
	fdt->size = size;
}

int fd_install(struct fdtable *fdt, struct file *f, int minfd, bool cloexec,
	       int limit)
{
	int fd;

	BUG_ON(minfd < 0);
	pthread_mutex_lock(&fdt->lock);
	for (fd = minfd; fd < limit && fd < fdt->size; fd++) {
		if (!fdt->files[fd])
			break;
	}
	if (fd >= limit) {
		pthread_mutex_unlock(&fdt->lock);
		return -EMFILE;
	}
	fdtable_expand(fdt, fd);
	file_get(f);
	fdt->files[fd] = f;
	fdt->cloexec[fd] = cloexec;
	pthread_mutex_unlock(&fdt->lock);
	return fd;
}

int fd_install_at(struct fdtable *fdt, int fd, struct file *f, bool cloexec,
		  int limit)
{
	struct file *old;

	if (fd < 0 || fd >= limit)
		return -EBADF;
	pthread_mutex_lock(&fdt->lock);
	fdtable_expand(fdt, fd);
	old = fdt->files[fd];
	file_get(f);
	fdt->files[fd] = f;
	fdt->cloexec[fd] = cloexec;
	pthread_mutex_unlock(&fdt->lock);
	locks_remove_posix(fdt, old);
	file_put(old);
	return fd;
}

struct file *fd_get(struct fdtable *fdt, int fd)
{
	struct file *f = NULL;

	if (fd < 0)
		return NULL;
	pthread_mutex_lock(&fdt->lock);
	if (fd < fdt->size && fdt->files[fd]) {
		f = fdt->files[fd];
		file_get(f);
	}
	pthread_mutex_unlock(&fdt->lock);
	return f;
}

int fd_close(struct fdtable *fdt, int fd)
{
	struct file *f = NULL;

	if (fd < 0)
		return -EBADF;
	pthread_mutex_lock(&fdt->lock);
	if (fd < fdt->size) {
		f = fdt->files[fd];
		fdt->files[fd] = NULL;
		fdt->cloexec[fd] = 0;
	}
	pthread_mutex_unlock(&fdt->lock);
	if (!f)
		return -EBADF;
	locks_remove_posix(fdt, f);
	file_put(f);
	return 0;
}

int fd_get_cloexec(struct fdtable *fdt, int fd)
{
	int ret = -EBADF;

	if (fd < 0)
		return -EBADF;
	pthread_mutex_lock(&fdt->lock);
	if (fd < fdt->size && fdt->files[fd])
		ret = fdt->cloexec[fd];
	pthread_mutex_unlock(&fdt->lock);
	return ret;
}

int fd_set_cloexec(struct fdtable *fdt, int fd, bool on)
{
	int ret = -EBADF;

	if (fd < 0)
		return -EBADF;
	pthread_mutex_lock(&fdt->lock);
	if (fd < fdt->size && fdt->files[fd]) {
		fdt->cloexec[fd] = on;
		ret = 0;
	}
	pthread_mutex_unlock(&fdt->lock);
	return ret;
}

/* Detach the files of [lo, hi] that match (all, or only close-on-exec
 * ones) and put them after dropping the lock. */
static void fd_close_matching(struct fdtable *fdt, unsigned lo, unsigned hi,
			      bool only_cloexec)
{
	struct file **doomed;
	int n = 0;

	pthread_mutex_lock(&fdt->lock);
	if (lo >= (unsigned)fdt->size) {
		pthread_mutex_unlock(&fdt->lock);
		return;
	}
	hi = MIN(hi, (unsigned)fdt->size - 1);
	doomed = xcalloc(hi - lo + 1, sizeof(*doomed));
	for (unsigned fd = lo; fd <= hi; fd++) {
		if (!fdt->files[fd] || (only_cloexec && !fdt->cloexec[fd]))
			continue;
		doomed[n++] = fdt->files[fd];
		fdt->files[fd] = NULL;
		fdt->cloexec[fd] = 0;
	}
	pthread_mutex_unlock(&fdt->lock);

	for (int i = 0; i < n; i++) {
		locks_remove_posix(fdt, doomed[i]);
		file_put(doomed[i]);
	}
	free(doomed);
}

void fd_close_on_exec(struct fdtable *fdt)
{
	fd_close_matching(fdt, 0, ~0U, true);
}

void fd_close_range(struct fdtable *fdt, unsigned lo, unsigned hi)
{
	fd_close_matching(fdt, lo, hi, false);
}

void fd_set_cloexec_range(struct fdtable *fdt, unsigned lo, unsigned hi)
{
	pthread_mutex_lock(&fdt->lock);
	for (unsigned fd = lo; fd <= hi && fd < (unsigned)fdt->size; fd++) {
		if (fdt->files[fd])
			fdt->cloexec[fd] = 1;
	}
	pthread_mutex_unlock(&fdt->lock);
}

int fdtable_size(struct fdtable *fdt)
{
	int size;

	pthread_mutex_lock(&fdt->lock);
	size = fdt->size;
	pthread_mutex_unlock(&fdt->lock);
	return size;
}
