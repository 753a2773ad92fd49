/* Unit tests of pipes, socketpair sockets and the poll engine, run on
 * a bare task with no stub process: these paths touch only host FDs and
 * sentry memory. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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
	/* The sentry ignores host SIGPIPE and sees EPIPE instead. */
	signal(SIGPIPE, SIG_IGN);
}

static long file_write(struct file *f, const char *s, size_t len)
{
	return f->f_op->write(&task, f, s, len, &f->f_pos);
}

static long file_read(struct file *f, char *buf, size_t len)
{
	return f->f_op->read(&task, f, buf, len, &f->f_pos);
}

static int poll_one(struct file *f, short events, short *revents)
{
	struct poll_entry e = {.file = f, .events = events};
	struct timespec zero = {0, 0}, deadline;
	int n;

	deadline_from_timeout(&deadline, &zero);
	n = poll_files(&task, &e, 1, &deadline);
	*revents = e.revents;
	return n;
}

static void test_pipe_roundtrip(void)
{
	struct file *rd, *wr;
	char buf[16] = {0};

	assert(pipe_create(0, &rd, &wr) == 0);
	assert(file_is_pipe(rd));
	assert((rd->f_flags & O_ACCMODE) == O_RDONLY);
	assert((wr->f_flags & O_ACCMODE) == O_WRONLY);
	assert(file_write(wr, "hello", 5) == 5);
	assert(file_read(rd, buf, sizeof(buf)) == 5);
	assert(memcmp(buf, "hello", 5) == 0);
	file_put(rd);
	file_put(wr);
}

static void test_pipe_nonblocking_empty(void)
{
	struct file *rd, *wr;
	char c;

	assert(pipe_create(O_NONBLOCK, &rd, &wr) == 0);
	assert(rd->f_flags & O_NONBLOCK);
	assert(file_read(rd, &c, 1) == -EAGAIN);
	file_put(rd);
	file_put(wr);
}

struct writer_arg {
	struct file *wr;
	size_t len;
	long result;
};

static void *delayed_writer(void *p)
{
	struct writer_arg *a = p;
	static char big[1 << 20];

	memset(big, 'x', sizeof(big));
	usleep(50 * 1000);
	a->result =
	    a->wr->f_op->write(&task, a->wr, big, a->len, &a->wr->f_pos);
	return NULL;
}

static void test_pipe_blocking_read_and_large_write(void)
{
	struct file *rd, *wr;
	struct writer_arg a;
	pthread_t th;
	static char buf[1 << 16];
	size_t total = 0;

	assert(pipe_create(0, &rd, &wr) == 0);
	a.wr = wr;
	a.len = 1 << 20;
	pthread_create(&th, NULL, delayed_writer, &a);
	/* The first read waits for the writer; the rest drain 1 MiB. */
	while (total < a.len) {
		long n = file_read(rd, buf, sizeof(buf));

		assert(n > 0);
		total += n;
	}
	pthread_join(th, NULL);
	assert(a.result == (long)a.len);
	assert(total == a.len);
	file_put(rd);
	file_put(wr);
}

static void test_pipe_poll_and_eof(void)
{
	struct file *rd, *wr;
	short rev;
	char c;

	assert(pipe_create(0, &rd, &wr) == 0);
	assert(poll_one(rd, POLLIN, &rev) == 0);
	assert(rev == 0);
	assert(poll_one(wr, POLLOUT, &rev) == 1);
	assert(rev & POLLOUT);
	assert(file_write(wr, "x", 1) == 1);
	assert(poll_one(rd, POLLIN, &rev) == 1);
	assert(rev & POLLIN);
	assert(file_read(rd, &c, 1) == 1);
	file_put(wr);
	assert(poll_one(rd, POLLIN, &rev) == 1);
	assert(rev & POLLHUP);
	assert(file_read(rd, &c, 1) == 0);
	file_put(rd);
}

static void test_pipe_epipe_sends_sigpipe(void)
{
	struct file *rd, *wr;

	assert(pipe_create(0, &rd, &wr) == 0);
	file_put(rd);
	task.pending.set = 0;
	assert(file_write(wr, "x", 1) == -EPIPE);
	assert(task.pending.set & SIGMASK(SIGPIPE));
	task.pending.set = 0;
	file_put(wr);
}

static void test_pipe_size(void)
{
	struct file *rd, *wr;

	assert(pipe_create(0, &rd, &wr) == 0);
	assert(pipe_get_size(rd) == 65536);
	assert(pipe_set_size(wr, 8192) == 8192);
	assert(pipe_get_size(rd) == 8192);
	assert(pipe_set_size(wr, 1UL << 40) == -EINVAL);
	file_put(rd);
	file_put(wr);
}

static void test_poll_entry_without_host_fd(void)
{
	static const struct file_operations plain = {0};
	struct file *f = file_alloc(&plain, O_RDWR, -1, NULL);
	short rev;

	assert(poll_one(f, POLLIN | POLLOUT, &rev) == 1);
	assert(rev == (POLLIN | POLLOUT));
	file_put(f);
}

static void test_poll_times_out(void)
{
	struct file *rd, *wr;
	struct poll_entry e;
	struct timespec timeout = {0, 30 * 1000 * 1000}, deadline, before,
			after;

	assert(pipe_create(0, &rd, &wr) == 0);
	e = (struct poll_entry){.file = rd, .events = POLLIN};
	clock_gettime(CLOCK_MONOTONIC, &before);
	deadline_from_timeout(&deadline, &timeout);
	assert(poll_files(&task, &e, 1, &deadline) == 0);
	clock_gettime(CLOCK_MONOTONIC, &after);
	long elapsed_ms = (after.tv_sec - before.tv_sec) * 1000 +
			  (after.tv_nsec - before.tv_nsec) / 1000000;
	assert(elapsed_ms >= 29);
	file_put(rd);
	file_put(wr);
}

int main(void)
{
	setup_task();
	test_pipe_roundtrip();
	test_pipe_nonblocking_empty();
	test_pipe_blocking_read_and_large_write();
	test_pipe_poll_and_eof();
	test_pipe_epipe_sends_sigpipe();
	test_pipe_size();
	test_poll_entry_without_host_fd();
	test_poll_times_out();
	printf("test_io_pipe: ok\n");
	return 0;
}
