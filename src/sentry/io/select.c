/* select(2) and pselect6(2), built on poll_files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include "common/util.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"

/* Linux's POLLIN_SET, POLLOUT_SET and POLLEX_SET: the poll bits that
 * make an FD readable, writable or exceptional for select. */
#define SELECT_IN  (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define SELECT_OUT (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define SELECT_EX  (POLLPRI)

#define BITS_PER_WORD 64

/* The three guest fd_sets, as arrays of 64-bit words (NULL when the
 * guest passed none). */
struct fd_sets {
	uint64_t *in, *out, *ex;
	size_t bytes;
};

static bool fd_isset(const uint64_t *set, int fd)
{
	return set && (set[fd / BITS_PER_WORD] >> (fd % BITS_PER_WORD)) & 1;
}

static void fd_setbit(uint64_t *set, int fd)
{
	set[fd / BITS_PER_WORD] |= 1ULL << (fd % BITS_PER_WORD);
}

static int get_fd_set(struct task *t, uint64_t uset, size_t bytes,
		      uint64_t **out)
{
	*out = NULL;
	if (!uset)
		return 0;
	*out = xcalloc(1, bytes);
	return copy_from_user(t, *out, uset, bytes) < 0 ? -EFAULT : 0;
}

static void fd_sets_free(struct fd_sets *s)
{
	free(s->in);
	free(s->out);
	free(s->ex);
}

/* Poll every FD named in a set; write the ready bits into res. */
static long select_poll(struct task *t, int n, const struct fd_sets *req,
			struct fd_sets *res, const struct timespec *deadline)
{
	_cleanup_free_ struct poll_entry *ents =
	    xcalloc(n ? n : 1, sizeof(*ents));
	_cleanup_free_ int *fds = xcalloc(n ? n : 1, sizeof(*fds));
	int nents = 0;
	long ret = 0;

	for (int fd = 0; fd < n; fd++) {
		short events = 0;

		if (fd_isset(req->in, fd))
			events |= POLLIN | POLLRDNORM | POLLRDBAND;
		if (fd_isset(req->out, fd))
			events |= POLLOUT | POLLWRNORM | POLLWRBAND;
		if (fd_isset(req->ex, fd))
			events |= POLLPRI;
		if (!events)
			continue;
		ents[nents].file = fget(t, fd);
		if (!ents[nents].file) {
			ret = -EBADF;
			break;
		}
		ents[nents].events = events;
		fds[nents++] = fd;
	}
	if (ret == 0)
		ret = poll_files(t, ents, nents, deadline);
	if (ret >= 0) {
		ret = 0;
		for (int i = 0; i < nents; i++) {
			short rev = ents[i].revents;
			int fd = fds[i];

			if (fd_isset(req->in, fd) && (rev & SELECT_IN)) {
				fd_setbit(res->in, fd);
				ret++;
			}
			if (fd_isset(req->out, fd) && (rev & SELECT_OUT)) {
				fd_setbit(res->out, fd);
				ret++;
			}
			if (fd_isset(req->ex, fd) && (rev & SELECT_EX)) {
				fd_setbit(res->ex, fd);
				ret++;
			}
		}
	}
	for (int i = 0; i < nents; i++)
		file_put(ents[i].file);
	return ret;
}

static int put_fd_set(struct task *t, uint64_t uset, const uint64_t *set,
		      size_t bytes)
{
	if (!uset)
		return 0;
	return copy_to_user(t, uset, set, bytes) < 0 ? -EFAULT : 0;
}

/* Linux's core_sys_select. */
static long core_select(struct task *t, int n, const uint64_t *usets,
			const struct timespec *deadline)
{
	struct fd_sets req = {0}, res = {0};
	int max_fds = fdtable_size(t->files);
	long ret;

	if (n < 0)
		return -EINVAL;
	if (n > max_fds)
		n = max_fds;
	req.bytes = ALIGN_UP((size_t)n, BITS_PER_WORD) / 8;
	if ((ret = get_fd_set(t, usets[0], req.bytes, &req.in)) < 0 ||
	    (ret = get_fd_set(t, usets[1], req.bytes, &req.out)) < 0 ||
	    (ret = get_fd_set(t, usets[2], req.bytes, &req.ex)) < 0)
		goto out_free;
	res.bytes = req.bytes;
	res.in = xcalloc(1, req.bytes ? req.bytes : 1);
	res.out = xcalloc(1, req.bytes ? req.bytes : 1);
	res.ex = xcalloc(1, req.bytes ? req.bytes : 1);

	ret = select_poll(t, n, &req, &res, deadline);
	if (ret < 0)
		goto out_free;
	if (put_fd_set(t, usets[0], res.in, req.bytes) < 0 ||
	    put_fd_set(t, usets[1], res.out, req.bytes) < 0 ||
	    put_fd_set(t, usets[2], res.ex, req.bytes) < 0)
		ret = -EFAULT;
out_free:
	fd_sets_free(&req);
	fd_sets_free(&res);
	return ret;
}

SYSCALL_DEFINE(SYS_select, select)
{
	struct timeval tv;
	struct timespec timeout, deadline;
	uint64_t utv = args[4];
	long ret;

	if (utv) {
		if (copy_from_user(t, &tv, utv, sizeof(tv)) < 0)
			return -EFAULT;
		/* Linux folds whole seconds out of tv_usec first, so only
		 * negative values are invalid. */
		timeout.tv_sec = tv.tv_sec + tv.tv_usec / 1000000;
		timeout.tv_nsec = (tv.tv_usec % 1000000) * 1000;
		if (timeout.tv_sec < 0 || timeout.tv_nsec < 0)
			return -EINVAL;
		deadline_from_timeout(&deadline, &timeout);
	}
	ret = core_select(t, (int)args[0], &args[1], utv ? &deadline : NULL);
	if (utv) {
		struct timespec left;

		deadline_remaining(&deadline, &left);
		tv.tv_sec = left.tv_sec;
		tv.tv_usec = left.tv_nsec / 1000;
		if (copy_to_user(t, utv, &tv, sizeof(tv)) < 0 &&
		    ret == -ERESTARTNOHAND)
			ret = -EINTR;
	}
	return ret;
}

/* pselect6's sixth argument: a sigset pointer and its size. */
struct pselect_sigmask {
	uint64_t ss;
	uint64_t ss_len;
};

SYSCALL_DEFINE(SYS_pselect6, pselect6)
{
	struct timespec deadline;
	struct pselect_sigmask sm = {0, 0};
	uint64_t uts = args[4];
	int installed;
	long ret;

	if (uts) {
		ret = io_get_timeout(t, uts, &deadline);
		if (ret < 0)
			return ret;
	}
	if (args[5] && copy_from_user(t, &sm, args[5], sizeof(sm)) < 0)
		return -EFAULT;
	installed = io_set_sigmask(t, sm.ss, sm.ss_len);
	if (installed < 0)
		return installed;
	ret = core_select(t, (int)args[0], &args[1], uts ? &deadline : NULL);
	io_restore_sigmask(t, installed, ret);
	if (uts)
		ret = io_put_timeout(t, uts, &deadline, ret);
	return ret;
}
