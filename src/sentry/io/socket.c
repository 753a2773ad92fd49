/* socketpair(2) and data transfer on its sockets: sendto, recvfrom,
 * sendmsg, recvmsg, and read/write.
 *
 * Each pair is a host AF_UNIX socketpair owned by the sentry with
 * O_NONBLOCK on the host side; operations that would block wait in
 * task_poll_host. Only connected, unnamed sockets exist, so no address
 * is ever passed to the host.
 *
 * Files passed with SCM_RIGHTS stay in the sentry: the host message only
 * carries a marker that names them (see scm_rights.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/io/scm_rights.h"
#include "sentry/io/socket.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/wait.h"

/* The largest datagram received in one call; larger ones are truncated
 * as if the buffer were this big. Linux's default wmem_max (212992)
 * bounds what a peer can send. */
#define SOCK_DGRAM_MAX (1024 * 1024)
/* Linux's default net.core.wmem_default and rmem_default. */
#define SOCK_DEFAULT_BUF 212992

/* Flags passed on to the host; the sentry handles MSG_DONTWAIT,
 * MSG_NOSIGNAL and MSG_WAITALL itself. */
#define SEND_HOST_FLAGS (MSG_OOB | MSG_EOR | MSG_MORE | MSG_CONFIRM)
#define RECV_HOST_FLAGS (MSG_OOB | MSG_PEEK | MSG_TRUNC | MSG_ERRQUEUE)
/* Room for the host control messages of one receive: a message carries
 * at most one marker FD, and the rest is slack. */
#define RECV_HOST_CONTROL CMSG_SPACE(8 * sizeof(int))

static bool sock_is_stream(struct file *f)
{
	return file_sock(f)->type == SOCK_STREAM;
}

/* Send on a host socket, with marker attached as a host SCM_RIGHTS
 * message unless it is -1. */
static ssize_t host_send(int fd, const void *buf, size_t len, int flags,
			 int marker)
{
	struct iovec iov = {(void *)buf, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	char control[CMSG_SPACE(sizeof(int))] = {0};

	if (marker >= 0) {
		mh.msg_control = control;
		mh.msg_controllen = sizeof(control);
		struct cmsghdr *cmsg = CMSG_FIRSTHDR(&mh);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &marker, sizeof(int));
	}
	return sendmsg(fd, &mh, flags);
}

/* Send buf as one message (datagram sockets) or all of it (stream
 * sockets, unless non-blocking or interrupted). batch (may be NULL) is
 * sent with the first bytes and is consumed either way. */
static long sock_send(struct task *t, struct file *f, const void *buf,
		      size_t len, int flags, struct scm_batch *batch)
{
	struct sock_info *si = file_sock(f);
	bool nonblock = file_nonblock(f) || (flags & MSG_DONTWAIT);
	int host_flags =
	    (flags & SEND_HOST_FLAGS) | MSG_DONTWAIT | MSG_NOSIGNAL;
	size_t done = 0;
	int marker = -1;
	long ret;

	/* NOTE: only socketpair ends have a pair to carry files. */
	if (batch && !si->pair) {
		scm_batch_free(batch);
		return -EOPNOTSUPP;
	}
	if (batch) {
		marker = scm_batch_post(batch, si->pair, 1 - si->end);
		if (marker < -1)
			return marker;
	}
	for (;;) {
		ssize_t n = host_send(f->host_fd, (const char *)buf + done,
				      len - done, host_flags, marker);

		if (n >= 0) {
			/* A stream socket queues the marker only with at
			 * least one byte, as Linux queues the files. */
			if (marker >= 0 && (n > 0 || !sock_is_stream(f))) {
				close(marker);
				marker = -1;
			}
			done += n;
			if (sock_is_stream(f) && done < len)
				continue;
			ret = done;
			break;
		}
		if (errno == EINTR)
			continue;
		if (errno == EPIPE) {
			if (!(flags & MSG_NOSIGNAL))
				send_signal_to_task(t, SIGPIPE, SI_USER);
			ret = done ? (long)done : -EPIPE;
			break;
		}
		if (errno != EAGAIN) {
			ret = done ? (long)done : neg_errno();
			break;
		}
		if (nonblock) {
			ret = done ? (long)done : -EAGAIN;
			break;
		}
		int r = host_wait_fd(t, f->host_fd, POLLOUT);
		if (r < 0) {
			ret = done ? (long)done : r;
			break;
		}
	}
	if (marker >= 0) {
		close(marker);
		scm_batch_cancel(batch);
	}
	return ret;
}

/* Collect the batches named by the markers in a host message's control
 * data into *batch, closing the marker FDs. */
