/* Reading and writing host FDs without blocking the sentry thread in a
 * way a guest signal cannot interrupt.
 *
 * The sentry's own pipes and sockets have O_NONBLOCK set on the host
 * side: an operation that would block returns EAGAIN and the task waits
 * in task_poll_host. Guest O_NONBLOCK only decides whether to wait.
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/io/io_internal.h"
#include "sentry/wait.h"

int host_wait_fd(struct task *t, int fd, short events)
{
	struct pollfd pfd = {.fd = fd, .events = events};
	int r = task_poll_host(t, &pfd, 1, NULL);

	return r < 0 ? r : 0;
}

long host_read_wait(struct task *t, int fd, void *buf, size_t len,
		    bool nonblock)
{
	for (;;) {
		ssize_t n = read(fd, buf, len);

		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return neg_errno();
		if (nonblock)
			return -EAGAIN;
		int r = host_wait_fd(t, fd, POLLIN);
		if (r < 0)
			return r;
	}
}

long host_write_wait(struct task *t, int fd, const void *buf, size_t len,
		     bool nonblock)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n >= 0) {
			done += n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EPIPE) {
			send_signal_to_task(t, SIGPIPE, SI_USER);
			return done ? (long)done : -EPIPE;
		}
		if (errno != EAGAIN)
			return done ? (long)done : neg_errno();
		if (nonblock)
			return done ? (long)done : -EAGAIN;
		int r = host_wait_fd(t, fd, POLLOUT);
		if (r < 0)
			return done ? (long)done : r;
	}
	return done;
}
