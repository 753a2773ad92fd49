/* Guest files in flight over socketpair sockets (see scm_rights.h).
 *
 * Locking: scm_lock protects the in-flight list and every scm_pair.
 * Files are put only after scm_lock is dropped, because putting a socket
 * file may close a pair end and take scm_lock again.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/io/scm_rights.h"
#include "sentry/mm.h"

/* Linux's SCM_MAX_FD: the most files one message may carry. */
#define SCM_MAX_FD 253
/* The largest control buffer sendmsg copies, above which it fails with
 * ENOBUFS: Linux's net.core.optmem_max, 131072 by default on 6.18. */
#define SCM_CONTROL_MAX 131072

struct scm_pair {
	int refs;
	bool closed[2];
};

struct scm_batch {
	struct scm_batch *next; /* in scm_inflight */
	/* The marker pipe's identity while posted. */
	dev_t dev;
	ino_t ino;
	struct scm_pair *pair; /* no reference: the batch goes first */
	int dest_end;
	int count;
	struct file *files[SCM_MAX_FD]; /* one reference each */
};

static pthread_mutex_t scm_lock = PTHREAD_MUTEX_INITIALIZER;
static struct scm_batch *scm_inflight;

struct scm_pair *scm_pair_create(void)
{
	struct scm_pair *pair = xcalloc(1, sizeof(*pair));

	pair->refs = 2;
	return pair;
}

/* NOTE: there is no garbage collector like Linux's unix_gc, so a socket
 * end in flight to itself keeps its pair alive until the sandbox ends. */
void scm_pair_close_end(struct scm_pair *pair, int end)
{
	struct scm_batch *doomed = NULL;

	if (!pair)
		return;
	pthread_mutex_lock(&scm_lock);
	pair->closed[end] = true;
	for (struct scm_batch **pp = &scm_inflight; *pp;) {
		struct scm_batch *b = *pp;

		if (b->pair != pair || b->dest_end != end) {
			pp = &b->next;
			continue;
		}
		*pp = b->next;
		b->next = doomed;
		doomed = b;
	}
	bool last = --pair->refs == 0;
	pthread_mutex_unlock(&scm_lock);

	if (last)
		free(pair);
	while (doomed) {
		struct scm_batch *next = doomed->next;

		scm_batch_free(doomed);
		doomed = next;
	}
}

void scm_batch_free(struct scm_batch *batch)
{
	if (!batch)
		return;
	for (int i = 0; i < batch->count; i++)
		file_put(batch->files[i]);
	free(batch);
}

/* Add the files of one SCM_RIGHTS message to *batch. */
static long scm_add_rights(struct task *t, const struct cmsghdr *cmsg,
			   struct scm_batch **batch)
{
	int count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	const int *fds = (const int *)CMSG_DATA(cmsg);

	if (count <= 0)
		return 0;
	if (!*batch)
		*batch = xcalloc(1, sizeof(**batch));
	if ((*batch)->count + count > SCM_MAX_FD)
		return -EINVAL;
	for (int i = 0; i < count; i++) {
		int fd;

		memcpy(&fd, fds + i, sizeof(fd));
		struct file *f = fget(t, fd);
		if (!f)
			return -EBADF;
		(*batch)->files[(*batch)->count++] = f;
	}
	return 0;
}

long scm_parse_control(struct task *t, uint64_t uctl, uint64_t len,
		       struct scm_batch **batch)
{
	_cleanup_free_ char *buf = NULL;
	struct msghdr mh;
	long err = 0;

	*batch = NULL;
	if (len == 0)
		return 0;
	if (len > INT_MAX || len > SCM_CONTROL_MAX)
		return -ENOBUFS;
	buf = xmalloc(len);
	if (copy_from_user(t, buf, uctl, len) < 0)
		return -EFAULT;

	mh = (struct msghdr){.msg_control = buf, .msg_controllen = len};
	for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(&mh); cmsg && !err;
	     cmsg = CMSG_NXTHDR(&mh, cmsg)) {
		size_t left = len - ((char *)cmsg - buf);

		if (cmsg->cmsg_len < sizeof(*cmsg) || cmsg->cmsg_len > left) {
			err = -EINVAL;
			break;
		}
		if (cmsg->cmsg_level != SOL_SOCKET)
			continue;
		switch (cmsg->cmsg_type) {
		case SCM_RIGHTS:
			err = scm_add_rights(t, cmsg, batch);
			break;
		case SCM_CREDENTIALS:
			/* NOTE: credentials are checked for size only and
			 * never reach the receiver, which gets none. */
			if (cmsg->cmsg_len != CMSG_LEN(sizeof(struct ucred)))
				err = -EINVAL;
			break;
		default:
			err = -EINVAL;
		}
	}
	if (err < 0 || (*batch && (*batch)->count == 0)) {
		scm_batch_free(*batch);
		*batch = NULL;
	}
	return err;
}

