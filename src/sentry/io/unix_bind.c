/* Names of socket(2) unix sockets: address parsing, bind(2) to a path,
 * to an abstract name or automatically, lookups for connect(2) and
 * sendto(2), getsockname(2) and getpeername(2).
 *
 * A path name is an S_IFSOCK node in the sandbox's VFS whose inode
 * points at the socket (i_socket). An abstract name lives in a table of
 * the whole sandbox, because the sandbox has one network namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/fs/fs.h"
#include "sentry/io/io_internal.h"
#include "sentry/io/socket.h"
#include "sentry/io/unix_socket.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"

#define SUN_PATH_OFFSET offsetof(struct sockaddr_un, sun_path)

/* Sockets bound to abstract names (unix_lock). */
static struct unix_sock *abstract_table;
/* The next autobind name to try (unix_lock). */
static unsigned autobind_next;

long unix_addr_parse(const void *sa, socklen_t len, struct unix_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (len <= SUN_PATH_OFFSET || len > sizeof(struct sockaddr_un))
		return -EINVAL;
	memcpy(&out->sun, sa, len);
	if (out->sun.sun_family != AF_UNIX)
		return -EINVAL;
	if (out->sun.sun_path[0] == '\0') {
		out->len = len;
		return 0;
	}
	/* A path ends at its first NUL or at the end of the address, and
	 * Linux counts one NUL in the length. */
	out->len = SUN_PATH_OFFSET +
		   strnlen(out->sun.sun_path, len - SUN_PATH_OFFSET) + 1;
	return 0;
}

long unix_addr_from_user(struct task *t, uint64_t uaddr, uint64_t len,
			 struct unix_addr *out)
{
	struct sockaddr_storage ss;

	if ((int)len < 0 || (int)len > (int)sizeof(ss))
		return -EINVAL;
	if (len && copy_from_user(t, &ss, uaddr, len) < 0)
		return -EFAULT;
	return unix_addr_parse(&ss, len, out);
}

long unix_addr_to_user(struct task *t, const struct unix_addr *addr,
		       uint64_t uaddr, uint64_t ulen)
{
	int len, full = addr->len;

	if (copy_from_user(t, &len, ulen, sizeof(len)) < 0)
		return -EFAULT;
	if (len > full)
		len = full;
	if (len < 0)
		return -EINVAL;
	if (len && copy_to_user(t, uaddr, &addr->sun, len) < 0)
		return -EFAULT;
	if (copy_to_user(t, ulen, &full, sizeof(full)) < 0)
		return -EFAULT;
	return 0;
}

static bool addr_equal(const struct unix_addr *a, const struct unix_addr *b)
{
	return a->len == b->len && memcmp(&a->sun, &b->sun, a->len) == 0;
}

static struct unix_sock *abstract_lookup(const struct unix_addr *addr)
{
	for (struct unix_sock *us = abstract_table; us; us = us->abstract_next)
		if (addr_equal(&us->addr, addr))
			return us;
	return NULL;
}

void unix_unbind_locked(struct unix_sock *us)
{
	if (unix_addr_abstract(&us->addr)) {
		struct unix_sock **link = &abstract_table;

		while (*link && *link != us)
			link = &(*link)->abstract_next;
		if (*link)
			*link = us->abstract_next;
		us->abstract_next = NULL;
	}
	if (us->inode && us->inode->i_socket == us)
		us->inode->i_socket = NULL;
}

/* Bind us to a free abstract name of five hex digits, as Linux's
 * autobind does (unix_lock held). A bound socket keeps its name. */
static long autobind_locked(struct unix_sock *us)
{
	struct unix_addr addr = {.len = SUN_PATH_OFFSET + 6};

	if (us->addr.len)
		return 0;
	addr.sun.sun_family = AF_UNIX;
	for (unsigned tries = 0; tries < 0x100000; tries++) {
		char name[8];

		snprintf(name, sizeof(name), "%05x", autobind_next++ & 0xfffff);
		memcpy(addr.sun.sun_path + 1, name, 5);
		if (!abstract_lookup(&addr)) {
			us->addr = addr;
			us->abstract_next = abstract_table;
			abstract_table = us;
			return 0;
		}
	}
	return -ENOSPC;
}

static long bind_abstract(struct unix_sock *us, const struct unix_addr *addr)
{
	long ret = 0;

	pthread_mutex_lock(&unix_lock);
	if (us->addr.len) {
		ret = -EINVAL;
	} else if (abstract_lookup(addr)) {
		ret = -EADDRINUSE;
	} else {
		us->addr = *addr;
		us->abstract_next = abstract_table;
		abstract_table = us;
	}
	pthread_mutex_unlock(&unix_lock);
	return ret;
}

/* Create the socket node first, as Linux does, so binding a bound socket
 * to an existing path fails with EADDRINUSE, not EINVAL. */
