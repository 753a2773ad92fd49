/* close, close_range, dup, dup2 and dup3. */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/syscall.h"

/* Linux's default fs.nr_open: no FD table grows beyond it. */
#define NR_OPEN_MAX (1024 * 1024)

int task_nofile_limit(struct task *t)
{
	rlim_t cur;

	pthread_mutex_lock(&tasklist_lock);
	cur = t->tg->rlim[RLIMIT_NOFILE].rlim_cur;
	pthread_mutex_unlock(&tasklist_lock);
	return cur > NR_OPEN_MAX ? NR_OPEN_MAX : (int)cur;
}

SYSCALL_DEFINE(SYS_close, close)
{
	return fd_close(t->files, (int)args[0]);
}

/* Give the task a private copy of a table shared with CLONE_FILES. The
 * files pointer is only replaced by the task's own thread. */
static void unshare_files(struct task *t)
{
	struct fdtable *old = t->files;

	if (__atomic_load_n(&old->users, __ATOMIC_ACQUIRE) == 1)
		return;
	t->files = fdtable_copy(old);
	fdtable_put(old);
}

SYSCALL_DEFINE(SYS_close_range, close_range)
{
	unsigned lo = (unsigned)args[0], hi = (unsigned)args[1];
	unsigned flags = (unsigned)args[2];

	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (lo > hi)
		return -EINVAL;
	if (flags & CLOSE_RANGE_UNSHARE)
		unshare_files(t);
	if (flags & CLOSE_RANGE_CLOEXEC)
		fd_set_cloexec_range(t->files, lo, hi);
	else
		fd_close_range(t->files, lo, hi);
	return 0;
}

SYSCALL_DEFINE(SYS_dup, dup)
{
	struct file *f = fget(t, (int)args[0]);
	int ret;

	if (!f)
		return -EBADF;
	ret = fd_install(t->files, f, 0, false, task_nofile_limit(t));
	file_put(f);
	return ret;
}

/* dup2/dup3 once the flags and the oldfd == newfd case are handled. */
static long dup_to(struct task *t, unsigned oldfd, unsigned newfd, bool cloexec)
{
	struct file *f;
	int ret;

	if (newfd >= (unsigned)task_nofile_limit(t))
		return -EBADF;
	f = fget(t, (int)oldfd);
	if (!f)
		return -EBADF;
	ret = fd_install_at(t->files, (int)newfd, f, cloexec,
			    task_nofile_limit(t));
	file_put(f);
	return ret;
}

SYSCALL_DEFINE(SYS_dup2, dup2)
{
	unsigned oldfd = (unsigned)args[0], newfd = (unsigned)args[1];

	if (oldfd == newfd) {
		struct file *f = fget(t, (int)oldfd);

		if (!f)
			return -EBADF;
		file_put(f);
		return newfd;
	}
	return dup_to(t, oldfd, newfd, false);
}

SYSCALL_DEFINE(SYS_dup3, dup3)
{
	unsigned oldfd = (unsigned)args[0], newfd = (unsigned)args[1];
	int flags = (int)args[2];

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return dup_to(t, oldfd, newfd, flags & O_CLOEXEC);
}