static void sock_take_markers(struct msghdr *mh, bool peek,
			      struct scm_batch **batch)
{
	for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(mh); cmsg;
	     cmsg = CMSG_NXTHDR(mh, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		int count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (int i = 0; i < count; i++) {
			int marker;

			memcpy(&marker, CMSG_DATA(cmsg) + i * sizeof(int),
			       sizeof(marker));
			*batch = scm_batch_merge(*batch,
						 scm_batch_take(marker, peek));
			close(marker);
		}
	}
}

/* Receive once into buf; *msg_flags gets the host's MSG_TRUNC etc.
 * *batch gets the files the message carries (NULL if none). */
static long sock_recv_once(struct task *t, struct file *f, void *buf,
			   size_t len, int flags, int *msg_flags,
			   struct scm_batch **batch)
{
	bool nonblock = file_nonblock(f) || (flags & MSG_DONTWAIT);
	int host_flags =
	    (flags & RECV_HOST_FLAGS) | MSG_DONTWAIT | MSG_CMSG_CLOEXEC;

	*batch = NULL;
	for (;;) {
		char control[RECV_HOST_CONTROL];
		struct iovec iov = {buf, len};
		struct msghdr mh = {.msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = control,
				    .msg_controllen = sizeof(control)};
		ssize_t n = recvmsg(f->host_fd, &mh, host_flags);

		if (n >= 0) {
			sock_take_markers(&mh, flags & MSG_PEEK, batch);
			/* The host's MSG_CTRUNC concerns the markers, not
			 * the guest's control buffer. */
			*msg_flags = mh.msg_flags & ~MSG_CTRUNC;
			return n;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return neg_errno();
		if (nonblock)
			return -EAGAIN;
		int r = host_wait_fd(t, f->host_fd, POLLIN);
		if (r < 0)
			return r;
	}
}

/* Receive into a guest buffer list. Stream sockets read in chunks and,
 * with MSG_WAITALL, keep going until the list is full, EOF, a signal or
 * a message with files, where Linux stops too. The files go to *batch
 * if it is not NULL, else they are dropped. */
static long sock_recv_iter(struct task *t, struct file *f, struct user_iter *it,
			   int flags, int *msg_flags, struct scm_batch **batch)
{
	bool stream = sock_is_stream(f);
	size_t bounce_size = MIN(it->count, stream ? IO_CHUNK : SOCK_DGRAM_MAX);
	_cleanup_free_ char *bounce = xmalloc(bounce_size ? bounce_size : 1);
	struct scm_batch *files = NULL;
	size_t done = 0;
	long ret;

	*msg_flags = 0;
	do {
		size_t want = MIN(it->count, bounce_size);
		long n = sock_recv_once(t, f, bounce, want, flags, msg_flags,
					&files);

		if (n < 0) {
			ret = done ? (long)done : n;
			goto out;
		}
		size_t got = MIN((size_t)n, want);
		if (user_iter_copy_out(t, it, bounce, got) < got) {
			ret = done ? (long)done : -EFAULT;
			goto out;
		}
		/* A datagram's full length is returned with MSG_TRUNC. */
		if (!stream) {
			ret = n;
			goto out;
		}
		done += n;
		if (n == 0 || (flags & MSG_PEEK) || files)
			break;
	} while ((flags & MSG_WAITALL) && it->count > 0);
	ret = done;
out:
	if (batch && ret >= 0)
		*batch = files;
	else
		scm_batch_free(files);
	return ret;
}

/* Send a guest buffer list: in chunks for stream sockets, as one
 * message otherwise. */
static long sock_send_iter(struct task *t, struct file *f, struct user_iter *it,
			   int flags, struct scm_batch *batch)
{
	bool stream = sock_is_stream(f);
	size_t chunk = stream ? IO_CHUNK : it->count;
	_cleanup_free_ char *bounce = NULL;
	size_t done = 0;

	if (!stream && it->count > SOCK_DGRAM_MAX) {
		scm_batch_free(batch);
		return -EMSGSIZE;
	}
	bounce = xmalloc(MIN(it->count, chunk) ? MIN(it->count, chunk) : 1);
	do {
		size_t want = MIN(it->count, chunk);
		size_t copied = user_iter_copy_in(t, it, bounce, want);

		if (copied < want) {
			scm_batch_free(batch);
			return done ? (long)done : -EFAULT;
		}
		long n = sock_send(t, f, bounce, copied, flags, batch);
		batch = NULL;
		if (n < 0)
			return done ? (long)done : n;
		done += n;
		if ((size_t)n < copied)
			break;
	} while (it->count > 0);
	return done;
}

static long sock_read(struct task *t, struct file *f, void *buf, size_t len,
		      int64_t *pos)
{
	struct scm_batch *batch;
	int msg_flags;
	long ret = sock_recv_once(t, f, buf, len, 0, &msg_flags, &batch);

	scm_batch_free(batch);
	return ret;
}

static long sock_write(struct task *t, struct file *f, const void *buf,
		       size_t len, int64_t *pos)
{
	return sock_send(t, f, buf, len, 0, NULL);
}

static long sock_ioctl(struct task *t, struct file *f, unsigned cmd,
		       uint64_t arg)
{
	int value;

	if (cmd != FIONREAD && cmd != TIOCOUTQ)
		return -ENOTTY;
	if (ioctl(f->host_fd, cmd, &value) < 0)
		return neg_errno();
	return copy_to_user(t, arg, &value, sizeof(value));
}

static int sock_host_poll_fd(struct file *f)
{
	return f->host_fd;
}

static int sock_stat(struct file *f, struct stat *st)
{
	return fstat(f->host_fd, st) < 0 ? neg_errno() : 0;
}

static void sock_release(struct file *f)
{
	struct sock_info *si = f->private_data;

	scm_pair_close_end(si->pair, si->end);
	pthread_mutex_destroy(&si->lock);
	free(si);
}

static const struct file_operations sock_fops = {
    .read = sock_read,
    .write = sock_write,
    .ioctl = sock_ioctl,
    .host_poll_fd = sock_host_poll_fd,
    .stat = sock_stat,
    .release = sock_release,
};

bool file_is_socket(struct file *f)
{
	return f->f_op == &sock_fops;
}

struct sock_info *file_sock(struct file *f)
{
	return file_is_socket(f) ? f->private_data : NULL;
}

static struct sock_info *sock_info_create(struct task *t, int type,
					  int protocol)
{
	struct sock_info *si = xcalloc(1, sizeof(*si));

	pthread_mutex_init(&si->lock, NULL);
	si->type = type;
	si->protocol = protocol;
	si->sndbuf = SOCK_DEFAULT_BUF;
	si->rcvbuf = SOCK_DEFAULT_BUF;
	si->rcvlowat = 1;
	si->peer_pid = t->tg->tgid;
	si->peer_uid = t->cred.euid;
	si->peer_gid = t->cred.egid;
	return si;
}

/* The errno Linux returns for socketpair in a family that is not
 * AF_UNIX: families that exist but cannot make pairs fail with
 * EOPNOTSUPP. */
static int socketpair_family_errno(int domain)
{
	switch (domain) {
	case AF_INET:
	case AF_INET6:
	case AF_NETLINK:
	case AF_PACKET:
		return -EOPNOTSUPP;
	}
	return -EAFNOSUPPORT;
}

SYSCALL_DEFINE(SYS_socketpair, socketpair)
{
	int domain = (int)args[0], type = (int)args[1];
	int protocol = (int)args[2];
	int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	bool cloexec = type & SOCK_CLOEXEC;
	unsigned flags = O_RDWR | ((type & SOCK_NONBLOCK) ? O_NONBLOCK : 0);
	int limit = task_nofile_limit(t);
	struct file *ends[2];
	int host[2], fds[2] = {-1, -1};
	long ret;

	if (kind & ~0xf)
		return -EINVAL;
	if (domain != AF_UNIX)
		return socketpair_family_errno(domain);
	if (socketpair(AF_UNIX, kind | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol,
		       host) < 0)
		return neg_errno();
	/* Linux turns AF_UNIX SOCK_RAW into SOCK_DGRAM. */
	if (kind == SOCK_RAW)
		kind = SOCK_DGRAM;
	struct scm_pair *pair = scm_pair_create();
	for (int i = 0; i < 2; i++) {
		struct sock_info *si = sock_info_create(t, kind, protocol);

		si->pair = pair;
		si->end = i;
		ends[i] = file_alloc(&sock_fops, flags, host[i], si);
	}

	for (int i = 0; i < 2; i++) {
		fds[i] = fd_install(t->files, ends[i], 0, cloexec, limit);
		if (fds[i] < 0) {
			ret = fds[i];
			goto out_close;
		}
	}
	ret = copy_to_user(t, args[3], fds, sizeof(fds));
out_close:
	for (int i = 0; i < 2; i++) {
		if (ret < 0 && fds[i] >= 0)
			fd_close(t->files, fds[i]);
		file_put(ends[i]);
	}
	return ret;
}

/* The socket file at fd, with -EBADF or -ENOTSOCK in *err. */
struct file *sockfd_get(struct task *t, int fd, long *err)
{
	struct file *f = fget(t, fd);

