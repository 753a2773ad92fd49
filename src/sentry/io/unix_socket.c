/* socket(2), listen(2), accept(2) and connect(2) of AF_UNIX sockets
 * (see unix_socket.h for the design).
 *
 * A stream or seqpacket client is one end of a host pair from the start.
 * connect queues the other end (spare_fd) on the listener, and accept
 * wraps it in the new socket file, so the bytes a client writes before
 * the accept wait in the host pair, as they wait in Linux's embryo
 * socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "sentry/fs/fs.h"
#include "sentry/fdtable.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/io/scm_rights.h"
#include "sentry/io/socket.h"
#include "sentry/io/unix_socket.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/wait.h"

/* Linux's default net.core.somaxconn, the cap on a listen backlog. */
#define UNIX_SOMAXCONN 4096

pthread_mutex_t unix_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t unix_cond = PTHREAD_COND_INITIALIZER;

/* A connection queued on a listening socket until accept(2). */
struct unix_conn {
	struct unix_conn *next;
	int host_fd;		    /* the accepted socket's host end */
	struct scm_pair *pair;	    /* end 1 of it is the accepted socket */
	struct unix_addr peer_addr; /* the client's name */
	pid_t pid;		    /* the client's credentials */
	uid_t uid;
	gid_t gid;
};

struct unix_sock *unix_sock_alloc(int type)
{
	struct unix_sock *us = xcalloc(1, sizeof(*us));

	us->refcount = 1;
	us->type = type;
	us->spare_fd = -1;
	us->notify_rd = us->notify_wr = -1;
	us->dgram_wr = -1;
	us->queue_tail = &us->queue_head;
	return us;
}

void unix_sock_get(struct unix_sock *us)
{
	us->refcount++;
}

void unix_sock_put_locked(struct unix_sock *us)
{
	if (--us->refcount > 0)
		return;
	if (us->dgram_wr >= 0)
		close(us->dgram_wr);
	/* Files travel only to end 0, which sock_release closed, so this
	 * puts no file while unix_lock is held. */
	scm_pair_close_end(us->dgram_pair, 1);
	free(us);
}

void unix_sock_put(struct unix_sock *us)
{
	pthread_mutex_lock(&unix_lock);
	unix_sock_put_locked(us);
	pthread_mutex_unlock(&unix_lock);
}

static void conn_free(struct unix_conn *conn)
{
	close(conn->host_fd);
	scm_pair_close_end(conn->pair, 1);
	free(conn);
}

void unix_sock_release(struct unix_sock *us)
{
	struct unix_conn *pending;
	struct path path;
	struct inode *inode;

	pthread_mutex_lock(&unix_lock);
	us->dead = true;
	unix_unbind_locked(us);
	pending = us->queue_head;
	us->queue_head = NULL;
	us->queue_tail = &us->queue_head;
	us->queue_len = 0;
	if (us->peer) {
		unix_sock_put_locked(us->peer);
		us->peer = NULL;
	}
	path = us->path;
	inode = us->inode;
	us->path = (struct path){0};
	us->inode = NULL;
	int spare = us->spare_fd, notify_rd = us->notify_rd;
	int notify_wr = us->notify_wr;
	struct scm_pair *spare_pair = us->spare_pair;
	us->spare_fd = us->notify_rd = us->notify_wr = -1;
	us->spare_pair = NULL;
	pthread_cond_broadcast(&unix_cond);
	unix_sock_put_locked(us);
	pthread_mutex_unlock(&unix_lock);

	/* NOTE: a client whose connection was never accepted reads EOF
	 * here, where Linux reports ECONNRESET. */
	while (pending) {
		struct unix_conn *next = pending->next;

		conn_free(pending);
		pending = next;
	}
	if (spare >= 0) {
		close(spare);
		scm_pair_close_end(spare_pair, 1);
	}
	if (notify_rd >= 0) {
		close(notify_rd);
		close(notify_wr);
	}
	if (inode)
		inode_put(inode);
	path_put(&path);
}

int unix_poll_fd(struct unix_sock *us)
{
	return __atomic_load_n(&us->notify_rd, __ATOMIC_ACQUIRE);
}

