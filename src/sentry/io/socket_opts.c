/* Socket options, names and shutdown for unix sockets.
 *
 * The sentry's seccomp filter allows no host getsockopt or setsockopt,
 * so options are emulated from struct sock_info: the values Linux
 * reports for an AF_UNIX socket.
 * NOTE: SO_SNDBUF and SO_RCVBUF are recorded but do not resize the host
 * socket's buffers.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "common/util.h"
#include "sentry/io/io_internal.h"
#include "sentry/io/socket.h"
#include "sentry/io/unix_socket.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"

/* Linux's SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF on x86-64 (estimates:
 * they depend on the size of struct sk_buff). */
#define SOCK_MIN_SNDBUF 4608
#define SOCK_MIN_RCVBUF 2304
/* Linux's default net.core.wmem_max and rmem_max. */
#define SOCK_BUF_MAX 212992

/* The value of an int-sized SOL_SOCKET option, or -ENOPROTOOPT. */
static long sock_get_int(struct sock_info *si, int name, int *value)
{
	switch (name) {
	case SO_TYPE:
		*value = si->type;
		return 0;
	case SO_DOMAIN:
		*value = AF_UNIX;
		return 0;
	case SO_PROTOCOL:
		*value = si->protocol;
		return 0;
	case SO_ACCEPTCONN:
		*value = 0;
		if (si->usock) {
			pthread_mutex_lock(&unix_lock);
			*value = si->usock->state == UNIX_LISTENING;
			pthread_mutex_unlock(&unix_lock);
		}
		return 0;
	case SO_ERROR:
	case SO_KEEPALIVE:
	case SO_REUSEADDR:
	case SO_BROADCAST:
	case SO_DONTROUTE:
	case SO_OOBINLINE:
		*value = 0;
		return 0;
	case SO_SNDBUF:
		*value = si->sndbuf;
		return 0;
	case SO_RCVBUF:
		*value = si->rcvbuf;
		return 0;
	case SO_PASSCRED:
		*value = si->passcred;
		return 0;
	case SO_RCVLOWAT:
		*value = si->rcvlowat;
		return 0;
	case SO_SNDLOWAT:
		*value = 1;
		return 0;
	}
	return -ENOPROTOOPT;
}

static long sock_getsockopt(struct task *t, struct sock_info *si, int name,
			    uint64_t uval, uint64_t ulen)
{
	char buf[sizeof(struct ucred)];
	size_t size;
	int len;
	long ret;

	if (copy_from_user(t, &len, ulen, sizeof(len)) < 0)
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	pthread_mutex_lock(&si->lock);
	if (name == SO_PEERCRED) {
		struct ucred cred = {si->peer_pid, si->peer_uid, si->peer_gid};

		memcpy(buf, &cred, sizeof(cred));
		size = sizeof(cred);
		ret = 0;
	} else {
		int value = 0;

		ret = sock_get_int(si, name, &value);
		memcpy(buf, &value, sizeof(value));
		size = sizeof(value);
	}
	pthread_mutex_unlock(&si->lock);
	if (ret < 0)
		return ret;

	len = MIN((size_t)len, size);
	if (copy_to_user(t, uval, buf, len) < 0 ||
	    copy_to_user(t, ulen, &len, sizeof(len)) < 0)
		return -EFAULT;
	return 0;
}

static long sock_setsockopt(struct task *t, struct sock_info *si, int name,
			    uint64_t uval, int len)
{
	int value;
	long ret = 0;

	if (len < (int)sizeof(int))
		return -EINVAL;
	if (copy_from_user(t, &value, uval, sizeof(value)) < 0)
		return -EFAULT;

	pthread_mutex_lock(&si->lock);
	switch (name) {
	case SO_SNDBUF:
		/* Linux doubles the request for bookkeeping overhead. */
		si->sndbuf = MAX((int)MIN((unsigned)value, SOCK_BUF_MAX) * 2,
				 SOCK_MIN_SNDBUF);
		break;
	case SO_RCVBUF:
		si->rcvbuf = MAX((int)MIN((unsigned)value, SOCK_BUF_MAX) * 2,
				 SOCK_MIN_RCVBUF);
		break;
	case SO_PASSCRED:
		si->passcred = value != 0;
		break;
	case SO_RCVLOWAT:
		si->rcvlowat = value < 0 ? INT32_MAX : MAX(value, 1);
		break;
	case SO_KEEPALIVE:
	case SO_REUSEADDR:
	case SO_BROADCAST:
	case SO_DONTROUTE:
	case SO_OOBINLINE:
		/* Meaningless for a connected unix socket; Linux accepts
		 * them. */
		break;
	default:
		ret = -ENOPROTOOPT;
	}
	pthread_mutex_unlock(&si->lock);
	return ret;
}

SYSCALL_DEFINE(SYS_getsockopt, getsockopt)
{
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	if ((int)args[1] != SOL_SOCKET)
		ret = -EOPNOTSUPP;
	else
		ret = sock_getsockopt(t, file_sock(f), (int)args[2], args[3],
				      args[4]);
	file_put(f);
	return ret;
}

SYSCALL_DEFINE(SYS_setsockopt, setsockopt)
{
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	if ((int)args[1] != SOL_SOCKET)
		ret = -EOPNOTSUPP;
	else
		ret = sock_setsockopt(t, file_sock(f), (int)args[2], args[3],
				      (int)args[4]);
	file_put(f);
	return ret;
}

/* Both ends of a pair are unnamed: the address is just the family. */
static long put_unnamed_sockaddr(struct task *t, uint64_t uaddr, uint64_t ulen)
{
	sa_family_t family = AF_UNIX;
	int len, full = sizeof(family);

	if (copy_from_user(t, &len, ulen, sizeof(len)) < 0)
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (copy_to_user(t, uaddr, &family, MIN(len, full)) < 0 ||
	    copy_to_user(t, ulen, &full, sizeof(full)) < 0)
		return -EFAULT;
	return 0;
}

static long do_getname(struct task *t, const uint64_t *args, bool peer)
{
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	if (file_sock(f)->usock)
		ret = unix_getname(t, file_sock(f)->usock, peer, args[1],
				   args[2]);
	else
		ret = put_unnamed_sockaddr(t, args[1], args[2]);
	file_put(f);
	return ret;
}

SYSCALL_DEFINE(SYS_getsockname, getsockname)
{
	return do_getname(t, args, false);
}

SYSCALL_DEFINE(SYS_getpeername, getpeername)
{
	return do_getname(t, args, true);
}

SYSCALL_DEFINE(SYS_shutdown, shutdown)
{
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);
	int how = (int)args[1];

	if (!f)
		return ret;
	if (how < SHUT_RD || how > SHUT_RDWR)
		ret = -EINVAL;
	else if (file_sock(f)->usock &&
		 unix_shutdown(file_sock(f)->usock, how) == 0)
		ret = 0;
	else if (shutdown(f->host_fd, how) < 0)
		ret = neg_errno();
	file_put(f);
	return ret;
}
