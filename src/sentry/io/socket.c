/* socketpair(2) and data transfer on its sockets: sendto, recvfrom,
 * sendmsg, recvmsg, and read/write.
 *
 * Each pair is a host AF_UNIX socketpair owned by the sentry with
 * O_NONBLOCK on the host side; operations that would block wait in
 * task_poll_host. Only connected, unnamed sockets exist, so no address
 * is ever passed to the host.
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

static bool sock_is_stream(struct file *f)
{
	return file_sock(f)->type == SOCK_STREAM;
}

/* Send buf as one message (datagram sockets) or all of it (stream
 * sockets, unless non-blocking or interrupted). */
static long sock_send(struct task *t, struct file *f, const void *buf,
		      size_t len, int flags)
{
	bool nonblock = file_nonblock(f) || (flags & MSG_DONTWAIT);
	int host_flags =
	    (flags & SEND_HOST_FLAGS) | MSG_DONTWAIT | MSG_NOSIGNAL;
	size_t done = 0;

	for (;;) {
		ssize_t n = send(f->host_fd, (const char *)buf + done,
				 len - done, host_flags);

		if (n >= 0) {
			done += n;
			if (sock_is_stream(f) && done < len)
				continue;
			return done;
		}
		if (errno == EINTR)
			continue;
		if (errno == EPIPE) {
			if (!(flags & MSG_NOSIGNAL))
				send_signal_to_task(t, SIGPIPE, SI_USER);
			return done ? (long)done : -EPIPE;
		}
		if (errno != EAGAIN)
			return done ? (long)done : neg_errno();
		if (nonblock)
			return done ? (long)done : -EAGAIN;
		int r = host_wait_fd(t, f->host_fd, POLLOUT);
		if (r < 0)
			return done ? (long)done : r;
	}
}

/* Receive once into buf; *msg_flags gets the host's MSG_TRUNC etc. */
static long sock_recv_once(struct task *t, struct file *f, void *buf,
			   size_t len, int flags, int *msg_flags)
{
	bool nonblock = file_nonblock(f) || (flags & MSG_DONTWAIT);
	int host_flags = (flags & RECV_HOST_FLAGS) | MSG_DONTWAIT;

	for (;;) {
		struct iovec iov = {buf, len};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
		ssize_t n = recvmsg(f->host_fd, &mh, host_flags);

		if (n >= 0) {
			*msg_flags = mh.msg_flags;
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
 * with MSG_WAITALL, keep going until the list is full, EOF, or a
 * signal. */
static long sock_recv_iter(struct task *t, struct file *f, struct user_iter *it,
			   int flags, int *msg_flags)
{
	bool stream = sock_is_stream(f);
	size_t bounce_size = MIN(it->count, stream ? IO_CHUNK : SOCK_DGRAM_MAX);
	_cleanup_free_ char *bounce = xmalloc(bounce_size ? bounce_size : 1);
	size_t done = 0;

	*msg_flags = 0;
	do {
		size_t want = MIN(it->count, bounce_size);
		long n = sock_recv_once(t, f, bounce, want, flags, msg_flags);

		if (n < 0)
			return done ? (long)done : n;
		size_t got = MIN((size_t)n, want);
		if (user_iter_copy_out(t, it, bounce, got) < got)
			return done ? (long)done : -EFAULT;
		/* A datagram's full length is returned with MSG_TRUNC. */
		if (!stream)
			return n;
		done += n;
		if (n == 0 || (flags & MSG_PEEK))
			break;
	} while ((flags & MSG_WAITALL) && it->count > 0);
	return done;
}

/* Send a guest buffer list: in chunks for stream sockets, as one
 * message otherwise. */
static long sock_send_iter(struct task *t, struct file *f, struct user_iter *it,
			   int flags)
{
	bool stream = sock_is_stream(f);
	size_t chunk = stream ? IO_CHUNK : it->count;
	_cleanup_free_ char *bounce = NULL;
	size_t done = 0;

	if (!stream && it->count > SOCK_DGRAM_MAX)
		return -EMSGSIZE;
	bounce = xmalloc(MIN(it->count, chunk) ? MIN(it->count, chunk) : 1);
	do {
		size_t want = MIN(it->count, chunk);
		size_t copied = user_iter_copy_in(t, it, bounce, want);

		if (copied < want)
			return done ? (long)done : -EFAULT;
		long n = sock_send(t, f, bounce, copied, flags);
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
	int msg_flags;

	return sock_recv_once(t, f, buf, len, 0, &msg_flags);
}

static long sock_write(struct task *t, struct file *f, const void *buf,
		       size_t len, int64_t *pos)
{
	return sock_send(t, f, buf, len, 0);
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
	for (int i = 0; i < 2; i++)
		ends[i] = file_alloc(&sock_fops, flags, host[i],
				     sock_info_create(t, kind, protocol));

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
		ret = sock_send_iter(t, f, &it, (int)args[3]);
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
	ret = sock_recv_iter(t, f, &it, (int)args[3], &msg_flags);
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
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	ret = get_msghdr(t, args[1], &mh, &it);
	if (ret < 0)
		goto out_put;
	ret = sock_check_dest(f, (uint64_t)mh.msg_name);
	/* NOTE: control messages (SCM_RIGHTS, SCM_CREDENTIALS) are not
	 * passed yet; failing beats dropping the FDs silently. */
	if (ret == 0 && mh.msg_controllen > 0)
		ret = -EOPNOTSUPP;
	if (ret == 0)
		ret = sock_send_iter(t, f, &it, (int)args[2]);
	user_iter_release(&it);
out_put:
	file_put(f);
	return ret;
}

SYSCALL_DEFINE(SYS_recvmsg, recvmsg)
{
	struct msghdr mh;
	struct user_iter it;
	int msg_flags = 0;
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	ret = get_msghdr(t, args[1], &mh, &it);
	if (ret < 0)
		goto out_put;
	ret = sock_recv_iter(t, f, &it, (int)args[2], &msg_flags);
	user_iter_release(&it);
	if (ret < 0)
		goto out_put;

	/* No sender address and no control data ever come back. */
	mh.msg_namelen = 0;
	mh.msg_controllen = 0;
	mh.msg_flags = msg_flags & (MSG_TRUNC | MSG_CTRUNC | MSG_EOR | MSG_OOB |
				    MSG_ERRQUEUE);
	if (copy_to_user(t, args[1], &mh, sizeof(mh)) < 0)
		ret = -EFAULT;
out_put:
	file_put(f);
	return ret;
}