int scm_batch_post(struct scm_batch *batch, struct scm_pair *pair, int dest_end)
{
	struct stat st;
	int pipefd[2];

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return neg_errno();
	close(pipefd[1]);
	if (fstat(pipefd[0], &st) < 0) {
		int err = neg_errno();

		close(pipefd[0]);
		return err;
	}
	batch->dev = st.st_dev;
	batch->ino = st.st_ino;
	batch->pair = pair;
	batch->dest_end = dest_end;

	pthread_mutex_lock(&scm_lock);
	bool closed = pair->closed[dest_end];
	if (!closed) {
		batch->next = scm_inflight;
		scm_inflight = batch;
	}
	pthread_mutex_unlock(&scm_lock);

	if (closed) {
		close(pipefd[0]);
		scm_batch_free(batch);
		return -1;
	}
	return pipefd[0];
}

void scm_batch_cancel(struct scm_batch *batch)
{
	pthread_mutex_lock(&scm_lock);
	for (struct scm_batch **pp = &scm_inflight; *pp; pp = &(*pp)->next) {
		if (*pp == batch) {
			*pp = batch->next;
			break;
		}
	}
	pthread_mutex_unlock(&scm_lock);
	scm_batch_free(batch);
}

struct scm_batch *scm_batch_take(int marker, bool peek)
{
	struct scm_batch *found = NULL, *copy = NULL;
	struct stat st;

	if (fstat(marker, &st) < 0)
		return NULL;
	if (peek)
		copy = xcalloc(1, sizeof(*copy));
	pthread_mutex_lock(&scm_lock);
	for (struct scm_batch **pp = &scm_inflight; *pp; pp = &(*pp)->next) {
		struct scm_batch *b = *pp;

		if (b->dev != st.st_dev || b->ino != st.st_ino)
			continue;
		if (peek) {
			for (int i = 0; i < b->count; i++) {
				file_get(b->files[i]);
				copy->files[i] = b->files[i];
			}
			copy->count = b->count;
			found = copy;
			copy = NULL;
		} else {
			*pp = b->next;
			b->next = NULL;
			found = b;
		}
		break;
	}
	pthread_mutex_unlock(&scm_lock);
	free(copy);
	return found;
}

struct scm_batch *scm_batch_merge(struct scm_batch *dst, struct scm_batch *src)
{
	if (!dst)
		return src;
	if (!src)
		return dst;
	/* Linux never joins two file-carrying messages in one receive, so
	 * this only guards against a host that would. Files past the limit
	 * are dropped as a truncated control message drops them. */
	for (int i = 0; i < src->count; i++) {
		if (dst->count < SCM_MAX_FD) {
			dst->files[dst->count++] = src->files[i];
			src->files[i] = NULL;
		}
	}
	for (int i = 0; i < src->count; i++)
		file_put(src->files[i]);
	free(src);
	return dst;
}

void scm_batch_deliver(struct task *t, struct scm_batch *batch,
		       struct msghdr *mh, bool cloexec, int *msg_flags)
{
	uint64_t uctl = (uint64_t)mh->msg_control;
	size_t space = mh->msg_controllen;
	int max = space <= sizeof(struct cmsghdr)
		      ? 0
		      : (space - sizeof(struct cmsghdr)) / sizeof(int);
	int limit = task_nofile_limit(t);
	int installed = 0;

	mh->msg_controllen = 0;
	max = MIN(max, batch->count);
	/* As in Linux's scm_detach_fds, a failure to install or report one
	 * FD stops the delivery but not the receive. */
	for (; installed < max; installed++) {
		int fd = fd_install(t->files, batch->files[installed], 0,
				    cloexec, limit);

		if (fd < 0)
			break;
		if (copy_to_user(t,
				 uctl + CMSG_LEN(0) + installed * sizeof(int),
				 &fd, sizeof(fd)) < 0) {
			fd_close(t->files, fd);
			break;
		}
	}
	if (installed > 0) {
		struct cmsghdr cmsg = {
		    .cmsg_len = CMSG_LEN(installed * sizeof(int)),
		    .cmsg_level = SOL_SOCKET,
		    .cmsg_type = SCM_RIGHTS,
		};

		if (copy_to_user(t, uctl, &cmsg, sizeof(cmsg)) == 0)
			mh->msg_controllen =
			    MIN(CMSG_SPACE(installed * sizeof(int)), space);
	}
	if (installed < batch->count)
		*msg_flags |= MSG_CTRUNC;
	scm_batch_free(batch);
}
