/* Internal interface of the gofer, Moat's only process that opens host
 * files. The sentry sends requests over a SOCK_SEQPACKET socket (see
 * common/gofer_proto.h); nothing in a request is trusted. */
#ifndef MOAT_GOFER_GOFER_H
#define MOAT_GOFER_GOFER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/gofer_proto.h"

/* Max number of fids alive at once; a walk beyond it fails with ENFILE. */
#define GOFER_MAX_FIDS (1u << 20)

struct gofer_mount {
	int root_fd; /* O_PATH FD of the mount's root (a directory or a
		      * regular file), or -1 if its setup failed */
	bool readonly;
	int error; /* errno of the failed setup, returned by attach */
};

/* A node the sentry holds a fid for. fd is an O_PATH|O_NOFOLLOW FD, so it
 * names one inode and grants no read or write access by itself. */
struct gofer_node {
	int fd;
	uint32_t mount;	    /* index into the mount table */
	uint32_t type;	    /* S_IFMT bits, fixed for the inode's lifetime */
	uint32_t next_free; /* free-list link while the slot is unused */
};

struct gofer_server {
	int sock;
	/* O_PATH FD of /proc/self/fd, used to reopen an O_PATH FD with
	 * real access (see gofer_reopen). */
	int proc_fd;
	const struct gofer_mount *mounts;
	uint32_t nmounts;
};

/* Serve requests on sock until the sentry closes it. Needs no privilege
 * itself: confinement is done by gofer_main before calling it. Returns 0
 * on EOF or a negative errno if the socket failed. */
int gofer_serve(int sock, int proc_fd, const struct gofer_mount *mounts,
		uint32_t nmounts);

/* Fid table (nodes.c). gofer_fid_new takes ownership of fd. */
int gofer_fid_new(int fd, uint32_t mount, uint32_t type, uint32_t *fid);
/* Look up a fid; NULL if it is unknown. */
struct gofer_node *gofer_fid_get(uint32_t fid);
int gofer_fid_clunk(uint32_t fid);
void gofer_fid_clear_all(void);

/* Operations (ops_*.c). Each fills rep and returns 0, or returns a
 * negative errno for an error reply. open and create may set *hostfd to a
 * host FD that is sent with the reply and then closed. */
int gofer_reopen(const struct gofer_server *s, const struct gofer_node *n,
		 int flags);
int gofer_fill_stat(int fd, struct gofer_stat *st);
/* Look up fid (-EBADF if unknown); gofer_lookup_dir also requires a
 * directory (-ENOTDIR) and, with for_write, a read-write mount
 * (-EROFS). */
int gofer_lookup(uint32_t fid, struct gofer_node **n);
int gofer_lookup_dir(const struct gofer_server *s, uint32_t fid, bool for_write,
		     struct gofer_node **n);
/* Add an O_PATH FD as a new fid and fill p->fid and p->stat. Takes
 * ownership of fd. */
int gofer_add_node(int fd, uint32_t mount, struct gofer_reply *p);
int gofer_op_attach(const struct gofer_server *s, const struct gofer_request *q,
		    struct gofer_reply *p);
int gofer_op_walk(const struct gofer_server *s, const struct gofer_request *q,
		  struct gofer_reply *p);
int gofer_op_clunk(const struct gofer_server *s, const struct gofer_request *q,
		   struct gofer_reply *p);
int gofer_op_getattr(const struct gofer_server *s,
		     const struct gofer_request *q, struct gofer_reply *p);
int gofer_op_open(const struct gofer_server *s, const struct gofer_request *q,
		  struct gofer_reply *p, int *hostfd);
int gofer_op_create(const struct gofer_server *s, const struct gofer_request *q,
		    struct gofer_reply *p, int *hostfd);
int gofer_op_mkdir(const struct gofer_server *s, const struct gofer_request *q,
		   struct gofer_reply *p);
int gofer_op_mknod(const struct gofer_server *s, const struct gofer_request *q,
		   struct gofer_reply *p);
int gofer_op_symlink(const struct gofer_server *s,
		     const struct gofer_request *q, struct gofer_reply *p);
int gofer_op_link(const struct gofer_server *s, const struct gofer_request *q,
		  struct gofer_reply *p);
int gofer_op_unlink(const struct gofer_server *s, const struct gofer_request *q,
		    struct gofer_reply *p);
int gofer_op_rename(const struct gofer_server *s, const struct gofer_request *q,
		    struct gofer_reply *p);
int gofer_op_readlink(const struct gofer_server *s,
		      const struct gofer_request *q, struct gofer_reply *p);
int gofer_op_getdents(const struct gofer_server *s,
		      const struct gofer_request *q, struct gofer_reply *p);
int gofer_op_setattr(const struct gofer_server *s,
		     const struct gofer_request *q, struct gofer_reply *p);
int gofer_op_statfs(const struct gofer_server *s, const struct gofer_request *q,
		    struct gofer_reply *p);

/* Confinement (confine.c, seccomp.c), each called once by gofer_main. */
int gofer_confine_mounts(const char **paths, const bool *readonly,
			 uint32_t nmounts, struct gofer_mount *mounts,
			 int *proc_fd);
int gofer_drop_caps(void);
int gofer_install_seccomp(int sock);

#endif
