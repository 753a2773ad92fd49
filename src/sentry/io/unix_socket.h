/* AF_UNIX sockets made with socket(2): names, listening, connecting and
 * datagrams between named sockets, shared by unix_socket.c (stream and
 * seqpacket connections), unix_bind.c (addresses and names),
 * unix_dgram.c (datagrams) and the socketpair code in socket.c.
 *
 * The sentry may create no host socket but a connected AF_UNIX
 * socketpair, so every connection and queue is a host socketpair:
 *  - A stream or seqpacket socket gets a host pair at socket(2) time.
 *    Its file uses one end. The other end (spare_fd) waits in the
 *    sentry and becomes the host FD of the socket that accept(2)
 *    returns, so a connection needs no new host FD.
 *  - A datagram socket's file reads from one end of a host SOCK_DGRAM
 *    pair, and senders write to the other end (dgram_wr). Each host
 *    datagram starts with a struct unix_dgram_hdr that names the sender.
 *
 * Locking: unix_lock protects every field of every struct unix_sock,
 * every pending connection, the abstract name table and every inode's
 * i_socket pointer. unix_cond is broadcast on unix_lock whenever a
 * listening queue shrinks or a listener closes. unix_lock is never held
 * while taking namespace_lock or while waiting on a host FD.
 */
#ifndef MOAT_SENTRY_IO_UNIX_SOCKET_H
#define MOAT_SENTRY_IO_UNIX_SOCKET_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include "sentry/vfs.h"

struct task;
struct file;
struct sock_info;
struct scm_pair;
struct scm_batch;

/* A socket address as Linux stores it: len is 0 for an unnamed socket,
 * else the sockaddr length getsockname(2) reports. The extra byte
 * contains the NUL after a path of the full 108 bytes. */
struct unix_addr {
	socklen_t len;
	union {
		struct sockaddr_un sun;
		char raw[sizeof(struct sockaddr_un) + 1];
	};
};

static inline bool unix_addr_abstract(const struct unix_addr *a)
{
	return a->len > offsetof(struct sockaddr_un, sun_path) &&
	       a->sun.sun_path[0] == '\0';
}

/* The header of every host datagram sent to a datagram socket: the
 * sender's name and credentials. */
struct unix_dgram_hdr {
	struct unix_addr from;
	pid_t pid;
	uid_t uid;
	gid_t gid;
};

enum unix_state {
	UNIX_UNCONNECTED,
	UNIX_LISTENING,
	UNIX_CONNECTED,
};

struct unix_conn;

/* The state of a socket made with socket(2) or accept(2) (unix_lock). */
struct unix_sock {
	int refcount; /* the file, connected datagram peers, lookups */
	int type;
	enum unix_state state;
	bool dead; /* the file was released */
	struct unix_addr addr;
	/* The S_IFSOCK node of a path name (references), or NULLs. */
	struct path path;
	struct inode *inode;
	struct unix_sock *abstract_next; /* in the abstract name table */

	/* Stream and seqpacket. */
	int spare_fd;		     /* host end for accept, or -1 */
	struct scm_pair *spare_pair; /* its SCM_RIGHTS pair (end 1) */
	struct unix_addr peer_addr;  /* the peer's name once connected */
	bool shut_rd, shut_wr;	     /* directions shut down by shutdown(2) */

	/* Listening: pending connections, and a pipe that contains one byte
	 * per pending connection so the socket can be polled. */
	int backlog;
	int queue_len;
	struct unix_conn *queue_head, **queue_tail;
	int notify_rd, notify_wr;
	pid_t listen_pid; /* SO_PEERCRED for clients */
	uid_t listen_uid;
	gid_t listen_gid;

	/* Datagram. */
	int dgram_wr;		     /* host end that senders write to */
	struct scm_pair *dgram_pair; /* files in flight to this socket:
				      * end 0 */
	struct unix_sock *peer;	     /* connect(2) destination, a
				      * reference */
};

extern pthread_mutex_t unix_lock;
extern pthread_cond_t unix_cond;

/* ---- unix_socket.c ---- */

struct unix_sock *unix_sock_alloc(int type);
/* Take and drop a reference (unix_lock held). Dropping the last one
 * closes the socket's host FDs. */
void unix_sock_get(struct unix_sock *us);
void unix_sock_put_locked(struct unix_sock *us);
void unix_sock_put(struct unix_sock *us);
/* Tear down a socket whose file is released: unbind it, reject its
 * pending connections and drop the file's reference. */
void unix_sock_release(struct unix_sock *us);
/* The host FD to poll for f instead of its own: the notification pipe
 * of a listening socket, or -1. */
int unix_poll_fd(struct unix_sock *us);
/* The errno of a receive on a stream or seqpacket socket that is not
 * connected (EINVAL or ENOTCONN), or 0. */
long unix_recv_check(struct unix_sock *us);
/* The errno of a send without address on a stream or seqpacket socket
 * that is not connected, or 0. */
long unix_send_check(struct unix_sock *us);
/* Record shutdown(2) of a socket(2) socket. Returns 1 if its host end
 * is connected and must be shut down as well, else 0. */
long unix_shutdown(struct unix_sock *us, int how);

/* ---- unix_bind.c ---- */

/* Parse a guest sockaddr of len bytes, already in sentry memory, with
 * the checks of Linux's unix_validate_addr and unix_mkname. */
long unix_addr_parse(const void *sa, socklen_t len, struct unix_addr *out);
/* Copy a guest address (Linux's move_addr_to_kernel) and parse it. */
long unix_addr_from_user(struct task *t, uint64_t uaddr, uint64_t len,
			 struct unix_addr *out);
/* Write addr to a guest sockaddr and its length like Linux's
 * move_addr_to_user: the bytes that fit, and the full length. */
long unix_addr_to_user(struct task *t, const struct unix_addr *addr,
		       uint64_t uaddr, uint64_t ulen);
/* Find the bound socket named by addr and return a reference to it in
 * *out. Fails with ENOENT (no such path), ECONNREFUSED (not a socket or
 * no socket bound to it), EACCES or EPROTOTYPE (type differs). */
long unix_find(struct task *t, const struct unix_addr *addr, int type,
	       struct unix_sock **out);
/* Remove the name of a socket (unix_lock held). */
void unix_unbind_locked(struct unix_sock *us);
/* getsockname(2) and getpeername(2) of a socket(2) socket. */
long unix_getname(struct task *t, struct unix_sock *us, bool peer,
		  uint64_t uaddr, uint64_t ulen);

/* ---- unix_dgram.c ---- */

/* Send one datagram to dest (NULL: the connected peer) from f, a
 * datagram socket. buf is sentry memory. Consumes batch. */
long unix_dgram_send(struct task *t, struct file *f, const void *dest,
		     socklen_t destlen, const void *buf, size_t len, int flags,
		     struct scm_batch *batch);
/* connect(2) of a datagram socket. */
long unix_dgram_connect(struct task *t, struct unix_sock *us,
			const struct unix_addr *addr, bool unspec);

#endif