long unix_recv_check(struct unix_sock *us)
{
	long ret = 0;

	pthread_mutex_lock(&unix_lock);
	if (us->state != UNIX_CONNECTED && !us->shut_rd)
		ret = us->type == SOCK_SEQPACKET ? -ENOTCONN : -EINVAL;
	pthread_mutex_unlock(&unix_lock);
	return ret;
}

long unix_send_check(struct unix_sock *us)
{
	long ret = 0;

	pthread_mutex_lock(&unix_lock);
	if (us->state != UNIX_CONNECTED)
		ret = us->shut_wr ? -EPIPE : -ENOTCONN;
	pthread_mutex_unlock(&unix_lock);
	return ret;
}

long unix_shutdown(struct unix_sock *us, int how)
{
	long ret = 0;

	pthread_mutex_lock(&unix_lock);
	if (how != SHUT_WR)
		us->shut_rd = true;
	if (how != SHUT_RD)
		us->shut_wr = true;
	/* The host end of a listening socket is unused, and shutting down
	 * an unconnected one would reach the spare end. */
	if (us->type != SOCK_DGRAM && us->state == UNIX_CONNECTED)
		ret = 1;
	pthread_mutex_unlock(&unix_lock);
	return ret;
}

/* The errno of Linux's socket(2) for a family, type and protocol it
 * does not support, or 0. The sandbox has only AF_UNIX, like a kernel
 * built without CONFIG_INET. */
