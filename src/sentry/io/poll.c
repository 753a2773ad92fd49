/* Readiness of files, and poll(2)/ppoll(2).
 *
 * A file is ready either by its own f_op->poll (files whose state the
 * sentry keeps) or by the host readiness of its f_op->host_poll_fd
 * (pipes, sockets, host files); a file with neither never blocks and is
 * always ready, as Linux's DEFAULT_POLLMASK. Waiting happens in one
 * task_poll_host call over every host FD of the set, so a signal
 * interrupts it. Files with only an in-sentry state cannot wake a
 * waiter, so their f_op->poll must have a host FD to wait on if their
 * readiness can change (eventfd keeps one), or the wait re-polls them
 * every POLL_RECHECK_NS (signalfd, see file_poll_needs_recheck).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/mm.h"
#include "sentry/signal.h"
#include "sentry/syscall.h"
#include "sentry/wait.h"

#define NSEC_PER_SEC 1000000000L

void deadline_from_timeout(struct timespec *deadline,
			   const struct timespec *timeout)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += timeout->tv_sec;
	deadline->tv_nsec += timeout->tv_nsec;
	if (deadline->tv_nsec >= NSEC_PER_SEC) {
		deadline->tv_sec++;
		deadline->tv_nsec -= NSEC_PER_SEC;
	}
}

void deadline_remaining(const struct timespec *deadline, struct timespec *left)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left->tv_sec = deadline->tv_sec - now.tv_sec;
	left->tv_nsec = deadline->tv_nsec - now.tv_nsec;
	if (left->tv_nsec < 0) {
		left->tv_sec--;
		left->tv_nsec += NSEC_PER_SEC;
	}
	if (left->tv_sec < 0)
		left->tv_sec = left->tv_nsec = 0;
}

bool deadline_passed(const struct timespec *deadline)
{
	struct timespec left;

	if (!deadline)
		return false;
	deadline_remaining(deadline, &left);
	return left.tv_sec == 0 && left.tv_nsec == 0;
}

/* The in-sentry part of a file's readiness, and its host FD (or -1). */
static unsigned file_poll_local(struct file *f, int *hostfd)
{
	*hostfd = f->f_op->host_poll_fd ? f->f_op->host_poll_fd(f) : -1;
	if (f->f_op->poll)
		return f->f_op->poll(f);
	return *hostfd >= 0 ? 0 : DEFAULT_POLLMASK;
}

unsigned file_poll_now(struct file *f, short events)
{
	short wanted = events | POLLERR | POLLHUP;
	int hostfd;
	unsigned mask = file_poll_local(f, &hostfd) & wanted;

	if (hostfd >= 0) {
		struct pollfd pfd = {.fd = hostfd, .events = events};
		struct timespec zero = {0, 0};

		if (ppoll(&pfd, 1, &zero, NULL) > 0)
			mask |= pfd.revents & wanted;
	}
	return mask;
}

static int count_ready(const struct poll_entry *ents, int n)
{
	int ready = 0;

	for (int i = 0; i < n; i++)
		ready += ents[i].revents != 0;
	return ready;
}

/* One pass: in-sentry readiness into ents, host FDs into host/owner.
 * Returns the number of host FDs. */
static int poll_collect(struct poll_entry *ents, int n, struct pollfd *host,
			int *owner)
{
	int nhost = 0;

	for (int i = 0; i < n; i++) {
		struct poll_entry *e = &ents[i];
		int hostfd;

		if (!e->file)
			continue;
		e->revents = file_poll_local(e->file, &hostfd) &
			     (e->events | POLLERR | POLLHUP);
		if (hostfd < 0)
			continue;
		host[nhost].fd = hostfd;
		host[nhost].events = e->events;
		host[nhost].revents = 0;
		owner[nhost++] = i;
	}
	return nhost;
}

/* Does any file of the set need re-polling while the set waits? */
static bool poll_needs_recheck(const struct poll_entry *ents, int n)
{
	for (int i = 0; i < n; i++) {
		if (ents[i].file && file_poll_needs_recheck(ents[i].file))
			return true;
	}
	return false;
}

const struct timespec *recheck_deadline(const struct timespec *deadline,
					struct timespec *slice)
{
	struct timespec step = {0, POLL_RECHECK_NS};

	deadline_from_timeout(slice, &step);
	if (deadline && (deadline->tv_sec < slice->tv_sec ||
			 (deadline->tv_sec == slice->tv_sec &&
			  deadline->tv_nsec < slice->tv_nsec)))
		return deadline;
	return slice;
}

