/* Advisory locks: fcntl record locks (F_GETLK, F_SETLK, F_SETLKW and the
 * F_OFD_* variants) and flock(2).
 *
 * NOTE: locks are validated exactly as Linux validates them but are not
 * recorded: every lock is granted at once and F_GETLK always reports
 * F_UNLCK. Programs in one sandbox that rely on locks to exclude each
 * other (sqlite with several processes, for example) are not protected.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/io/io_internal.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"

#ifndef F_OFD_GETLK
#define F_OFD_GETLK  36
#define F_OFD_SETLK  37
#define F_OFD_SETLKW 38
#endif

/* Check a lock's range like Linux's flock_to_posix_lock. */
static int lock_check_range(struct file *f, const struct flock *fl)
{
	int64_t start;
	struct stat st;

	switch (fl->l_whence) {
	case SEEK_SET:
		start = 0;
		break;
	case SEEK_CUR:
		start = f->f_pos;
		break;
	case SEEK_END:
		if (!f->f_op->stat || f->f_op->stat(f, &st) < 0)
			start = 0;
		else
			start = st.st_size;
		break;
	default:
		return -EINVAL;
	}
	if (__builtin_add_overflow(start, (int64_t)fl->l_start, &start))
		return -EOVERFLOW;
	if (start < 0)
		return -EINVAL;
	if (fl->l_len < 0 && start + fl->l_len < 0)
		return -EINVAL;
	if (fl->l_len > 0 && start > INT64_MAX - (fl->l_len - 1))
		return -EOVERFLOW;
	return 0;
}

long fcntl_lock(struct task *t, struct file *f, int cmd, uint64_t arg)
{
	struct flock fl;
	bool ofd =
	    cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	bool get = cmd == F_GETLK || cmd == F_OFD_GETLK;
	int err;

	if (copy_from_user(t, &fl, arg, sizeof(fl)) < 0)
		return -EFAULT;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK &&
	    (get || fl.l_type != F_UNLCK))
		return -EINVAL;
	err = lock_check_range(f, &fl);
	if (err < 0)
		return err;

	if (get) {
		fl.l_type = F_UNLCK;
		return copy_to_user(t, arg, &fl, sizeof(fl));
	}
	if (fl.l_type == F_RDLCK && !file_readable(f))
		return -EBADF;
	if (fl.l_type == F_WRLCK && !file_writable(f))
		return -EBADF;
	return 0;
}

SYSCALL_DEFINE(SYS_flock, flock)
{
	unsigned op = (unsigned)args[1];
	struct file *f = fget(t, (int)args[0]);
	long ret = 0;

	if (!f)
		return -EBADF;
	if (f->f_flags & O_PATH)
		ret = -EBADF;
	else if ((op & ~LOCK_NB) != LOCK_SH && (op & ~LOCK_NB) != LOCK_EX &&
		 (op & ~LOCK_NB) != LOCK_UN)
		ret = -EINVAL;
	file_put(f);
	return ret;
}
