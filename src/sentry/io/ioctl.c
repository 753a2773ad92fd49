/* ioctl(2): the requests every file accepts, then f_op->ioctl. */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/fs/fs.h"
#include "sentry/io/io_internal.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"

static long ioctl_set_flag(struct task *t, struct file *f, uint64_t arg,
			   unsigned flag)
{
	int on;

	if (copy_from_user(t, &on, arg, sizeof(on)) < 0)
		return -EFAULT;
	pthread_mutex_lock(&f->f_lock);
	if (on)
		f->f_flags |= flag;
	else
		f->f_flags &= ~flag;
	pthread_mutex_unlock(&f->f_lock);
	return 0;
}

/* FIONREAD of a regular file: the bytes between the position and the
 * end, as Linux's do_vfs_ioctl computes it. */
static long ioctl_regular_fionread(struct task *t, struct file *f, uint64_t arg)
{
	struct stat st;
	int avail;
	int err = f->f_op->stat ? f->f_op->stat(f, &st)
				: inode_getattr(f->f_inode, &st);

	if (err < 0)
		return err;
	avail = st.st_size > f->f_pos
		    ? (int)MIN(st.st_size - f->f_pos, (int64_t)INT32_MAX)
		    : 0;
	return copy_to_user(t, arg, &avail, sizeof(avail));
}

static long do_ioctl(struct task *t, int fd, struct file *f, unsigned cmd,
		     uint64_t arg)
{
	switch (cmd) {
	case FIONBIO:
		return ioctl_set_flag(t, f, arg, O_NONBLOCK);
	case FIOASYNC:
		return ioctl_set_flag(t, f, arg, O_ASYNC);
	case FIOCLEX:
		return fd_set_cloexec(t->files, fd, true);
	case FIONCLEX:
		return fd_set_cloexec(t->files, fd, false);
	case FIONREAD:
		if (f->f_inode && S_ISREG(f->f_inode->mode))
			return ioctl_regular_fionread(t, f, arg);
		break;
	}
	if (!f->f_op->ioctl)
		return -ENOTTY;
	return f->f_op->ioctl(t, f, cmd, arg);
}

SYSCALL_DEFINE(SYS_ioctl, ioctl)
{
	int fd = (int)args[0];
	struct file *f = fget(t, fd);
	long ret;

	if (!f)
		return -EBADF;
	if (f->f_flags & O_PATH)
		ret = -EBADF;
	else
		ret = do_ioctl(t, fd, f, (unsigned)args[1], args[2]);
	file_put(f);
	return ret;
}
