/* Internals of the sentry's file systems: inodes, dentries, super blocks,
 * mounts, the operations a file system implements, and helpers for
 * synthetic file systems such as procfs.
 *
 * Locking, from outermost to innermost:
 *
 *   namespace_lock  The shape of the dentry tree: every d_parent, d_name,
 *                   d_child list, the d_flags bits and d_inode of every
 *                   dentry, and every directory's contents. Every
 *                   inode_operations call except getattr, readlink and open
 *                   runs with it held, so directory operations are
 *                   serialised, and rename needs no lock ordering between
 *                   directories. It is never held across a wait that a
 *                   guest can prolong (opening a FIFO, reading a file).
 *   inode->lock     The inode's attributes (mode, uid, gid, nlink, size,
 *                   blocks, times) and its file system's per-inode state.
 *
 * Reference counts (inode, dentry, mount, super_block) are atomic;
 * inode_put and dentry_put may be called with or without namespace_lock.
 */
#ifndef MOAT_SENTRY_FS_FS_H
#define MOAT_SENTRY_FS_FS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <time.h>

#include "sentry/file.h"
#include "sentry/vfs.h"

struct task;
struct cred;
struct super_block;

/* Access modes for permission checks (the values of R_OK, W_OK, X_OK). */
#define MAY_EXEC  1
#define MAY_WRITE 2
#define MAY_READ  4

extern pthread_mutex_t namespace_lock;

/* ---- Inodes ---- */

/* Attributes to change (setattr). ia_valid is a set of ATTR_* bits. */
#define ATTR_MODE      0x001
#define ATTR_UID       0x002
#define ATTR_GID       0x004
#define ATTR_SIZE      0x008
#define ATTR_ATIME     0x010 /* set atime to ia_atime */
#define ATTR_MTIME     0x020 /* set mtime to ia_mtime */
#define ATTR_CTIME     0x040 /* set ctime to ia_ctime */
#define ATTR_ATIME_NOW 0x080 /* set atime to the current time */
#define ATTR_MTIME_NOW 0x100 /* set mtime to the current time */

struct iattr {
	unsigned ia_valid;
	mode_t ia_mode; /* permission bits only (07777) */
	uid_t ia_uid;
	gid_t ia_gid;
	int64_t ia_size;
	struct timespec ia_atime, ia_mtime, ia_ctime;
};

/* Attributes of a new inode. The VFS computes the owner from the task's
 * fsuid/fsgid (or the setgid directory's group) and the mode from the
 * umask, so file systems just store them. */
struct inode_create {
	mode_t mode; /* file type and permission bits */
	uid_t uid;
	gid_t gid;
	dev_t rdev; /* mknod of a device */
};

/* Operations on an inode. Directory operations get a dentry that is
 * already linked under the parent: negative (d_inode NULL) for the name
 * to create, positive for the name to remove. They run with
 * namespace_lock held. Only directories have lookup; a missing directory
 * operation fails as Linux does for a file system without it (EACCES for
 * create, EPERM for the others). */
