/* Unit tests of eventfd, signalfd and epoll below the syscalls, run on a
 * bare task with no stub process: these paths touch only host FDs, the
 * task's pending signals and sentry memory. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "sentry/file.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/signal.h"
#include "sentry/task.h"

static struct task task;
static struct thread_group group;

static void setup_task(void)
{
	task.tg = &group;
	task.sighand = sighand_create();
	pthread_mutex_init(&task.wait_lock, NULL);
	group.leader = &task;
	current = &task;
	signal(SIGPIPE, SIG_IGN);
}

static struct file *new_eventfd(unsigned initval, int flags)
{
	struct file *f;

	assert(eventfd_create(initval, flags, &f) == 0);
	return f;
}

static struct file *new_epoll(void)
{
	struct file *f;

	assert(epoll_create_file(&f) == 0);
	return f;
}

static int ctl(struct file *ep, int op, int fd, struct file *f, uint32_t events,
	       uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};

	return epoll_ctl_file(ep, op, fd, f, &ev);
}

/* Wait up to timeout_ms (0: just check). */
static int wait_events(struct file *ep, struct epoll_event *out, int max,
		       long timeout_ms)
{
	struct timespec timeout = {timeout_ms / 1000,
				   (timeout_ms % 1000) * 1000000};
	struct timespec deadline;

	deadline_from_timeout(&deadline, &timeout);
	return epoll_wait_file(&task, ep, out, max, &deadline);
}

static void eventfd_add(struct file *efd, uint64_t value)
{
	assert(efd->f_op->write(&task, efd, &value, sizeof(value),
				&efd->f_pos) == sizeof(value));
}

static uint64_t eventfd_take(struct file *efd)
{
	uint64_t value = 0;

	assert(efd->f_op->read(&task, efd, &value, sizeof(value),
			       &efd->f_pos) == sizeof(value));
	return value;
}

static void test_eventfd_counter_rules(void)
{
	struct file *f = new_eventfd(3, EFD_NONBLOCK);
	uint64_t value = UINT64_MAX;
	struct file *unused;

	assert(eventfd_take(f) == 3);
	assert(f->f_op->read(&task, f, &value, sizeof(value), &f->f_pos) ==
	       -EAGAIN);
	assert(f->f_op->read(&task, f, &value, 4, &f->f_pos) == -EINVAL);
	value = UINT64_MAX;
	assert(f->f_op->write(&task, f, &value, sizeof(value), &f->f_pos) ==
	       -EINVAL);
	assert(f->f_op->write(&task, f, &value, 4, &f->f_pos) == -EINVAL);
	file_put(f);

	f = new_eventfd(2, EFD_SEMAPHORE);
	assert(eventfd_take(f) == 1);
	assert(eventfd_take(f) == 1);
	file_put(f);

	assert(eventfd_create(0, 0x12345, &unused) == -EINVAL);
}

static void test_epoll_level_triggered(void)
{
	struct file *ep = new_epoll();
	struct file *efd = new_eventfd(0, EFD_NONBLOCK);
	struct epoll_event out[4];

	assert(ctl(ep, EPOLL_CTL_ADD, 5, efd, EPOLLIN, 77) == 0);
	assert(wait_events(ep, out, 4, 0) == 0);
	eventfd_add(efd, 1);
	assert(wait_events(ep, out, 4, 0) == 1);
	assert(out[0].data.u64 == 77);
	assert(out[0].events == EPOLLIN);
	/* Still readable, so reported again. */
	assert(wait_events(ep, out, 4, 0) == 1);
	eventfd_take(efd);
	assert(wait_events(ep, out, 4, 0) == 0);
	file_put(efd);
	file_put(ep);
}

static void test_epoll_edge_triggered(void)
{
	struct file *ep = new_epoll();
	struct file *efd = new_eventfd(0, EFD_NONBLOCK);
	struct epoll_event out[4];

	assert(ctl(ep, EPOLL_CTL_ADD, 5, efd, EPOLLIN | EPOLLET, 1) == 0);
	eventfd_add(efd, 1);
	assert(wait_events(ep, out, 4, 0) == 1);
	assert(wait_events(ep, out, 4, 0) == 0);
	/* A new write is a new edge although the counter was never read. */
	eventfd_add(efd, 1);
	assert(wait_events(ep, out, 4, 0) == 1);
	file_put(efd);
	file_put(ep);
}

