/* eventfd(2) and eventfd2(2).
 *
 * Each guest eventfd is a host eventfd owned by the sentry, created with
 * EFD_NONBLOCK on the host side so a task never blocks the sentry thread.
 * A read or write that would block waits in task_poll_host (see
 * hostfd.c), and guest O_NONBLOCK only decides whether to wait. The host
 * kernel keeps the counter, EFD_SEMAPHORE and the overflow rule, and
 * poll and epoll wait on the host FD. The guest's arguments are checked
 * here first, as Linux checks them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/syscall.h"

static long eventfd_file_read(struct task *t, struct file *f, void *buf,
			      size_t len, int64_t *pos)
{
	if (len < sizeof(uint64_t))
		return -EINVAL;
	return host_read_wait(t, f->host_fd, buf, sizeof(uint64_t),
			      file_nonblock(f));
}

static long eventfd_file_write(struct task *t, struct file *f, const void *buf,
			       size_t len, int64_t *pos)
{
	uint64_t value;

	if (len < sizeof(value))
		return -EINVAL;
	memcpy(&value, buf, sizeof(value));
	if (value == UINT64_MAX)
		return -EINVAL;
	return host_write_wait(t, f->host_fd, &value, sizeof(value),
			       file_nonblock(f));
}

static int eventfd_host_poll_fd(struct file *f)
{
	return f->host_fd;
}

static int eventfd_stat(struct file *f, struct stat *st)
{
	return fstat(f->host_fd, st) < 0 ? neg_errno() : 0;
}

static const struct file_operations eventfd_fops = {
    .read = eventfd_file_read,
    .write = eventfd_file_write,
    .host_poll_fd = eventfd_host_poll_fd,
    .stat = eventfd_stat,
};

int eventfd_create(unsigned initval, int flags, struct file **out)
{
	int hostfd;

	if (flags & ~(EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE))
		return -EINVAL;
	hostfd = eventfd(initval,
			 EFD_CLOEXEC | EFD_NONBLOCK | (flags & EFD_SEMAPHORE));
	if (hostfd < 0)
		return neg_errno();
	*out = file_alloc(&eventfd_fops, O_RDWR | (flags & O_NONBLOCK), hostfd,
			  NULL);
	return 0;
}

static long do_eventfd2(struct task *t, unsigned initval, int flags)
{
	struct file *f;
	int fd = eventfd_create(initval, flags, &f);

	if (fd < 0)
		return fd;
	fd = fd_install(t->files, f, 0, flags & EFD_CLOEXEC,
			task_nofile_limit(t));
	file_put(f);
	return fd;
}

SYSCALL_DEFINE(SYS_eventfd2, eventfd2)
{
	return do_eventfd2(t, (unsigned)args[0], (int)args[1]);
}

SYSCALL_DEFINE(SYS_eventfd, eventfd)
{
	return do_eventfd2(t, (unsigned)args[0], 0);
}