struct inode_operations {
	/* Find dentry->d_name in dir. On success set d_inode with
	 * d_instantiate(), or leave the dentry negative and return 0 if the
	 * name does not exist. Return a negative errno for other failures.
	 * The VFS then hashes the dentry (caches the result) unless lookup
	 * set DCACHE_DONTCACHE. */
	int (*lookup)(struct task *t, struct inode *dir, struct dentry *dentry);
	/* Create a regular file at the negative dentry and instantiate it;
	 * the VFS hashes the dentry afterwards if lookup left it unhashed.
	 * mkdir, mknod and symlink follow the same rules. */
	int (*create)(struct inode *dir, struct dentry *dentry,
		      const struct inode_create *ic);
	int (*mkdir)(struct inode *dir, struct dentry *dentry,
		     const struct inode_create *ic);
	int (*mknod)(struct inode *dir, struct dentry *dentry,
		     const struct inode_create *ic);
	int (*symlink)(struct inode *dir, struct dentry *dentry,
		       const char *target, const struct inode_create *ic);
	/* Make the negative dentry newd in dir a hard link to old's inode. */
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *newd);
	/* Remove the positive dentry from dir; the VFS has already checked
	 * permissions, the sticky bit and the file type. The file system
	 * unhashes the dentry (d_drop) and may hash a negative dentry with
	 * the same name in its place (a whiteout). */
	int (*unlink)(struct inode *dir, struct dentry *dentry);
	int (*rmdir)(struct inode *dir, struct dentry *dentry);
	/* Move old (positive) in olddir to newd in newdir; newd may be
	 * positive (replace) unless RENAME_NOREPLACE, and must be positive
	 * with RENAME_EXCHANGE. The VFS checked types, emptiness, loops and
	 * permissions. The file system updates its own state and moves the
	 * dentries (d_move/d_exchange), adding whiteouts if it needs them. */
	int (*rename)(struct inode *olddir, struct dentry *old,
		      struct inode *newdir, struct dentry *newd,
		      unsigned flags);
	/* Copy the symlink target into buf (no NUL), truncated to size
	 * bytes as readlink(2) does; return the number of bytes copied. t is
	 * the reading task (procfs's "self" depends on it). */
	int (*readlink)(struct task *t, struct inode *inode, char *buf,
			size_t size);
	/* A "magic link" (procfs's /proc/PID/cwd, exe, fd/N): the path walk
	 * jumps to *out (a new reference) instead of reading a target.
	 * Optional; readlink still gives the link's text. */
	int (*get_link)(struct task *t, struct inode *inode, struct path *out);
	/* Optional, for a magic link at the end of an open(2) path: open
	 * what it names directly (fd/N of a pipe or of the caller's stdio,
	 * which have no path) with the open flags and store a new file in
	 * *out. Return -EOPNOTSUPP to have the VFS use get_link instead. */
	int (*open_link)(struct task *t, struct inode *inode, int flags,
			 struct file **out);
	int (*setattr)(struct inode *inode, const struct iattr *attr);
	/* Fill st. Without it the VFS uses the inode's fields (inode_stat). */
	int (*getattr)(struct inode *inode, struct stat *st);
	/* Prepare f (already holding f_path and f_inode) for I/O: set f_op,
	 * host_fd and private_data. Without it the VFS uses i_fop. */
	int (*open)(struct task *t, struct inode *inode, struct file *f);
	/* Free the file system's per-inode state when the last reference
	 * goes. */
	void (*evict)(struct inode *inode);
};

/* A file system object. A directory has exactly one dentry; other inodes
 * may have several (hard links). */
struct inode {
	int refcount; /* atomic */
	pthread_mutex_t lock;
	/* Constant after creation. */
	uint64_t ino;
	dev_t dev;
	struct super_block *sb; /* not counted: the super block outlives it */
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	/* Protected by lock. */
	mode_t mode; /* file type (constant) and permission bits */
	uid_t uid;
	gid_t gid;
	nlink_t nlink;
	int64_t size;
	int64_t blocks; /* 512-byte units */
	struct timespec atime, mtime, ctime;
	dev_t rdev;
	/* File-system state (memfs_inode, gofer_inode, synth_node...). */
	void *private;
	/* FIFO state, created and owned by fifo_open's implementation. */
	void *i_pipe;
	/* The unix socket bound to this S_IFSOCK inode, owned by the socket
	 * code (bind sets it, connect reads it). */
	void *i_socket;
};

/* Allocate an inode with one reference on sb, a fresh inode number from
 * sb, the current time in all timestamps and nlink 1 (2 for a
 * directory). */
struct inode *inode_alloc(struct super_block *sb, mode_t mode,
			  const struct inode_operations *iop,
			  const struct file_operations *fop);
struct inode *inode_get(struct inode *inode);
void inode_put(struct inode *inode);

/* Fill st from the inode's fields, with st_blksize 4096 (inode->lock not
 * held by the caller). */
void inode_stat(struct inode *inode, struct stat *st);
/* Stat through i_op->getattr when present, else inode_stat. */
int inode_getattr(struct inode *inode, struct stat *st);
/* Apply the ATTR_MODE/UID/GID/times bits of attr to the inode fields and
 * set ctime; ATTR_SIZE is left to the file system. */
void inode_apply_attr(struct inode *inode, const struct iattr *attr);
/* Set mtime and ctime to now (after a write or a directory change). */
void inode_touch_mtime(struct inode *inode);
void inode_touch_ctime(struct inode *inode);

/* May the credential access the inode with mask (MAY_*)? Unix permission
 * bits with the fsuid, fsgid and supplementary groups; root (capable) may
 * do anything except execute a file with no x bit at all. Returns 0 or
 * -EACCES. */
int inode_permission(const struct task *t, struct inode *inode, int mask);
/* The same check for an explicit credential. cap is true if it has
 * root's capabilities (access(2) checks with the real IDs). */
int inode_permission_cred(const struct cred *cred, bool cap,
			  struct inode *inode, int mask);
/* Is the credential's fsgid or a supplementary group gid? */
bool in_group(const struct cred *cred, gid_t gid);

/* ---- Dentries ---- */

#define DCACHE_MOUNTED 0x01 /* a mount is attached here (see d_mounted) */
#define DCACHE_UNHASHED                                                        \
	0x02 /* not in its parent's children: a one-off                        \
	      * lookup result of a synthetic directory, or                     \
	      * removed from the tree */