static void test_epoll_oneshot_rearm(void)
{
	struct file *ep = new_epoll();
	struct file *efd = new_eventfd(1, EFD_NONBLOCK);
	struct epoll_event out[4];

	assert(ctl(ep, EPOLL_CTL_ADD, 5, efd, EPOLLIN | EPOLLONESHOT, 1) == 0);
	assert(wait_events(ep, out, 4, 0) == 1);
	assert(wait_events(ep, out, 4, 0) == 0);
	assert(ctl(ep, EPOLL_CTL_MOD, 5, efd, EPOLLIN | EPOLLONESHOT, 2) == 0);
	assert(wait_events(ep, out, 4, 0) == 1);
	assert(out[0].data.u64 == 2);
	file_put(efd);
	file_put(ep);
}

static void test_epoll_ctl_errors(void)
{
	struct file *ep = new_epoll();
	struct file *efd = new_eventfd(0, 0);
	char path[] = "/tmp/test_io_epoll.XXXXXX";
	int regular = mkstemp(path);
	struct file *host_regular;

	assert(regular >= 0);
	unlink(path);
	host_regular = hostfile_create(regular, O_RDWR);
	assert(host_regular);

	assert(ctl(ep, EPOLL_CTL_DEL, 5, efd, 0, 0) == -ENOENT);
	assert(ctl(ep, EPOLL_CTL_MOD, 5, efd, EPOLLIN, 0) == -ENOENT);
	assert(ctl(ep, EPOLL_CTL_ADD, 5, efd, EPOLLIN, 0) == 0);
	assert(ctl(ep, EPOLL_CTL_ADD, 5, efd, EPOLLIN, 0) == -EEXIST);
	/* The same file under another FD is another item. */
	assert(ctl(ep, EPOLL_CTL_ADD, 6, efd, EPOLLIN, 0) == 0);
	assert(ctl(ep, 99, 5, efd, EPOLLIN, 0) == -EINVAL);
	assert(ctl(ep, EPOLL_CTL_ADD, 3, ep, EPOLLIN, 0) == -EINVAL);
	assert(ctl(efd, EPOLL_CTL_ADD, 3, ep, EPOLLIN, 0) == -EINVAL);
	assert(ctl(ep, EPOLL_CTL_ADD, 7, host_regular, EPOLLIN, 0) == -EPERM);
	assert(ctl(ep, EPOLL_CTL_MOD, 5, efd, EPOLLIN | EPOLLEXCLUSIVE, 0) ==
	       -EINVAL);
	assert(ctl(ep, EPOLL_CTL_DEL, 5, efd, 0, 0) == 0);
	assert(ctl(ep, EPOLL_CTL_ADD, 5, efd,
		   EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0) == -EINVAL);
	assert(ctl(ep, EPOLL_CTL_ADD, 5, efd, EPOLLIN | EPOLLEXCLUSIVE, 0) ==
	       0);
	assert(ctl(ep, EPOLL_CTL_MOD, 5, efd, EPOLLIN, 0) == -EINVAL);

	file_put(host_regular);
	file_put(efd);
	file_put(ep);
}

static void test_epoll_drops_closed_file(void)
{
	struct file *ep = new_epoll();
	struct file *rd, *wr;
	struct epoll_event out[4];

	assert(pipe_create(O_NONBLOCK, &rd, &wr) == 0);
	assert(ctl(ep, EPOLL_CTL_ADD, 5, rd, EPOLLIN, 0) == 0);
	assert(wr->f_op->write(&task, wr, "x", 1, &wr->f_pos) == 1);
	assert(wait_events(ep, out, 4, 0) == 1);
	/* Dropping the last reference outside epoll removes the item, as
	 * closing the last FD does on Linux. */
	file_put(rd);
	assert(wait_events(ep, out, 4, 0) == 0);
	/* With the read end closed for good, a write fails with EPIPE. */
	assert(wr->f_op->write(&task, wr, "x", 1, &wr->f_pos) == -EPIPE);
	task.pending.set = 0;
	file_put(wr);
	file_put(ep);
}