static long bind_path(struct task *t, struct unix_sock *us,
		      const struct unix_addr *addr)
{
	struct path p;
	long ret = vfs_mknodat_path(t, AT_FDCWD, addr->sun.sun_path,
				    S_IFSOCK | 0777, 0, &p);

	if (ret == -EEXIST)
		return -EADDRINUSE;
	if (ret < 0)
		return ret;

	pthread_mutex_lock(&namespace_lock);
	struct inode *inode = inode_get(p.dentry->d_inode);
	pthread_mutex_unlock(&namespace_lock);

	pthread_mutex_lock(&unix_lock);
	if (us->addr.len) {
		ret = -EINVAL;
	} else {
		us->addr = *addr;
		us->path = p;
		us->inode = inode;
		inode->i_socket = us;
	}
	pthread_mutex_unlock(&unix_lock);
	if (ret < 0) {
		vfs_unlinkat(t, AT_FDCWD, addr->sun.sun_path, 0);
		inode_put(inode);
		path_put(&p);
	}
	return ret;
}

SYSCALL_DEFINE(SYS_bind, bind)
{
	struct unix_addr addr;
	struct sockaddr_storage ss;
	int len = (int)args[2];
	long ret;
	struct file *f = sockfd_get(t, (int)args[0], &ret);

	if (!f)
		return ret;
	struct unix_sock *us = file_sock(f)->usock;

	if (len < 0 || len > (int)sizeof(ss)) {
		ret = -EINVAL;
	} else if (len && copy_from_user(t, &ss, args[1], len) < 0) {
		ret = -EFAULT;
	} else if (!us) {
		/* NOTE: socketpair ends cannot be named yet. */
		ret = -EINVAL;
	} else if (len == SUN_PATH_OFFSET && ss.ss_family == AF_UNIX) {
		pthread_mutex_lock(&unix_lock);
		ret = autobind_locked(us);
		pthread_mutex_unlock(&unix_lock);
	} else {
		ret = unix_addr_parse(&ss, len, &addr);
		if (ret == 0 && unix_addr_abstract(&addr))
			ret = bind_abstract(us, &addr);
		else if (ret == 0)
			ret = bind_path(t, us, &addr);
	}
	file_put(f);
	return ret;
}

/* The socket bound to a path, by its inode. */
static long find_path(struct task *t, const struct unix_addr *addr,
		      struct unix_sock **out)
{
	struct path p;
	long ret = vfs_lookup(t, AT_FDCWD, addr->sun.sun_path, 0, &p);

	if (ret < 0)
		return ret;
	pthread_mutex_lock(&namespace_lock);
	struct inode *inode = inode_get(p.dentry->d_inode);
	pthread_mutex_unlock(&namespace_lock);

	if (!S_ISSOCK(inode->mode))
		ret = -ECONNREFUSED;
	else
		ret = inode_permission(t, inode, MAY_WRITE);
	if (ret == 0) {
		/* NOTE: a socket node in a --volume mount is a host
		 * socket, which the sentry cannot reach, so connecting to
		 * it is refused. Binding there fails with EPERM, because
		 * goferfs has no mknod. */
		pthread_mutex_lock(&unix_lock);
		struct unix_sock *us = inode->i_socket;
		if (us && !us->dead) {
			unix_sock_get(us);
			*out = us;
		} else {
			ret = -ECONNREFUSED;
		}
		pthread_mutex_unlock(&unix_lock);
	}
	inode_put(inode);
	path_put(&p);
	return ret;
}

long unix_find(struct task *t, const struct unix_addr *addr, int type,
	       struct unix_sock **out)
{
	long ret = 0;

	*out = NULL;
	if (unix_addr_abstract(addr)) {
		pthread_mutex_lock(&unix_lock);
		struct unix_sock *us = abstract_lookup(addr);
		if (us && !us->dead) {
			unix_sock_get(us);
			*out = us;
		} else {
			ret = -ECONNREFUSED;
		}
		pthread_mutex_unlock(&unix_lock);
	} else {
		ret = find_path(t, addr, out);
	}
	if (ret == 0 && (*out)->type != type) {
		unix_sock_put(*out);
		*out = NULL;
		ret = -EPROTOTYPE;
	}
	return ret;
}

long unix_getname(struct task *t, struct unix_sock *us, bool peer,
		  uint64_t uaddr, uint64_t ulen)
{
	struct unix_addr addr;
	bool connected;

	pthread_mutex_lock(&unix_lock);
	connected = us->state == UNIX_CONNECTED;
	addr = peer ? us->peer_addr : us->addr;
	pthread_mutex_unlock(&unix_lock);

	if (peer && !connected)
		return -ENOTCONN;
	/* An unnamed socket's name is just the family. */
	if (addr.len == 0) {
		addr.len = SUN_PATH_OFFSET;
		addr.sun.sun_family = AF_UNIX;
	}
	return unix_addr_to_user(t, &addr, uaddr, ulen);
}