#define DCACHE_LOWER_STUB                                                      \
	0x04		      /* overlay: a name listed by the lower           \
			       * directory but not yet walked; d_stub_ino      \
			       * and d_stub_type describe it */
#define DCACHE_DONTCACHE 0x08 /* set by lookup: leave the result unhashed */
#define DCACHE_DELETED	 0x10 /* its name was removed (unlink, rmdir...) */

/* A name in a directory. Positive dentries hold a reference on d_inode;
 * negative dentries cache the absence of a name (in an overlay directory
 * they hide, "white out", the lower file system's entry).
 *
 * A dentry holds a reference on its parent. A hashed dentry is also held
 * by its parent's children list (one reference), so it stays cached until
 * it is removed from the tree; an unhashed one is freed by its last
 * dentry_put. All fields other than refcount are protected by
 * namespace_lock, except d_sb (constant). */
struct dentry {
	int refcount; /* atomic */
	char *d_name;
	struct dentry *d_parent; /* itself for a file system root */
	struct inode *d_inode;	 /* reference, or NULL: negative */
	struct super_block *d_sb;
	unsigned d_flags;
	int d_mounted; /* mounts attached here */
	/* Directory order: getdents offsets. A child's d_off is assigned
	 * when it is linked, from the parent's d_next_off, and never reused,
	 * so offsets stay stable while entries come and go. */
	int64_t d_off;
	int64_t d_next_off;
	struct dentry *d_child_first, *d_child_last; /* in d_off order */
	struct dentry *d_sibling_prev, *d_sibling_next;
	struct dentry *d_hash_next; /* global (parent, name) hash chain */
	uint64_t d_stub_ino;	    /* DCACHE_LOWER_STUB only */
	unsigned char d_stub_type;
};

/* Allocate an unlinked negative dentry named name under parent (which
 * gains a reference). parent NULL makes a file system root. */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len);
struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);
/* Make a negative dentry positive; takes over the inode reference. */
void d_instantiate(struct dentry *d, struct inode *inode);
/* Link d into its parent's children and the hash (the children list takes
 * a reference). namespace_lock held. */
void d_add(struct dentry *d);
/* Look up a hashed child by name (namespace_lock held). Returns a new
 * reference, or NULL if the name is not cached. */
struct dentry *d_lookup(struct dentry *parent, const char *name, size_t len);
/* Make d negative in place, dropping its inode reference. Only for a
 * dentry without other users: removing a name normally uses d_drop, so open
 * files keep their (now unhashed) positive dentry. */
void d_delete(struct dentry *d);
/* Unhash d and its children and drop the children list's reference. */
void d_drop(struct dentry *d);
/* Move d to the name and parent of the hashed dentry target, which is
 * dropped. d gets a fresh d_off in its new directory. Nothing is left at
 * d's old name: an overlay adds a negative dentry there itself.
 * namespace_lock held. */
void d_move(struct dentry *d, struct dentry *target);
/* Swap the names and parents of two hashed dentries (RENAME_EXCHANGE). */
void d_exchange(struct dentry *a, struct dentry *b);
/* Does ancestor contain d (or equal it)? namespace_lock held. */
bool d_ancestor(struct dentry *ancestor, struct dentry *d);
static inline bool d_is_negative(const struct dentry *d)
{
	return d->d_inode == NULL;
}
static inline bool d_is_root(const struct dentry *d)
{
	return d->d_parent == d;
}

/* Call fn for each hashed child in d_off order starting at the first with
 * d_off >= from, until fn returns nonzero (which is returned).
 * namespace_lock held. */
int d_for_each_child(struct dentry *dir, int64_t from,
		     int (*fn)(struct dentry *child, void *ctx), void *ctx);

/* ---- Super blocks and mounts ---- */

struct super_operations {
	int (*statfs)(struct super_block *sb, struct statfs *st);
};

struct super_block {
	int refcount;	    /* atomic */
	dev_t s_dev;	    /* synthetic, unique per super block (st_dev) */
	const char *s_type; /* "tmpfs", "proc", "overlay"... for /proc/mounts */
	const char *s_source;  /* the device column of /proc/mounts */
	unsigned long s_flags; /* SB_RDONLY */
	const struct super_operations *s_op;
	struct dentry *s_root;
	uint64_t s_next_ino; /* atomic: the next fresh inode number */
	void *s_fs_info;
};

#define SB_RDONLY 1UL

/* Allocate a super block with a fresh device number (major 0, like
 * Linux's anonymous devices). */
struct super_block *sb_alloc(const char *type, const char *source,
			     const struct super_operations *sop);
uint64_t sb_next_ino(struct super_block *sb);

#define MNT_READONLY 1u

/* A file system attached at a dentry of its parent mount. The mount tree
 * is built by vfs_init and immutable afterwards, so walking it needs no
 * lock. */
