/* Unix domain sockets: shared between socket.c, socket_opts.c and the
 * socket(2) sockets of unix_socket.c, unix_bind.c and unix_dgram.c. */
#ifndef MOAT_SENTRY_IO_SOCKET_H
#define MOAT_SENTRY_IO_SOCKET_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

/* Per-end state. The socket options the sentry emulates (the sentry's
 * seccomp filter allows no host getsockopt/setsockopt) live here,
 * protected by lock. */
struct sock_info {
	pthread_mutex_t lock;
	int type;     /* SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET */
	int protocol; /* as passed to socketpair */
	int sndbuf, rcvbuf;
	bool passcred;
	int rcvlowat;
	/* SO_PEERCRED: the creator of the pair, for both ends. */
	pid_t peer_pid;
	uid_t peer_uid;
	gid_t peer_gid;
	/* Files in flight between the ends, and which end this is (0 or
	 * 1). Constant after creation. */
	struct scm_pair *pair;
	int end;
	/* The naming and connection state of a socket made with socket(2)
	 * or accept(2), or NULL for a socketpair end. Constant after
	 * creation. */
	struct unix_sock *usock;
};

struct file;
struct task;
struct scm_pair;
struct scm_batch;
struct unix_sock;

/* The socket state of f, or NULL if f is not a socket. */
struct sock_info *file_sock(struct file *f);
/* Get a reference to the socket file at fd, or NULL with *err set to
 * -EBADF or -ENOTSOCK. */
struct file *sockfd_get(struct task *t, int fd, long *err);

/* Make a socket file around host_fd (taking it over) whose SCM_RIGHTS
 * travel through end of pair. flags are the O_* flags. The peer
 * credentials start as those of t. */
struct file *sock_file_create(struct task *t, int type, int protocol,
			      unsigned flags, int host_fd,
			      struct scm_pair *pair, int end,
			      struct unix_sock *us);

/* Send hdr (hdrlen bytes, may be 0) and buf on host_fd for the socket
 * f: one message for datagram and seqpacket sockets, everything for
 * stream sockets unless non-blocking or interrupted. Files in batch
 * (may be NULL, consumed either way) go to dest_end of pair. Returns
 * the bytes sent including hdr, or a negative errno. */
long sock_send_to(struct task *t, struct file *f, int host_fd,
		  struct scm_pair *pair, int dest_end, const void *hdr,
		  size_t hdrlen, const void *buf, size_t len, int flags,
		  struct scm_batch *batch);

#endif
