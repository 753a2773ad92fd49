/* fcntl(2). */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/fs/memfd.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/syscall.h"

#ifndef F_OFD_GETLK
#define F_OFD_GETLK  36
#define F_OFD_SETLK  37
#define F_OFD_SETLKW 38
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#endif

/* The status flags F_SETFL may change (Linux's SETFL_MASK). */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME | O_ASYNC)

static long fcntl_dupfd(struct task *t, struct file *f, uint64_t arg,
			bool cloexec)
{
	int limit = task_nofile_limit(t);

	if (arg >= (uint64_t)limit)
		return -EINVAL;
	return fd_install(t->files, f, (int)arg, cloexec, limit);
}

static long fcntl_setfl(struct file *f, unsigned flags)
{
	pthread_mutex_lock(&f->f_lock);
	f->f_flags = (f->f_flags & ~SETFL_MASK) | (flags & SETFL_MASK);
	pthread_mutex_unlock(&f->f_lock);
	return 0;
}

/* Commands allowed on an O_PATH file (Linux's check_fcntl_cmd). */
static bool fcntl_allowed_on_path(int cmd)
{
	return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD ||
	       cmd == F_SETFD || cmd == F_GETFL;
}

static long do_fcntl(struct task *t, int fd, struct file *f, int cmd,
		     uint64_t arg)
{
	switch (cmd) {
	case F_DUPFD:
		return fcntl_dupfd(t, f, arg, false);
	case F_DUPFD_CLOEXEC:
		return fcntl_dupfd(t, f, arg, true);
	case F_GETFD: {
		int cloexec = fd_get_cloexec(t->files, fd);

		if (cloexec < 0)
			return cloexec;
		return cloexec ? FD_CLOEXEC : 0;
	}
	case F_SETFD:
		return fd_set_cloexec(t->files, fd, arg & FD_CLOEXEC);
	case F_GETFL: {
		unsigned flags;

		pthread_mutex_lock(&f->f_lock);
		flags = f->f_flags;
		pthread_mutex_unlock(&f->f_lock);
		return flags;
	}
	case F_SETFL:
		return fcntl_setfl(f, (unsigned)arg);
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fcntl_lock(t, f, cmd, arg);
	case F_GETPIPE_SZ:
		return file_is_pipe(f) ? pipe_get_size(f) : -EBADF;
	case F_SETPIPE_SZ:
		return file_is_pipe(f) ? pipe_set_size(f, arg) : -EBADF;
	case F_SETOWN:
		/* NOTE: the owner is stored for F_GETOWN but SIGIO is never
		 * sent. */
		pthread_mutex_lock(&f->f_lock);
		f->f_owner = (int)arg;
		pthread_mutex_unlock(&f->f_lock);
		return 0;
	case F_GETOWN: {
		int owner;

		pthread_mutex_lock(&f->f_lock);
		owner = f->f_owner;
		pthread_mutex_unlock(&f->f_lock);
		return owner;
	}
	case F_ADD_SEALS:
	case F_GET_SEALS:
		return memfd_fcntl_seals(f, cmd, arg);
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE(SYS_fcntl, fcntl)
{
	int fd = (int)args[0], cmd = (int)args[1];
	struct file *f = fget(t, fd);
	long ret;

	if (!f)
		return -EBADF;
	if ((f->f_flags & O_PATH) && !fcntl_allowed_on_path(cmd))
		ret = -EBADF;
	else
		ret = do_fcntl(t, fd, f, cmd, args[2]);
	file_put(f);
	return ret;
}
