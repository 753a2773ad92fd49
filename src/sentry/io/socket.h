/* Unix domain sockets from socketpair(2): shared between socket.c and
 * socket_opts.c. */
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
};

struct file;
struct task;
struct scm_pair;

/* The socket state of f, or NULL if f is not a socket. */
struct sock_info *file_sock(struct file *f);
/* Get a reference to the socket file at fd, or NULL with *err set to
 * -EBADF or -ENOTSOCK. */
struct file *sockfd_get(struct task *t, int fd, long *err);

#endif