int poll_files(struct task *t, struct poll_entry *ents, int n,
	       const struct timespec *deadline)
{
	_cleanup_free_ struct pollfd *host = xcalloc(n ? n : 1, sizeof(*host));
	_cleanup_free_ int *owner = xcalloc(n ? n : 1, sizeof(*owner));
	bool recheck = poll_needs_recheck(ents, n);
	struct timespec slice;

	for (;;) {
		int nhost = poll_collect(ents, n, host, owner);
		int ready = count_ready(ents, n);
		int r;

		if (ready > 0 || deadline_passed(deadline)) {
			struct timespec zero = {0, 0};

			/* Just check the host FDs: never wait. */
			r = nhost ? ppoll(host, nhost, &zero, NULL) : 0;
			if (r < 0)
				r = 0;
		} else {
			const struct timespec *until =
			    recheck ? recheck_deadline(deadline, &slice)
				    : deadline;

			r = task_poll_host(t, host, nhost, until);
			if (r < 0)
				return -ERESTARTNOHAND;
		}
		for (int j = 0; j < nhost && r > 0; j++) {
			struct poll_entry *e = &ents[owner[j]];

			e->revents |=
			    host[j].revents & (e->events | POLLERR | POLLHUP);
		}
		ready = count_ready(ents, n);
		if (ready > 0 || deadline_passed(deadline))
			return ready;
	}
}

/* poll and ppoll once the timeout is known. */
static long do_poll(struct task *t, uint64_t ufds, uint64_t nfds,
		    const struct timespec *deadline)
{
	_cleanup_free_ struct pollfd *fds = NULL;
	_cleanup_free_ struct poll_entry *ents = NULL;
	long ret;

	if (nfds > (uint64_t)task_nofile_limit(t))
		return -EINVAL;
	fds = xcalloc(nfds ? nfds : 1, sizeof(*fds));
	ents = xcalloc(nfds ? nfds : 1, sizeof(*ents));
	if (copy_from_user(t, fds, ufds, nfds * sizeof(*fds)) < 0)
		return -EFAULT;

	for (uint64_t i = 0; i < nfds; i++) {
		ents[i].events = fds[i].events;
		if (fds[i].fd < 0)
			continue;
		ents[i].file = fget(t, fds[i].fd);
		if (!ents[i].file)
			ents[i].revents = POLLNVAL;
	}
	ret = poll_files(t, ents, nfds, deadline);
	for (uint64_t i = 0; i < nfds; i++) {
		fds[i].revents = ents[i].revents;
		file_put(ents[i].file);
	}
	if (ret < 0)
		return ret;
	if (copy_to_user(t, ufds, fds, nfds * sizeof(*fds)) < 0)
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE(SYS_poll, poll)
{
	int timeout_ms = (int)args[2];
	struct timespec timeout, deadline;

	if (timeout_ms < 0)
		return do_poll(t, args[0], args[1], NULL);
	timeout.tv_sec = timeout_ms / 1000;
	timeout.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
	deadline_from_timeout(&deadline, &timeout);
	return do_poll(t, args[0], args[1], &deadline);
}

bool io_interrupted(long ret)
{
	return ret == -ERESTARTNOHAND || ret == -ERESTARTSYS || ret == -EINTR;
}

/* Replace t's blocked set, leaving SIGKILL and SIGSTOP unblocked. */
static void set_task_blocked(struct task *t, ksigset_t mask)
{
	pthread_mutex_lock(&t->sighand->lock);
	t->blocked = mask & ~SIG_KERNEL_ONLY_MASK;
	pthread_mutex_unlock(&t->sighand->lock);
}

int io_set_sigmask(struct task *t, uint64_t usigmask, uint64_t sigsetsize)
{
	ksigset_t mask;

	if (!usigmask)
		return 0;
	if (sigsetsize != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(t, &mask, usigmask, sizeof(mask)) < 0)
		return -EFAULT;
	t->saved_mask = t->blocked;
	set_task_blocked(t, mask);
	return 1;
}

void io_restore_sigmask(struct task *t, bool installed, long ret)
{
	if (!installed)
		return;
	if (io_interrupted(ret))
		t->restore_saved_mask = true;
	else
		set_task_blocked(t, t->saved_mask);
}

/* Copy in and check a timespec timeout like poll_select_set_timeout. */
int io_get_timeout(struct task *t, uint64_t uts, struct timespec *deadline)
{
	struct timespec ts;

	if (copy_from_user(t, &ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	deadline_from_timeout(deadline, &ts);
	return 0;
}

/* Write the time left back to a ppoll/pselect6 timeout, as Linux does.
 * An interrupted call whose timeout cannot be updated must not be
 * restarted with the stale one, so it fails with EINTR. */
long io_put_timeout(struct task *t, uint64_t uts,
		    const struct timespec *deadline, long ret)
{
	struct timespec left;

	deadline_remaining(deadline, &left);
	if (copy_to_user(t, uts, &left, sizeof(left)) < 0 &&
	    ret == -ERESTARTNOHAND)
		return -EINTR;
	return ret;
}

SYSCALL_DEFINE(SYS_ppoll, ppoll)
{
	struct timespec deadline;
	uint64_t uts = args[2];
	int installed;
	long ret;

	if (uts) {
		ret = io_get_timeout(t, uts, &deadline);
		if (ret < 0)
			return ret;
	}
	installed = io_set_sigmask(t, args[3], args[4]);
	if (installed < 0)
		return installed;
	ret = do_poll(t, args[0], args[1], uts ? &deadline : NULL);
	io_restore_sigmask(t, installed, ret);
	if (uts)
		ret = io_put_timeout(t, uts, &deadline, ret);
	return ret;
}
