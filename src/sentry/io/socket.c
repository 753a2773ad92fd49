/* socketpair(2) and data transfer on unix sockets: sendto, recvfrom,
 * sendmsg, recvmsg, and read/write.
 *
 * Each pair is a host AF_UNIX socketpair owned by the sentry with
 * O_NONBLOCK on the host side; operations that would block wait in
 * task_poll_host. Sockets made with socket(2) are host socketpair ends
 * too (see unix_socket.h), so no address is ever passed to the host:
 * datagrams to a named socket go through unix_dgram.c.
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
#include "sentry/io/unix_socket.h"
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

/* Send hdr and buf on a host socket, with marker attached as a host
 * SCM_RIGHTS message unless it is -1. */
static ssize_t host_send(int fd, const void *hdr, size_t hdrlen,
			 const void *buf, size_t len, int flags, int marker)
{
	struct iovec iov[2] = {{(void *)hdr, hdrlen}, {(void *)buf, len}};
	struct msghdr mh = {.msg_iov = hdrlen ? iov : iov + 1,
			    .msg_iovlen = hdrlen ? 2 : 1};
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

long sock_send_to(struct task *t, struct file *f, int host_fd,
		  struct scm_pair *pair, int dest_end, const void *hdr,
		  size_t hdrlen, const void *buf, size_t len, int flags,
		  struct scm_batch *batch)
{
	bool nonblock = file_nonblock(f) || (flags & MSG_DONTWAIT);
	int host_flags =
	    (flags & SEND_HOST_FLAGS) | MSG_DONTWAIT | MSG_NOSIGNAL;
	size_t done = 0;
	int marker = -1;
	long ret;

	if (batch && !pair) {
		scm_batch_free(batch);
		return -EOPNOTSUPP;
	}
	if (batch) {
		marker = scm_batch_post(batch, pair, dest_end);
		if (marker < -1)
			return marker;
	}
	for (;;) {
		ssize_t n =
		    host_send(host_fd, hdr, hdrlen, (const char *)buf + done,
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
		int r = host_wait_fd(t, host_fd, POLLOUT);
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

/* Send buf from f to dest (destlen bytes of a guest sockaddr, or NULL)
 * or to the connected peer: as one message (datagram and seqpacket
 * sockets) or all of it (stream sockets, unless non-blocking or
 * interrupted). batch (may be NULL) is sent with the first bytes and is
 * consumed either way. */
static long sock_send(struct task *t, struct file *f, const void *dest,
		      socklen_t destlen, const void *buf, size_t len, int flags,
		      struct scm_batch *batch)
{
	struct sock_info *si = file_sock(f);
	long err = 0;

	if (si->type == SOCK_DGRAM && (si->usock || dest))
		return unix_dgram_send(t, f, dest, destlen, buf, len, flags,
				       batch);
	if (si->usock)
		err = unix_send_check(si->usock);
	/* Linux ignores a seqpacket socket's destination. */
	if (dest && si->type == SOCK_STREAM)
		err = err ? -EOPNOTSUPP : -EISCONN;
	if (err < 0) {
		if (err == -EPIPE && !(flags & MSG_NOSIGNAL))
			send_signal_to_task(t, SIGPIPE, SI_USER);
		scm_batch_free(batch);
		return err;
	}
	return sock_send_to(t, f, f->host_fd, si->pair, 1 - si->end, NULL, 0,
			    buf, len, flags, batch);
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

/* The sender's name of what a stream or seqpacket socket receives: its
 * peer's. */
static void sock_peer_addr(struct sock_info *si, struct unix_addr *from)
{
	if (!si->usock)
		return;
	pthread_mutex_lock(&unix_lock);
	*from = si->usock->peer_addr;
	pthread_mutex_unlock(&unix_lock);
}

/* Receive once into buf; *msg_flags gets the host's MSG_TRUNC etc.
 * *batch gets the files the message carries (NULL if none), and *from
 * (if not NULL) the sender's name. */
static long sock_recv_once(struct task *t, struct file *f, void *buf,
			   size_t len, int flags, int *msg_flags,
			   struct scm_batch **batch, struct unix_addr *from)
{
	struct sock_info *si = file_sock(f);
	bool nonblock = file_nonblock(f) || (flags & MSG_DONTWAIT);
	int host_flags =
	    (flags & RECV_HOST_FLAGS) | MSG_DONTWAIT | MSG_CMSG_CLOEXEC;
	/* A socket(2) datagram socket's host datagrams carry a header. */
	bool has_hdr = si->usock && si->type == SOCK_DGRAM;
	struct unix_dgram_hdr hdr;

	*batch = NULL;
	if (si->usock && !has_hdr) {
		long err = unix_recv_check(si->usock);
		if (err < 0)
			return err;
	}
	for (;;) {
		char control[RECV_HOST_CONTROL];
		struct iovec iov[2] = {{&hdr, sizeof(hdr)}, {buf, len}};
		struct msghdr mh = {.msg_iov = has_hdr ? iov : iov + 1,
				    .msg_iovlen = has_hdr ? 2 : 1,
				    .msg_control = control,
				    .msg_controllen = sizeof(control)};
		ssize_t n = recvmsg(f->host_fd, &mh, host_flags);

		if (n >= 0) {
			sock_take_markers(&mh, flags & MSG_PEEK, batch);
			/* The host's MSG_CTRUNC concerns the markers, not
			 * the guest's control buffer. */
			*msg_flags = mh.msg_flags & ~MSG_CTRUNC;
			if (has_hdr && (size_t)n >= sizeof(hdr)) {
				n -= sizeof(hdr);
				if (from)
					*from = hdr.from;
			} else if (has_hdr) {
				n = 0;
			} else if (from) {
				sock_peer_addr(si, from);
			}
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
 * if it is not NULL, else they are dropped. *from gets the sender's
 * name (len 0: unnamed). */
static long sock_recv_iter(struct task *t, struct file *f, struct user_iter *it,
			   int flags, int *msg_flags, struct scm_batch **batch,
			   struct unix_addr *from)
{
	bool stream = sock_is_stream(f);
	size_t bounce_size = MIN(it->count, stream ? IO_CHUNK : SOCK_DGRAM_MAX);
	_cleanup_free_ char *bounce = xmalloc(bounce_size ? bounce_size : 1);
	struct scm_batch *files = NULL;
	size_t done = 0;
	long ret;

	*msg_flags = 0;
	from->len = 0;
	do {
		size_t want = MIN(it->count, bounce_size);
		long n = sock_recv_once(t, f, bounce, want, flags, msg_flags,
					&files, from);

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

/* Send a guest buffer list to dest (see sock_send): in chunks for
 * stream sockets, as one message otherwise. */
static long sock_send_iter(struct task *t, struct file *f, struct user_iter *it,
			   const void *dest, socklen_t destlen, int flags,
			   struct scm_batch *batch)
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
		long n = sock_send(t, f, dest, destlen, bounce, copied, flags,
				   batch);
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
	long ret = sock_recv_once(t, f, buf, len, 0, &msg_flags, &batch, NULL);

	scm_batch_free(batch);
	return ret;
}

static long sock_write(struct task *t, struct file *f, const void *buf,
		       size_t len, int64_t *pos)
{
	return sock_send(t, f, NULL, 0, buf, len, 0, NULL);
}

static long sock_ioctl(struct task *t, struct file *f, unsigned cmd,
		       uint64_t arg)
{
	int value;

	if (cmd != FIONREAD && cmd != TIOCOUTQ)
		return -ENOTTY;
	if (ioctl(f->host_fd, cmd, &value) < 0)
		return neg_errno();
	/* The size of the next datagram, without its header. */
	if (cmd == FIONREAD && file_sock(f)->usock &&
	    file_sock(f)->type == SOCK_DGRAM &&
	    value >= (int)sizeof(struct unix_dgram_hdr))
		value -= sizeof(struct unix_dgram_hdr);
	return copy_to_user(t, arg, &value, sizeof(value));
}

static int sock_host_poll_fd(struct file *f)
{
	struct sock_info *si = f->private_data;
	int fd = si->usock ? unix_poll_fd(si->usock) : -1;

	return fd >= 0 ? fd : f->host_fd;
}

static int sock_stat(struct file *f, struct stat *st)
{
	return fstat(f->host_fd, st) < 0 ? neg_errno() : 0;
}

static void sock_release(struct file *f)
{
	struct sock_info *si = f->private_data;

	scm_pair_close_end(si->pair, si->end);
	if (si->usock)
		unix_sock_release(si->usock);
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

struct file *sock_file_create(struct task *t, int type, int protocol,
			      unsigned flags, int host_fd,
			      struct scm_pair *pair, int end,
			      struct unix_sock *us)
{
	struct sock_info *si = sock_info_create(t, type, protocol);

	si->pair = pair;
	si->end = end;
	si->usock = us;
	return file_alloc(&sock_fops, flags, host_fd, si);
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

/* Copy a destination address of ulen bytes like Linux's
 * move_addr_to_kernel. *len stays 0 without an address. */
static long get_dest_addr(struct task *t, uint64_t uaddr, int64_t ulen,
			  struct sockaddr_storage *dest, socklen_t *len)
{
	*len = 0;
	if (!uaddr || ulen == 0)
		return 0;
	if (ulen < 0 || ulen > (int64_t)sizeof(*dest))
		return -EINVAL;
	if (copy_from_user(t, dest, uaddr, ulen) < 0)
		return -EFAULT;
	*len = ulen;
	return 0;
}

SYSCALL_DEFINE(SYS_sendto, sendto)
{
	struct sockaddr_storage dest;
	socklen_t destlen;
	struct user_iter it;
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	ret = get_dest_addr(t, args[4], (int)args[5], &dest, &destlen);
	if (ret == 0 && !user_range_ok(args[1], args[2]))
		ret = -EFAULT;
	if (ret == 0) {
		user_iter_init_single(&it, args[1], MIN(args[2], MAX_RW_COUNT));
		ret = sock_send_iter(t, f, &it, destlen ? &dest : NULL, destlen,
				     (int)args[3], NULL);
	}
	file_put(f);
	return ret;
}

SYSCALL_DEFINE(SYS_recvfrom, recvfrom)
{
	struct unix_addr from;
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
	ret = sock_recv_iter(t, f, &it, (int)args[3], &msg_flags, NULL, &from);
	if (ret >= 0 && args[4] && args[5]) {
		err = unix_addr_to_user(t, &from, args[4], args[5]);
		if (err < 0)
			ret = err;
	}
	file_put(f);
	return ret;
}

/* Copy a msghdr and its iovecs (Linux: more than UIO_MAXIOV segments
 * fail with EMSGSIZE, a negative name length with EINVAL). */
static long get_msghdr(struct task *t, uint64_t umsg, struct msghdr *mh,
		       struct user_iter *it)
{
	if (copy_from_user(t, mh, umsg, sizeof(*mh)) < 0)
		return -EFAULT;
	if ((int)mh->msg_namelen < 0)
		return -EINVAL;
	if (mh->msg_iovlen > IO_IOV_MAX)
		return -EMSGSIZE;
	return user_iter_import(t, it, (uint64_t)mh->msg_iov, mh->msg_iovlen);
}

SYSCALL_DEFINE(SYS_sendmsg, sendmsg)
{
	struct sockaddr_storage dest;
	socklen_t destlen = 0;
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
	/* Linux truncates a longer name to a sockaddr_storage. */
	ret = get_dest_addr(t, (uint64_t)mh.msg_name,
			    MIN(mh.msg_namelen, sizeof(dest)), &dest, &destlen);
	if (ret == 0)
		ret = scm_parse_control(t, (uint64_t)mh.msg_control,
					mh.msg_controllen, &batch);
	if (ret == 0)
		ret = sock_send_iter(t, f, &it, destlen ? &dest : NULL, destlen,
				     (int)args[2], batch);
	user_iter_release(&it);
out_put:
	file_put(f);
	return ret;
}

SYSCALL_DEFINE(SYS_recvmsg, recvmsg)
{
	struct unix_addr from;
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
	ret = sock_recv_iter(t, f, &it, flags, &msg_flags, &batch, &from);
	user_iter_release(&it);
	if (ret < 0)
		goto out_put;

	/* The sender's name goes to msg_name as far as it fits, and
	 * msg_namelen gets its full length. The only control data are
	 * passed files. */
	if (mh.msg_name) {
		size_t fit =
		    MIN(MIN(mh.msg_namelen, sizeof(struct sockaddr_storage)),
			from.len);

		if (fit && copy_to_user(t, (uint64_t)mh.msg_name, &from.sun,
					fit) < 0) {
			ret = -EFAULT;
			scm_batch_free(batch);
			goto out_put;
		}
		mh.msg_namelen = from.len;
	}
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