struct mount {
	int refcount;		       /* atomic */
	struct mount *mnt_parent;      /* itself for the root mount */
	struct dentry *mnt_mountpoint; /* in mnt_parent; reference */
	struct dentry *mnt_root;       /* reference */
	struct super_block *mnt_sb;
	unsigned mnt_flags;
	const char *mnt_opts;	/* extra /proc/mounts options, or "" */
	struct mount *mnt_next; /* global list in mount order */
};

/* The global list of mounts, root first (immutable after vfs_init). */
extern struct mount *mount_list;

struct mount *mntget(struct mount *m);
void mntput(struct mount *m);
/* Attach sb's root at mountpoint (a directory of parent). parent NULL
 * creates the root mount. */
struct mount *vfs_mount(struct mount *parent, struct dentry *mountpoint,
			struct super_block *sb, unsigned flags);
/* The mount attached at (parent, d), or NULL. */
struct mount *lookup_mnt(struct mount *parent, struct dentry *d);
static inline bool mnt_readonly(const struct mount *m)
{
	return (m->mnt_flags & MNT_READONLY) ||
	       (m->mnt_sb->s_flags & SB_RDONLY);
}

/* ---- Synthetic file systems (procfs) ----
 *
 * Inodes whose content is computed by callbacks. They live on a super
 * block from sb_alloc() and are returned with one reference. priv is
 * passed to every callback and released with release (may be NULL) when
 * the inode goes away. Entries found by a synthetic directory's lookup are
 * never cached: each path walk calls lookup again, so /proc/PID vanishes
 * as soon as the callback stops returning it. */

/* Emit one entry of a synthetic directory listing; returns nonzero when
 * the caller's buffer is full (stop iterating). */
typedef int (*synth_emit_t)(void *ctx, const char *name, uint64_t ino,
			    unsigned char dtype);

struct synth_dir_ops {
	/* Find name beyond the static entries: store a new inode reference
	 * in *out, or return -ENOENT. */
	int (*lookup)(struct task *t, void *priv, const char *name,
		      struct inode **out);
	/* List the dynamic entries starting at index pos (0 is the first
	 * dynamic entry); call emit for each until it returns nonzero.
	 * Returns the number of entries emitted before stopping. */
	int (*iterate)(struct task *t, void *priv, int64_t pos,
		       synth_emit_t emit, void *ctx);
};

struct synth_file_ops {
	/* Generate the whole content into a malloc'd *buf of *len bytes, at
	 * open time: readers see a snapshot, like seq_file. */
	int (*show)(struct task *t, void *priv, char **buf, size_t *len);
	/* Accept a write of len bytes (NULL: the file is read-only and
	 * write-opens fail with EACCES by its mode). Returns len or a
	 * negative errno. */
	long (*store)(struct task *t, void *priv, const char *buf, size_t len);
};

/* Compute a symlink's target into buf (size bytes, no NUL needed);
 * returns its length or a negative errno. */
typedef int (*synth_link_t)(struct task *t, void *priv, char *buf, size_t size);

/* mode is the permission bits; the file type is implied. ops may be NULL
 * for a directory with only static entries. */
struct inode *synth_dir_create(struct super_block *sb, mode_t mode,
			       const struct synth_dir_ops *ops, void *priv,
			       void (*release)(void *priv));
struct inode *synth_file_create(struct super_block *sb, mode_t mode,
				const struct synth_file_ops *ops, void *priv,
				void (*release)(void *priv));
struct inode *synth_symlink_create(struct super_block *sb, synth_link_t target,
				   void *priv, void (*release)(void *priv));
/* Add a static entry (listed before the dynamic ones, in insertion
 * order); takes over the child reference. Returns -EEXIST for a
 * duplicate name. Not thread-safe against lookups of the same directory:
 * fill a directory before publishing it. */
int synth_dir_add(struct inode *dir, const char *name, struct inode *child);
/* The priv pointer of a synthetic inode. */
void *synth_priv(struct inode *inode);

/* ---- Provided by other parts of the sentry ---- */

/* Open a FIFO inode (helper 5's pipe code): blocks per fifo(7) and sets
 * f_op. Uses inode->i_pipe for the shared pipe. */
/* Open a FIFO or character device inode (shared by every file system);
 * other special files fail with ENXIO. */
int open_special_inode(struct task *t, struct inode *inode, struct file *f);
int fifo_open(struct task *t, struct inode *inode, struct file *f);
/* The file operations of character device rdev, or NULL (ENXIO). */
const struct file_operations *chrdev_fops(dev_t rdev);

/* The gofer connection of the sandbox (set by vfs_init). */
struct gofer_conn *vfs_gofer(void);

#endif
