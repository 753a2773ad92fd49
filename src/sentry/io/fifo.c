/* Named pipes (FIFOs).
 *
 * A FIFO inode gets one host pipe, created at the first open and freed
 * with its unread data when the last open file is released, as on Linux.
 * The sentry keeps both host ends open, so the host never reports EOF or
 * EPIPE: the reader and writer counts below decide them instead.
 *
 * Locking: fifo_lock protects every inode's i_pipe pointer and all
 * fields of struct fifo except the host FDs, which are constant.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fs/fs.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/syscall.h"
#include "sentry/wait.h"

/* How long a blocked reader or writer sleeps before it checks again
 * whether the other side has gone: the host pipe cannot report that. */
#define FIFO_RECHECK_NS (50 * 1000 * 1000)

struct fifo {
	int rfd, wfd; /* host pipe, O_NONBLOCK */
	int readers, writers;
	/* Opens so far, to tell a waiting open that a peer came (and
	 * maybe left again). */
	unsigned r_counter, w_counter;
	pthread_cond_t cond; /* broadcast on every open and release */
};

/* One open file of a FIFO. */
struct fifo_file {
	struct fifo *fifo;
	unsigned w_counter_at_open; /* for POLLHUP, as Linux's f_version */
};

static pthread_mutex_t fifo_lock = PTHREAD_MUTEX_INITIALIZER;

static int fifo_readers(struct fifo *p)
{
	return __atomic_load_n(&p->readers, __ATOMIC_ACQUIRE);
}

static int fifo_writers(struct fifo *p)
{
	return __atomic_load_n(&p->writers, __ATOMIC_ACQUIRE);
}

/* Wait on a host FD for at most FIFO_RECHECK_NS. */
static int fifo_wait_host(struct task *t, int fd, short events)
{
	struct timespec timeout = {0, FIFO_RECHECK_NS}, deadline;
	struct pollfd pfd = {.fd = fd, .events = events};

	deadline_from_timeout(&deadline, &timeout);
	int r = task_poll_host(t, &pfd, 1, &deadline);
	return r < 0 ? r : 0;
}

static long fifo_read(struct task *t, struct file *f, void *buf, size_t len,
		      int64_t *pos)
{
	struct fifo *p = ((struct fifo_file *)f->private_data)->fifo;

	for (;;) {
		ssize_t n = read(p->rfd, buf, len);

		if (n >= 0)
			return n;
		if (errno != EAGAIN)
			return neg_errno();
		if (fifo_writers(p) == 0)
			return 0;
		if (file_nonblock(f))
			return -EAGAIN;
		int r = fifo_wait_host(t, p->rfd, POLLIN);
		if (r < 0)
			return r;
	}
}

static long fifo_write(struct task *t, struct file *f, const void *buf,
		       size_t len, int64_t *pos)
{
	struct fifo *p = ((struct fifo_file *)f->private_data)->fifo;
	size_t done = 0;

	while (done < len) {
		if (fifo_readers(p) == 0) {
			send_signal_to_task(t, SIGPIPE, SI_USER);
			return done ? (long)done : -EPIPE;
		}
		ssize_t n = write(p->wfd, (const char *)buf + done, len - done);
		if (n >= 0) {
			done += n;
			continue;
		}
		if (errno != EAGAIN)
			return done ? (long)done : neg_errno();
		if (file_nonblock(f))
			return done ? (long)done : -EAGAIN;
		int r = fifo_wait_host(t, p->wfd, POLLOUT);
		if (r < 0)
			return done ? (long)done : r;
	}
	return done;
}

/* The states the host pipe cannot show; POLLIN and POLLOUT come from
 * host_poll_fd, except POLLOUT of an O_RDWR file, checked here. */
static unsigned fifo_poll(struct file *f)
{
	struct fifo_file *ff = f->private_data;
	struct fifo *p = ff->fifo;
	unsigned mask = 0;

	if (file_readable(f) && fifo_writers(p) == 0 &&
	    __atomic_load_n(&p->w_counter, __ATOMIC_ACQUIRE) !=
		ff->w_counter_at_open)
		mask |= POLLHUP;
	if (file_writable(f) && fifo_readers(p) == 0)
		mask |= POLLERR;
	if (file_readable(f) && file_writable(f)) {
		struct pollfd pfd = {.fd = p->wfd, .events = POLLOUT};
		struct timespec zero = {0, 0};

		if (ppoll(&pfd, 1, &zero, NULL) > 0)
			mask |= POLLOUT | POLLWRNORM;
	}
	return mask;
}