	*err = 0;
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if (!file_is_socket(f)) {
		file_put(f);
		*err = -ENOTSOCK;
		return NULL;
	}
	return f;
}

/* Check a destination address on a connected pair. Stream sockets
 * reject it as Linux does. A datagram could only go to a named socket,
 * and the sandbox has none. */
static long sock_check_dest(struct file *f, uint64_t addr)
{
	if (!addr)
		return 0;
	/* NOTE: bind/connect are not implemented, so no address can name
	 * a socket. */
	return file_sock(f)->type == SOCK_DGRAM ? -ECONNREFUSED : -EISCONN;
}

SYSCALL_DEFINE(SYS_sendto, sendto)
{
	struct user_iter it;
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	ret = sock_check_dest(f, args[4]);
	if (ret == 0 && !user_range_ok(args[1], args[2]))
		ret = -EFAULT;
	if (ret == 0) {
		user_iter_init_single(&it, args[1], MIN(args[2], MAX_RW_COUNT));
		ret = sock_send_iter(t, f, &it, (int)args[3], NULL);
	}
	file_put(f);
	return ret;
}

/* Report the sender's address: always unnamed, so a length of 0, after
 * the checks of Linux's move_addr_to_user. */
static long put_unnamed_addr(struct task *t, uint64_t uaddrlen)
{
	int len, zero = 0;

	if (copy_from_user(t, &len, uaddrlen, sizeof(len)) < 0)
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	return copy_to_user(t, uaddrlen, &zero, sizeof(zero));
}

SYSCALL_DEFINE(SYS_recvfrom, recvfrom)
{
	struct user_iter it;
	int msg_flags;
	long ret, err;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	if (!user_range_ok(args[1], args[2])) {
		file_put(f);
		return -EFAULT;
	}
	user_iter_init_single(&it, args[1], MIN(args[2], MAX_RW_COUNT));
	ret = sock_recv_iter(t, f, &it, (int)args[3], &msg_flags, NULL);
	if (ret >= 0 && args[4] && args[5]) {
		err = put_unnamed_addr(t, args[5]);
		if (err < 0)
			ret = err;
	}
	file_put(f);
	return ret;
}

/* Copy a msghdr and its iovecs (Linux: more than UIO_MAXIOV segments
 * fail with EMSGSIZE). */
static long get_msghdr(struct task *t, uint64_t umsg, struct msghdr *mh,
		       struct user_iter *it)
{
	if (copy_from_user(t, mh, umsg, sizeof(*mh)) < 0)
		return -EFAULT;
	if (mh->msg_iovlen > IO_IOV_MAX)
		return -EMSGSIZE;
	return user_iter_import(t, it, (uint64_t)mh->msg_iov, mh->msg_iovlen);
}

SYSCALL_DEFINE(SYS_sendmsg, sendmsg)
{
	struct msghdr mh;
	struct user_iter it;
	struct scm_batch *batch = NULL;
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	ret = get_msghdr(t, args[1], &mh, &it);
	if (ret < 0)
		goto out_put;
	ret = sock_check_dest(f, (uint64_t)mh.msg_name);
	if (ret == 0)
		ret = scm_parse_control(t, (uint64_t)mh.msg_control,
					mh.msg_controllen, &batch);
	if (ret == 0)
		ret = sock_send_iter(t, f, &it, (int)args[2], batch);
	user_iter_release(&it);
out_put:
	file_put(f);
	return ret;
}

SYSCALL_DEFINE(SYS_recvmsg, recvmsg)
{
	struct msghdr mh;
	struct user_iter it;
	struct scm_batch *batch = NULL;
	int flags = (int)args[2];
	int msg_flags = 0;
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	ret = get_msghdr(t, args[1], &mh, &it);
	if (ret < 0)
		goto out_put;
	ret = sock_recv_iter(t, f, &it, flags, &msg_flags, &batch);
	user_iter_release(&it);
	if (ret < 0)
		goto out_put;

	/* No sender address ever comes back, and the only control data
	 * are passed files. */
	mh.msg_namelen = 0;
	if (batch)
		scm_batch_deliver(t, batch, &mh, flags & MSG_CMSG_CLOEXEC,
				  &msg_flags);
	else
		mh.msg_controllen = 0;
	mh.msg_flags = msg_flags & (MSG_TRUNC | MSG_CTRUNC | MSG_EOR | MSG_OOB |
				    MSG_ERRQUEUE);
	if (copy_to_user(t, args[1], &mh, sizeof(mh)) < 0)
		ret = -EFAULT;
out_put:
	file_put(f);
	return ret;
}