static void test_epoll_waits_until_ready(void)
{
	struct file *ep = new_epoll();
	struct file *efd = new_eventfd(0, EFD_NONBLOCK);
	struct epoll_event out[4];
	struct timespec start, end;

	assert(ctl(ep, EPOLL_CTL_ADD, 5, efd, EPOLLIN, 0) == 0);
	clock_gettime(CLOCK_MONOTONIC, &start);
	assert(wait_events(ep, out, 4, 50) == 0);
	clock_gettime(CLOCK_MONOTONIC, &end);
	long ms = (end.tv_sec - start.tv_sec) * 1000 +
		  (end.tv_nsec - start.tv_nsec) / 1000000;
	assert(ms >= 49);
	file_put(efd);
	file_put(ep);
}

static void test_epoll_nested(void)
{
	struct file *outer = new_epoll();
	struct file *inner = new_epoll();
	struct file *efd = new_eventfd(0, EFD_NONBLOCK);
	struct epoll_event out[4];

	assert(ctl(inner, EPOLL_CTL_ADD, 5, efd, EPOLLIN, 1) == 0);
	assert(ctl(outer, EPOLL_CTL_ADD, 6, inner, EPOLLIN, 2) == 0);
	assert(ctl(inner, EPOLL_CTL_ADD, 7, outer, EPOLLIN, 3) == -ELOOP);
	assert(wait_events(outer, out, 4, 0) == 0);
	eventfd_add(efd, 1);
	assert(wait_events(outer, out, 4, 0) == 1);
	assert(out[0].data.u64 == 2);
	assert(out[0].events == EPOLLIN);
	file_put(efd);
	file_put(inner);
	file_put(outer);
}

static void queue_signal(int sig)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_USER;
	info.si_pid = 42;
	pthread_mutex_lock(&task.sighand->lock);
	assert(sigpending_add(&task.pending, sig, &info));
	pthread_mutex_unlock(&task.sighand->lock);
}

static void test_signalfd_read_and_epoll(void)
{
	ksigset_t mask = SIGMASK(SIGUSR1) | SIGMASK(SIGKILL);
	struct file *sfd = signalfd_create(mask, SFD_NONBLOCK);
	struct file *ep = new_epoll();
	struct signalfd_siginfo si[2];
	struct epoll_event out[4];
	short revents;

	assert(sfd->f_op->read(&task, sfd, si, sizeof(si), &sfd->f_pos) ==
	       -EAGAIN);
	assert(sfd->f_op->read(&task, sfd, si, 8, &sfd->f_pos) == -EINVAL);
	assert(ctl(ep, EPOLL_CTL_ADD, 5, sfd, EPOLLIN, 9) == 0);
	assert(wait_events(ep, out, 4, 0) == 0);
	assert(file_poll_needs_recheck(sfd));
	assert(file_poll_needs_recheck(ep));

	task.blocked = SIGMASK(SIGUSR1) | SIGMASK(SIGUSR2);
	queue_signal(SIGUSR2);
	revents = file_poll_now(sfd, POLLIN);
	assert(revents == 0);
	queue_signal(SIGUSR1);
	revents = file_poll_now(sfd, POLLIN);
	assert(revents & POLLIN);
	assert(wait_events(ep, out, 4, 0) == 1);
	assert(out[0].data.u64 == 9);

	assert(sfd->f_op->read(&task, sfd, si, sizeof(si), &sfd->f_pos) ==
	       sizeof(si[0]));
	assert(si[0].ssi_signo == SIGUSR1);
	assert(si[0].ssi_code == SI_USER);
	assert(si[0].ssi_pid == 42);
	assert(wait_events(ep, out, 4, 0) == 0);
	/* SIGUSR2 is outside the mask and stays pending. */
	assert(task.pending.set == SIGMASK(SIGUSR2));
	task.pending.set = 0;
	task.blocked = 0;
	file_put(ep);
	file_put(sfd);
}

int main(void)
{
	setup_task();
	test_eventfd_counter_rules();
	test_epoll_level_triggered();
	test_epoll_edge_triggered();
	test_epoll_oneshot_rearm();
	test_epoll_ctl_errors();
	test_epoll_drops_closed_file();
	test_epoll_waits_until_ready();
	test_epoll_nested();
	test_signalfd_read_and_epoll();
	printf("test_io_epoll: ok\n");
	return 0;
}