static int fifo_host_poll_fd(struct file *f)
{
	struct fifo *p = ((struct fifo_file *)f->private_data)->fifo;

	return file_readable(f) ? p->rfd : p->wfd;
}

/* Free the pipe when no file has it open (fifo_lock held). */
static void fifo_maybe_free(struct inode *inode, struct fifo *p)
{
	if (p->readers || p->writers)
		return;
	close(p->rfd);
	close(p->wfd);
	pthread_cond_destroy(&p->cond);
	free(p);
	inode->i_pipe = NULL;
}

static void fifo_release(struct file *f)
{
	struct fifo_file *ff = f->private_data;
	struct fifo *p = ff->fifo;

	pthread_mutex_lock(&fifo_lock);
	if (file_readable(f))
		__atomic_sub_fetch(&p->readers, 1, __ATOMIC_RELEASE);
	if (file_writable(f))
		__atomic_sub_fetch(&p->writers, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&p->cond);
	fifo_maybe_free(f->f_inode, p);
	pthread_mutex_unlock(&fifo_lock);
	free(ff);
}

static const struct file_operations fifo_fops = {
    .read = fifo_read,
    .write = fifo_write,
    .poll = fifo_poll,
    .host_poll_fd = fifo_host_poll_fd,
    .release = fifo_release,
};

static int fifo_get(struct inode *inode, struct fifo **out)
{
	struct fifo *p = inode->i_pipe;
	int fds[2];

	if (!p) {
		if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0)
			return neg_errno();
		p = xcalloc(1, sizeof(*p));
		p->rfd = fds[0];
		p->wfd = fds[1];
		pthread_cond_init(&p->cond, NULL);
		inode->i_pipe = p;
	}
	*out = p;
	return 0;
}

/* Wait (fifo_lock held) until *counter moves past seen. */
static int fifo_wait_peer(struct task *t, struct fifo *p,
			  const unsigned *counter, unsigned seen)
{
	while (*counter == seen) {
		int r = task_wait_cond(t, &p->cond, &fifo_lock, NULL);

		if (r < 0)
			return r;
	}
	return 0;
}

int fifo_open(struct task *t, struct inode *inode, struct file *f)
{
	unsigned acc = f->f_flags & O_ACCMODE;
	bool nonblock = f->f_flags & O_NONBLOCK;
	struct fifo *p;
	int err;

	pthread_mutex_lock(&fifo_lock);
	err = fifo_get(inode, &p);
	if (err < 0)
		goto out_unlock;

	if (acc == O_WRONLY && nonblock && p->readers == 0) {
		err = -ENXIO;
		fifo_maybe_free(inode, p);
		goto out_unlock;
	}
	if (acc != O_WRONLY) {
		__atomic_add_fetch(&p->readers, 1, __ATOMIC_RELEASE);
		__atomic_add_fetch(&p->r_counter, 1, __ATOMIC_RELEASE);
	}
	if (acc != O_RDONLY) {
		__atomic_add_fetch(&p->writers, 1, __ATOMIC_RELEASE);
		__atomic_add_fetch(&p->w_counter, 1, __ATOMIC_RELEASE);
	}
	pthread_cond_broadcast(&p->cond);

	if (acc == O_RDONLY && !nonblock && p->writers == 0)
		err = fifo_wait_peer(t, p, &p->w_counter, p->w_counter);
	else if (acc == O_WRONLY && p->readers == 0)
		err = fifo_wait_peer(t, p, &p->r_counter, p->r_counter);
	if (err < 0) {
		/* Interrupted: undo this open. */
		if (acc == O_RDONLY)
			__atomic_sub_fetch(&p->readers, 1, __ATOMIC_RELEASE);
		else
			__atomic_sub_fetch(&p->writers, 1, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&p->cond);
		fifo_maybe_free(inode, p);
		err = -ERESTARTSYS;
		goto out_unlock;
	}

	struct fifo_file *ff = xcalloc(1, sizeof(*ff));
	ff->fifo = p;
	ff->w_counter_at_open = p->w_counter;
	f->f_op = &fifo_fops;
	f->private_data = ff;
out_unlock:
	pthread_mutex_unlock(&fifo_lock);
	return err;
}
