/* The sentry's side of the gofer protocol.
 *
 * Every call sends one request and waits for its reply. Calls may come from
 * any sentry thread at once: the connection serialises them with its own
 * mutex (gofer_conn.lock), so a request and its reply are never
 * interleaved with another thread's. Every function returns 0 or a
 * positive count on success and a negative errno on failure; the gofer's
 * errors arrive as errno values already and are validated on receipt.
 *
 * A fid names one node (file, directory, symlink...) the gofer has
 * resolved. It stays valid until gofer_clunk(). Names passed here are
 * single path components; the gofer rejects "", ".", "..", names with '/'
 * or NUL and names longer than NAME_MAX.
 */
#ifndef MOAT_SENTRY_GOFER_CLIENT_H
#define MOAT_SENTRY_GOFER_CLIENT_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/statfs.h>

typedef uint32_t gofer_fid_t;

struct gofer_conn;

struct gofer_stat {
	uint64_t dev;
	uint64_t ino;
	uint32_t mode;
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint64_t rdev;
	int64_t size;
	int64_t blocks;
	int32_t blksize;
	int64_t atime_sec, atime_nsec;
	int64_t mtime_sec, mtime_nsec;
	int64_t ctime_sec, ctime_nsec;
};

/* Bits of gofer_setattr's mask. */
#define GOFER_SETATTR_MODE 0x01
#define GOFER_SETATTR_UID 0x02
#define GOFER_SETATTR_GID 0x04
#define GOFER_SETATTR_SIZE 0x08
#define GOFER_SETATTR_ATIME 0x10     /* set to atime_* */
#define GOFER_SETATTR_MTIME 0x20     /* set to mtime_* */
#define GOFER_SETATTR_ATIME_NOW 0x40 /* set to the current time */
#define GOFER_SETATTR_MTIME_NOW 0x80

struct gofer_setattr {
	uint32_t mask;
	uint32_t mode;
	uint32_t uid;
	uint32_t gid;
	int64_t size;
	int64_t atime_sec, atime_nsec;
	int64_t mtime_sec, mtime_nsec;
};

/* One directory entry from gofer_getdents. */
struct gofer_dirent {
	uint64_t ino;
	uint64_t next_offset; /* pass as offset to continue after this one */
	uint8_t type;         /* DT_* */
	char name[256];
};

/* Wrap a connected socket to the gofer. Takes ownership of fd. */
struct gofer_conn *gofer_connect(int fd);
void gofer_disconnect(struct gofer_conn *c);

/* Get the root fid of gofer mount number index, with its attributes. */
int gofer_attach(struct gofer_conn *c, uint32_t index, gofer_fid_t *root,
		 struct gofer_stat *st);
/* Resolve one component name in directory dir, never following a
 * symlink: a symlink yields a fid for the link itself. */
int gofer_walk(struct gofer_conn *c, gofer_fid_t dir, const char *name,
	       gofer_fid_t *out, struct gofer_stat *st);
int gofer_clunk(struct gofer_conn *c, gofer_fid_t fid);
int gofer_getattr(struct gofer_conn *c, gofer_fid_t fid,
		  struct gofer_stat *st);
/* Open the node and return a host FD for it in *hostfd. flags: O_RDONLY,
 * O_WRONLY or O_RDWR, optionally O_TRUNC, O_APPEND, O_DIRECTORY; the gofer
 * adds O_NOFOLLOW and O_CLOEXEC and rejects every other flag. */
int gofer_open(struct gofer_conn *c, gofer_fid_t fid, int flags,
	       int *hostfd);
/* Create and open a regular file name in dir (O_CREAT|O_EXCL implied). */
int gofer_create(struct gofer_conn *c, gofer_fid_t dir, const char *name,
		 int flags, uint32_t mode, uint32_t uid, uint32_t gid,
		 gofer_fid_t *out, struct gofer_stat *st, int *hostfd);
int gofer_mkdir(struct gofer_conn *c, gofer_fid_t dir, const char *name,
		uint32_t mode, uint32_t uid, uint32_t gid, gofer_fid_t *out,
		struct gofer_stat *st);
/* Only FIFOs (S_IFIFO in mode) are accepted. */
int gofer_mknod(struct gofer_conn *c, gofer_fid_t dir, const char *name,
		uint32_t mode, uint32_t uid, uint32_t gid, gofer_fid_t *out,
		struct gofer_stat *st);
int gofer_symlink(struct gofer_conn *c, gofer_fid_t dir, const char *name,
		  const char *target, uint32_t uid, uint32_t gid,
		  gofer_fid_t *out, struct gofer_stat *st);
/* Make name in dir a hard link to target. */
int gofer_link(struct gofer_conn *c, gofer_fid_t dir, const char *name,
	       gofer_fid_t target);
/* flags: 0 or AT_REMOVEDIR, as for unlinkat(2). */
int gofer_unlink(struct gofer_conn *c, gofer_fid_t dir, const char *name,
		 int flags);
int gofer_rename(struct gofer_conn *c, gofer_fid_t olddir,
		 const char *oldname, gofer_fid_t newdir, const char *newname);
/* Copy the symlink target into buf (not NUL-terminated); returns its
 * length. */
int gofer_readlink(struct gofer_conn *c, gofer_fid_t fid, char *buf,
		   size_t size);
/* Read up to max entries of directory dir starting after offset (0: the
 * start); returns the count, 0 at the end. "." and ".." are not
 * returned. */
int gofer_getdents(struct gofer_conn *c, gofer_fid_t dir, uint64_t offset,
		   struct gofer_dirent *ents, int max);
int gofer_setattr(struct gofer_conn *c, gofer_fid_t fid,
		  const struct gofer_setattr *attr);
int gofer_statfs(struct gofer_conn *c, gofer_fid_t fid, struct statfs *st);

#endif
