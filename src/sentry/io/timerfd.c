/* timerfd_create(2), timerfd_settime(2) and timerfd_gettime(2).
 *
 * Each guest timerfd is a host timerfd on the same clock, owned by the
 * sentry and created with TFD_NONBLOCK on the host side. A blocking read
 * waits in task_poll_host, so a signal interrupts it. Poll and epoll wait
 * on the host FD. The guest's clocks are the host's clocks, so
 * absolute expiry times need no translation. Arguments are checked here
 * in Linux's order before the host sees them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"

#define NSEC_PER_SEC 1000000000L

static long timerfd_read(struct task *t, struct file *f, void *buf, size_t len,
			 int64_t *pos)
{
	if (len < sizeof(uint64_t))
		return -EINVAL;
	return host_read_wait(t, f->host_fd, buf, sizeof(uint64_t),
			      file_nonblock(f));
}

static int timerfd_host_poll_fd(struct file *f)
{
	return f->host_fd;
}

static int timerfd_stat(struct file *f, struct stat *st)
{
	return fstat(f->host_fd, st) < 0 ? neg_errno() : 0;
}

static const struct file_operations timerfd_fops = {
    .read = timerfd_read,
    .host_poll_fd = timerfd_host_poll_fd,
    .stat = timerfd_stat,
};

/* Get the timerfd at fd: -EBADF if fd is not open, -EINVAL if it is
 * another kind of file. */
static long timerfd_fget(struct task *t, int fd, struct file **out)
{
	struct file *f = fget(t, fd);

	if (!f)
		return -EBADF;
	if (f->f_op != &timerfd_fops) {
		file_put(f);
		return -EINVAL;
	}
	*out = f;
	return 0;
}

static bool timespec_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       ts->tv_nsec < NSEC_PER_SEC;
}

SYSCALL_DEFINE(SYS_timerfd_create, timerfd_create)
{
	int clockid = (int)args[0];
	int flags = (int)args[1];
	struct file *f;
	int hostfd, fd;

	if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
		return -EINVAL;
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		break;
	default:
		return -EINVAL;
	}
	/* The alarm clocks need CAP_WAKE_ALARM on the host as well, so the
	 * host's EPERM (or EINVAL without an RTC) reaches the guest. */
	hostfd = timerfd_create(clockid, TFD_CLOEXEC | TFD_NONBLOCK);
	if (hostfd < 0)
		return neg_errno();
	f = file_alloc(&timerfd_fops, O_RDWR | (flags & O_NONBLOCK), hostfd,
		       NULL);
	fd = fd_install(t->files, f, 0, flags & TFD_CLOEXEC,
			task_nofile_limit(t));
	file_put(f);
	return fd;
}

SYSCALL_DEFINE(SYS_timerfd_settime, timerfd_settime)
{
	int flags = (int)args[1];
	struct itimerspec new_value, old_value;
	struct file *f;
	long ret;

	if (copy_from_user(t, &new_value, args[2], sizeof(new_value)) < 0)
		return -EFAULT;
	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if (!timespec_valid(&new_value.it_value) ||
	    !timespec_valid(&new_value.it_interval))
		return -EINVAL;
	ret = timerfd_fget(t, (int)args[0], &f);
	if (ret < 0)
		return ret;
	if (timerfd_settime(f->host_fd, flags, &new_value, &old_value) < 0)
		ret = neg_errno();
	file_put(f);
	if (ret < 0)
		return ret;
	/* Like Linux, a fault on the old value comes after the timer is
	 * set. */
	if (args[3] &&
	    copy_to_user(t, args[3], &old_value, sizeof(old_value)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_timerfd_gettime, timerfd_gettime)
{
	struct itimerspec value;
	struct file *f;
	long ret = timerfd_fget(t, (int)args[0], &f);

	if (ret < 0)
		return ret;
	if (timerfd_gettime(f->host_fd, &value) < 0)
		ret = neg_errno();
	file_put(f);
	if (ret < 0)
		return ret;
	if (copy_to_user(t, args[1], &value, sizeof(value)) < 0)
		return -EFAULT;
	return 0;
}
