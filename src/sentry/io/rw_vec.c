/* Vectored I/O: readv, writev, preadv, pwritev, preadv2 and pwritev2. */
#include <errno.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "common/util.h"
#include "sentry/io/io_internal.h"
#include "sentry/syscall.h"

#ifndef RWF_APPEND
#define RWF_APPEND 0x10
#endif
#ifndef RWF_NOAPPEND
#define RWF_NOAPPEND 0x20
#endif
#define RWF_SUPPORTED                                                          \
	(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND |          \
	 RWF_NOAPPEND)

/* Run readv/writev-style I/O on fd at *pos (NULL: the file position). */
static long do_rwv(struct task *t, int fd, uint64_t uiov, uint64_t nr_segs,
		   int64_t *pos, bool write, uint64_t rwf)
{
	struct user_iter it;
	struct file *f = fget(t, fd);
	long ret;

	if (!f)
		return -EBADF;
	if (pos && !f->f_op->llseek) {
		ret = -ESPIPE;
		goto out_put;
	}
	ret = user_iter_import(t, &it, uiov, nr_segs);
	if (ret < 0)
		goto out_put;

	if (write ? !file_writable(f) : !file_readable(f))
		ret = -EBADF;
	else if (write ? !f->f_op->write : !f->f_op->read)
		ret = write ? -EINVAL : io_no_read_errno(f);
	else if (rwf & ~(uint64_t)RWF_SUPPORTED)
		ret = -EOPNOTSUPP;
	else
		/* NOTE: RWF_* hints are accepted and ignored, and
		 * RWF_APPEND does not force an append. */
		ret = io_rw(t, f, &it, pos, write);
	user_iter_release(&it);
out_put:
	file_put(f);
	return ret;
}

SYSCALL_DEFINE(SYS_readv, readv)
{
	return do_rwv(t, (int)args[0], args[1], args[2], NULL, false, 0);
}

SYSCALL_DEFINE(SYS_writev, writev)
{
	return do_rwv(t, (int)args[0], args[1], args[2], NULL, true, 0);
}

/* On x86-64 the whole offset arrives in the "low" argument. */
static long do_prwv(const uint64_t *args, struct task *t, bool write,
		    uint64_t rwf, bool v2)
{
	int64_t pos = (int64_t)args[3];

	/* preadv2/pwritev2 with offset -1 use and update the file
	 * position. */
	if (v2 && pos == -1)
		return do_rwv(t, (int)args[0], args[1], args[2], NULL, write,
			      rwf);
	if (pos < 0)
		return -EINVAL;
	return do_rwv(t, (int)args[0], args[1], args[2], &pos, write, rwf);
}

SYSCALL_DEFINE(SYS_preadv, preadv)
{
	return do_prwv(args, t, false, 0, false);
}

SYSCALL_DEFINE(SYS_pwritev, pwritev)
{
	return do_prwv(args, t, true, 0, false);
}

SYSCALL_DEFINE(SYS_preadv2, preadv2)
{
	return do_prwv(args, t, false, args[5], true);
}

SYSCALL_DEFINE(SYS_pwritev2, pwritev2)
{
	return do_prwv(args, t, true, args[5], true);
}