static long socket_check(int domain, int type, int protocol)
{
	int kind = type & 0xf;

	if (type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if (domain < 0 || domain >= AF_MAX)
		return -EAFNOSUPPORT;
	if (kind >= SOCK_PACKET + 1)
		return -EINVAL;
	if (domain != AF_UNIX)
		return -EAFNOSUPPORT;
	if (protocol && protocol != PF_UNIX)
		return -EPROTONOSUPPORT;
	if (kind != SOCK_STREAM && kind != SOCK_DGRAM &&
	    kind != SOCK_SEQPACKET && kind != SOCK_RAW)
		return -ESOCKTNOSUPPORT;
	return 0;
}

/* Make the file of a new socket of type kind: the host pair, the
 * SCM_RIGHTS pair and the unix state. */
static long unix_file_create(struct task *t, int kind, int protocol,
			     unsigned flags, struct file **out)
{
	int host[2];

	if (socketpair(AF_UNIX, kind | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, host) <
	    0)
		return neg_errno();
	struct unix_sock *us = unix_sock_alloc(kind);
	struct scm_pair *pair = scm_pair_create();

	if (kind == SOCK_DGRAM) {
		us->dgram_wr = host[1];
		us->dgram_pair = pair;
	} else {
		us->spare_fd = host[1];
		us->spare_pair = pair;
	}
	*out = sock_file_create(t, kind, protocol, flags, host[0], pair, 0, us);

	/* A socket has no peer credentials until it connects. */
	struct sock_info *si = file_sock(*out);
	si->peer_pid = 0;
	si->peer_uid = (uid_t)-1;
	si->peer_gid = (gid_t)-1;
	return 0;
}

SYSCALL_DEFINE(SYS_socket, socket)
{
	int domain = (int)args[0], type = (int)args[1];
	int protocol = (int)args[2];
	int kind = type & 0xf;
	unsigned flags = O_RDWR | ((type & SOCK_NONBLOCK) ? O_NONBLOCK : 0);
	struct file *f;
	long ret = socket_check(domain, type, protocol);

	if (ret < 0)
		return ret;
	/* Linux turns AF_UNIX SOCK_RAW into SOCK_DGRAM. */
	if (kind == SOCK_RAW)
		kind = SOCK_DGRAM;
	ret = unix_file_create(t, kind, protocol, flags, &f);
	if (ret < 0)
		return ret;
	ret = fd_install(t->files, f, 0, type & SOCK_CLOEXEC,
			 task_nofile_limit(t));
	file_put(f);
	return ret;
}

SYSCALL_DEFINE(SYS_listen, listen)
{
	int backlog = (int)args[1];
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	struct unix_sock *us = file_sock(f)->usock;
	int pipefd[2] = {-1, -1};

	if (!us) {
		file_put(f);
		return -EINVAL;
	}
	if (us->type == SOCK_DGRAM) {
		file_put(f);
		return -EOPNOTSUPP;
	}
	if (pipe2(pipefd, O_NONBLOCK | O_CLOEXEC) < 0) {
		file_put(f);
		return neg_errno();
	}
	if ((unsigned)backlog > UNIX_SOMAXCONN)
		backlog = UNIX_SOMAXCONN;

	pthread_mutex_lock(&unix_lock);
	if (us->state == UNIX_CONNECTED || !us->addr.len) {
		ret = -EINVAL;
	} else {
		us->backlog = backlog;
		if (us->state != UNIX_LISTENING) {
			us->state = UNIX_LISTENING;
			us->notify_wr = pipefd[1];
			__atomic_store_n(&us->notify_rd, pipefd[0],
					 __ATOMIC_RELEASE);
			pipefd[0] = pipefd[1] = -1;
			us->listen_pid = t->tg->tgid;
			us->listen_uid = t->cred.euid;
			us->listen_gid = t->cred.egid;
		}
		/* A larger backlog may let waiting clients in. */
		pthread_cond_broadcast(&unix_cond);
	}
	pthread_mutex_unlock(&unix_lock);
	if (pipefd[0] >= 0) {
		close(pipefd[0]);
		close(pipefd[1]);
	}
	file_put(f);
	return ret;
}

/* Queue a connection from client (a stream or seqpacket socket) on the
 * listener named by addr, waiting for room in its backlog unless
 * nonblock. */
static long stream_connect(struct task *t, struct file *f,
			   const struct unix_addr *addr, bool nonblock)
{
	struct sock_info *si = file_sock(f);
	struct unix_sock *us = si->usock, *target;
	long ret = unix_find(t, addr, us->type, &target);

	if (ret < 0)
		return ret;
	pthread_mutex_lock(&unix_lock);
	for (;;) {
		if (target->dead || target->state != UNIX_LISTENING) {
			ret = -ECONNREFUSED;
			break;
		}
		if (target->queue_len > target->backlog) {
			if (nonblock) {
				ret = -EAGAIN;
				break;
			}
			ret = task_wait_cond(t, &unix_cond, &unix_lock, NULL);
			if (ret < 0)
				break;
			continue;
		}
		if (us->state == UNIX_CONNECTED)
			ret = -EISCONN;
		else if (us->state != UNIX_UNCONNECTED || us->spare_fd < 0)
			ret = -EINVAL;
		break;
	}
	if (ret < 0) {
		unix_sock_put_locked(target);
		pthread_mutex_unlock(&unix_lock);
		return ret;
	}

	struct unix_conn *conn = xcalloc(1, sizeof(*conn));
	conn->host_fd = us->spare_fd;
	conn->pair = us->spare_pair;
	conn->peer_addr = us->addr;
	conn->pid = t->tg->tgid;
	conn->uid = t->cred.euid;
	conn->gid = t->cred.egid;
	us->spare_fd = -1;
	us->spare_pair = NULL;
	us->state = UNIX_CONNECTED;
	us->peer_addr = target->addr;
	*target->queue_tail = conn;
	target->queue_tail = &conn->next;
	target->queue_len++;
	/* One byte per pending connection makes the listener readable. */
	if (write(target->notify_wr, "", 1) != 1)
		log_warn("unix: listener notification write failed: %s",
			 strerror(errno));
	pid_t pid = target->listen_pid;
	uid_t uid = target->listen_uid;
	gid_t gid = target->listen_gid;
	unix_sock_put_locked(target);
	pthread_mutex_unlock(&unix_lock);

	pthread_mutex_lock(&si->lock);
	si->peer_pid = pid;
	si->peer_uid = uid;
	si->peer_gid = gid;
	pthread_mutex_unlock(&si->lock);
	return 0;
}

SYSCALL_DEFINE(SYS_connect, connect)
{
	struct sockaddr_storage ss;
	struct unix_addr addr;
	int len = (int)args[2];
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	struct sock_info *si = file_sock(f);

	if (len < 0 || len > (int)sizeof(ss)) {
		ret = -EINVAL;
	} else if (len && copy_from_user(t, &ss, args[1], len) < 0) {
		ret = -EFAULT;
	} else if (si->type == SOCK_DGRAM && si->usock &&
		   len >= (int)sizeof(sa_family_t) &&
		   ss.ss_family == AF_UNSPEC) {
		ret = unix_dgram_connect(t, si->usock, NULL, true);
	} else {
		ret = unix_addr_parse(&ss, len, &addr);
		/* NOTE: socketpair ends cannot connect anywhere else yet. */
		if (ret == 0 && !si->usock)
			ret = si->type == SOCK_DGRAM ? -EINVAL : -EISCONN;
		else if (ret == 0 && si->type == SOCK_DGRAM)
			ret = unix_dgram_connect(t, si->usock, &addr, false);
		else if (ret == 0)
			ret = stream_connect(t, f, &addr, file_nonblock(f));
	}
	file_put(f);
	return ret;
}

/* Take the first pending connection of the listener us, waiting for
 * one unless nonblock. */
static long accept_wait(struct task *t, struct unix_sock *us, bool nonblock,
			struct unix_conn **out)
{
	for (;;) {
		pthread_mutex_lock(&unix_lock);
		if (us->state != UNIX_LISTENING) {
			pthread_mutex_unlock(&unix_lock);
			return -EINVAL;
		}
		struct unix_conn *conn = us->queue_head;
		if (conn) {
			char byte;

			us->queue_head = conn->next;
			if (!us->queue_head)
				us->queue_tail = &us->queue_head;
			us->queue_len--;
			if (read(us->notify_rd, &byte, 1) != 1)
				log_warn("unix: listener notification read "
					 "failed: %s",
					 strerror(errno));
			pthread_cond_broadcast(&unix_cond);
			pthread_mutex_unlock(&unix_lock);
			*out = conn;
			return 0;
		}
		int notify_rd = us->notify_rd;
		pthread_mutex_unlock(&unix_lock);
		if (nonblock)
			return -EAGAIN;
		/* The file reference of the caller keeps the pipe open. */
		int r = host_wait_fd(t, notify_rd, POLLIN);
		if (r < 0)
			return r;
	}
}

static long do_accept(struct task *t, int fd, uint64_t uaddr, uint64_t ulen,
		      int flags)
{
	struct unix_conn *conn;
	long ret;

	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	struct file *f = sockfd_get(t, fd, &ret);
	if (!f)
		return ret;
	struct sock_info *si = file_sock(f);
	struct unix_sock *us = si->usock;

	if (!us || us->type == SOCK_DGRAM) {
		file_put(f);
		return us ? -EOPNOTSUPP : -EINVAL;
	}
	ret = accept_wait(t, us, file_nonblock(f), &conn);
	if (ret < 0) {
		file_put(f);
		return ret;
	}

	struct unix_sock *nus = unix_sock_alloc(us->type);
	nus->state = UNIX_CONNECTED;
	nus->peer_addr = conn->peer_addr;
	pthread_mutex_lock(&unix_lock);
	nus->addr = us->addr;
	pthread_mutex_unlock(&unix_lock);

	unsigned fflags = O_RDWR | ((flags & SOCK_NONBLOCK) ? O_NONBLOCK : 0);
	struct file *nf = sock_file_create(t, us->type, si->protocol, fflags,
					   conn->host_fd, conn->pair, 1, nus);
	struct sock_info *nsi = file_sock(nf);
	nsi->peer_pid = conn->pid;
	nsi->peer_uid = conn->uid;
	nsi->peer_gid = conn->gid;
	free(conn);
	file_put(f);

	/* Linux reports the peer's name after the connection is made, so a
	 * bad address buffer fails the call but loses the connection. */
	if (uaddr) {
		struct unix_addr peer = nus->peer_addr;

		if (peer.len == 0) {
			peer.len = offsetof(struct sockaddr_un, sun_path);
			peer.sun.sun_family = AF_UNIX;
		}
		ret = unix_addr_to_user(t, &peer, uaddr, ulen);
		if (ret < 0) {
			file_put(nf);
			return ret;
		}
	}
	ret = fd_install(t->files, nf, 0, flags & SOCK_CLOEXEC,
			 task_nofile_limit(t));
	file_put(nf);
	return ret;
}

SYSCALL_DEFINE(SYS_accept, accept)
{
	return do_accept(t, (int)args[0], args[1], args[2], 0);
}

SYSCALL_DEFINE(SYS_accept4, accept4)
{
	return do_accept(t, (int)args[0], args[1], args[2], (int)args[3]);
}
