/* Anonymous pipes: pipe(2) and pipe2(2).
 *
 * Each guest pipe is a host pipe owned by the sentry, with O_NONBLOCK set
 * on both host ends (see hostfd.c). The host kernel provides the buffer,
 * the atomicity of writes up to PIPE_BUF, EOF and EPIPE. Each end is one
 * struct file that owns one host FD.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"

/* Linux's upper bound for F_SETPIPE_SZ before pipe-max-size applies. */
#define PIPE_SIZE_ARG_MAX (1UL << 31)

static long pipe_read(struct task *t, struct file *f, void *buf, size_t len,
		      int64_t *pos)
{
	return host_read_wait(t, f->host_fd, buf, len, file_nonblock(f));
}

static long pipe_write(struct task *t, struct file *f, const void *buf,
		       size_t len, int64_t *pos)
{
	return host_write_wait(t, f->host_fd, buf, len, file_nonblock(f));
}

static int pipe_host_poll_fd(struct file *f)
{
	return f->host_fd;
}

/* FIONREAD is the only pipe ioctl; the generic ones are handled by the
 * ioctl syscall before it gets here. */
static long pipe_ioctl(struct task *t, struct file *f, unsigned cmd,
		       uint64_t arg)
{
	int avail;

	if (cmd != FIONREAD)
		return -ENOTTY;
	if (ioctl(f->host_fd, FIONREAD, &avail) < 0)
		return neg_errno();
	return copy_to_user(t, arg, &avail, sizeof(avail));
}

/* Return the host's fstat with the owner set to the creating task. */
static int pipe_stat(struct file *f, struct stat *st)
{
	const struct cred *owner = f->private_data;

	if (fstat(f->host_fd, st) < 0)
		return neg_errno();
	if (owner) {
		st->st_uid = owner->fsuid;
		st->st_gid = owner->fsgid;
	}
	return 0;
}

static void pipe_release(struct file *f)
{
	free(f->private_data);
}

static const struct file_operations pipe_fops = {
    .read = pipe_read,
    .write = pipe_write,
    .ioctl = pipe_ioctl,
    .host_poll_fd = pipe_host_poll_fd,
    .stat = pipe_stat,
    .release = pipe_release,
};

bool file_is_pipe(struct file *f)
{
	return f->f_op == &pipe_fops;
}

/* A copy of the creator's fsuid and fsgid for fstat (no groups list). */
static struct cred *pipe_owner(struct task *t)
{
	struct cred *c = xcalloc(1, sizeof(*c));

	if (t) {
		c->fsuid = t->cred.fsuid;
		c->fsgid = t->cred.fsgid;
	}
	return c;
}

int pipe_reopen(struct file *f, unsigned flags, struct file **out)
{
	const struct cred *owner = f->private_data;
	struct cred *copy;
	int fd;

	if (!file_is_pipe(f))
		return -ENODEV;
	if ((flags & O_ACCMODE) != (f->f_flags & O_ACCMODE))
		return -ENXIO;
	fd = fcntl(f->host_fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return neg_errno();
	copy = xcalloc(1, sizeof(*copy));
	if (owner) {
		copy->fsuid = owner->fsuid;
		copy->fsgid = owner->fsgid;
	}
	*out = file_alloc(&pipe_fops, flags, fd, copy);
	return 0;
}

int pipe_create(unsigned flags, struct file **rd, struct file **wr)
{
	int fds[2];
	unsigned guest = flags & (O_NONBLOCK | O_DIRECT);

	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC | (flags & O_DIRECT)) < 0)
		return neg_errno();
	*rd = file_alloc(&pipe_fops, O_RDONLY | guest, fds[0],
			 pipe_owner(current));
	*wr = file_alloc(&pipe_fops, O_WRONLY | guest, fds[1],
			 pipe_owner(current));
	return 0;
}

long pipe_get_size(struct file *f)
{
	int size = fcntl(f->host_fd, F_GETPIPE_SZ);

	return size < 0 ? neg_errno() : size;
}

long pipe_set_size(struct file *f, unsigned long size)
{
	int ret;

	if (size > PIPE_SIZE_ARG_MAX)
		return -EINVAL;
	ret = fcntl(f->host_fd, F_SETPIPE_SZ, (int)size);
	return ret < 0 ? neg_errno() : ret;
}

/* Install both ends and copy the FD pair out, undoing it on failure. */
static long do_pipe2(struct task *t, uint64_t ufds, int flags)
{
	struct file *rd, *wr;
	int limit = task_nofile_limit(t);
	bool cloexec = flags & O_CLOEXEC;
	int fds[2];
	long ret;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	ret = pipe_create(flags, &rd, &wr);
	if (ret < 0)
		return ret;

	fds[0] = fd_install(t->files, rd, 0, cloexec, limit);
	if (fds[0] < 0) {
		ret = fds[0];
		goto out_put;
	}
	fds[1] = fd_install(t->files, wr, 0, cloexec, limit);
	if (fds[1] < 0) {
		ret = fds[1];
		fd_close(t->files, fds[0]);
		goto out_put;
	}
	ret = copy_to_user(t, ufds, fds, sizeof(fds));
	if (ret < 0) {
		fd_close(t->files, fds[0]);
		fd_close(t->files, fds[1]);
	}
out_put:
	file_put(rd);
	file_put(wr);
	return ret;
}

SYSCALL_DEFINE(SYS_pipe, pipe)
{
	return do_pipe2(t, args[0], 0);
}

SYSCALL_DEFINE(SYS_pipe2, pipe2)
{
	return do_pipe2(t, args[0], (int)args[1]);
}
