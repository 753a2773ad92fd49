/* Files wrapping FDs the sentry inherited from its caller: the guest's
 * stdin, stdout and stderr (a terminal, pipe, regular file or
 * /dev/null).
 *
 * These host FDs are shared with the caller's shell, so their O_NONBLOCK
 * flag is never changed: a read or write first waits in task_poll_host
 * until the FD is ready and then calls the host. The host keeps the
 * offset, so a sandbox appending to a file its caller also writes sees
 * the caller's writes, as a native child would.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/wait.h"

/* Wait until hostfd is ready for events; just check if nonblock. */
static int hostfile_wait(struct task *t, int hostfd, short events,
			 bool nonblock)
{
	struct pollfd pfd = {.fd = hostfd, .events = events};
	struct timespec zero = {0, 0};
	int r;

	if (nonblock) {
		r = ppoll(&pfd, 1, &zero, NULL);
		if (r == 0)
			return -EAGAIN;
		if (r < 0)
			return neg_errno();
	} else {
		r = task_poll_host(t, &pfd, 1, NULL);
	}
	return r < 0 ? r : 0;
}

static long hostfile_read(struct task *t, struct file *f, void *buf, size_t len,
			  int64_t *pos)
{
	bool sequential = pos == &f->f_pos;

	for (;;) {
		int r = hostfile_wait(t, f->host_fd, POLLIN, file_nonblock(f));
		ssize_t n;

		if (r < 0)
			return r;
		if (sequential)
			n = read(f->host_fd, buf, len);
		else
			n = pread(f->host_fd, buf, len, *pos);
		if (n >= 0) {
			if (!sequential)
				*pos += n;
			return n;
		}
		/* The caller may have set O_NONBLOCK itself, or another
		 * reader took the data first. */
		if (errno != EAGAIN && errno != EINTR)
			return neg_errno();
	}
}

static long hostfile_write(struct task *t, struct file *f, const void *buf,
			   size_t len, int64_t *pos)
{
	bool sequential = pos == &f->f_pos;
	size_t done = 0;

	while (done < len) {
		int r = hostfile_wait(t, f->host_fd, POLLOUT, file_nonblock(f));
		ssize_t n;

		if (r < 0)
			return done ? (long)done : r;
		if (sequential)
			n = write(f->host_fd, (const char *)buf + done,
				  len - done);
		else
			n = pwrite(f->host_fd, (const char *)buf + done,
				   len - done, *pos + done);
		if (n < 0 && errno == EPIPE)
			send_signal_to_task(t, SIGPIPE, SI_USER);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return done ? (long)done : neg_errno();
		if (n == 0)
			break;
		if (n > 0)
			done += n;
	}
	if (!sequential)
		*pos += done;
	return done;
}

static int64_t hostfile_llseek(struct file *f, int64_t off, int whence)
{
	off_t r = lseek(f->host_fd, off, whence);

	if (r < 0)
		return neg_errno();
	f->f_pos = r;
	return r;
}

static long hostfile_ioctl(struct task *t, struct file *f, unsigned cmd,
			   uint64_t arg)
{
	return tty_ioctl(t, f->host_fd, cmd, arg);
}

static int hostfile_host_poll_fd(struct file *f)
{
	return f->host_fd;
}

static int hostfile_stat(struct file *f, struct stat *st)
{
	return fstat(f->host_fd, st) < 0 ? neg_errno() : 0;
}

static int hostfile_fsync(struct file *f, bool datasync)
{
	int r = datasync ? fdatasync(f->host_fd) : fsync(f->host_fd);

	return r < 0 ? neg_errno() : 0;
}

static const struct file_operations hostfile_fops = {
    .read = hostfile_read,
    .write = hostfile_write,
    .llseek = hostfile_llseek,
    .ioctl = hostfile_ioctl,
    .host_poll_fd = hostfile_host_poll_fd,
    .stat = hostfile_stat,
    .fsync = hostfile_fsync,
};

bool file_is_hostfile(struct file *f)
{
	return f->f_op == &hostfile_fops;
}

struct file *hostfile_create(int hostfd, unsigned flags)
{
	if (fcntl(hostfd, F_GETFD) < 0)
		return NULL;
	return file_alloc(&hostfile_fops, flags, hostfd, NULL);
}

int io_install_stdio(struct fdtable *fdt)
{
	for (int fd = 0; fd < 3; fd++) {
		int flags = fcntl(fd, F_GETFL);
		_cleanup_close_ int copy = -1;
		struct file *f;

		if (flags < 0)
			continue;
		copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (copy < 0)
			return neg_errno();
		f = hostfile_create(take_fd(&copy), flags & ~O_CLOEXEC);
		BUG_ON(!f);
		int r = fd_install_at(fdt, fd, f, false, fd + 1);
		file_put(f);
		if (r < 0)
			return r;
	}
	return 0;
}
