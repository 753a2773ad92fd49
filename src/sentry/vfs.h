/* The sentry's virtual file system: what the rest of the sentry uses.
 *
 * Objects follow Linux: an inode is a file system object, a dentry names
 * it in its parent directory, a mount attaches a file system at a dentry,
 * a path is a (mount, dentry) pair, and a file is an open file
 * description. All are reference counted; the get and put functions are
 * thread-safe.
 *
 * The file-system internals (dentry cache, inode operations, the
 * in-memory overlay, gofer-backed mounts, procfs, devfs) live in
 * src/sentry/fs/ (see fs.h). This header is the interface for syscalls,
 * exec and mm.
 */
#ifndef MOAT_SENTRY_VFS_H
#define MOAT_SENTRY_VFS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

struct task;
struct inode;
struct dentry;
struct mount;
struct file;
struct sentry_config;

struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

/* Per-task root, working directory and umask (shared with CLONE_FS).
 * lock protects root, pwd and umask. */
struct fs_struct {
	pthread_mutex_t lock;
	int users; /* atomic */
	struct path root, pwd;
	mode_t umask;
};

struct fs_struct *fs_struct_create(const struct path *root);
struct fs_struct *fs_struct_copy(struct fs_struct *fs);
void fs_struct_put(struct fs_struct *fs);

/* Copy root or pwd with a new reference. */
void fs_struct_get_root(struct fs_struct *fs, struct path *root);
void fs_struct_get_pwd(struct fs_struct *fs, struct path *pwd);
/* Replace root or pwd, taking over the caller's reference to p. */
void fs_struct_set_root(struct fs_struct *fs, struct path *p);
void fs_struct_set_pwd(struct fs_struct *fs, struct path *p);

/* Take or drop a reference to both halves of a path (NULLs allowed). */
void path_get(const struct path *p);
void path_put(struct path *p);

/* Mount the sandbox's file systems from the configuration (root overlay,
 * volumes, /proc, /dev, /tmp, /sys) and return the root path. */
int vfs_init(const struct sentry_config *cfg, struct path *root);

/* Open path (relative to dirfd or the task's cwd) like openat(2).
 * flags are the guest's O_* flags; mode is applied with the umask. */
int vfs_open(struct task *t, int dirfd, const char *path, int flags,
	     mode_t mode, struct file **out);
/* Resolve path like the *at() syscalls; flags: AT_SYMLINK_NOFOLLOW,
 * AT_EMPTY_PATH. */
int vfs_lookup(struct task *t, int dirfd, const char *path, int flags,
	       struct path *out);
/* Open an already-resolved path. */
int vfs_open_path(struct task *t, const struct path *p, int flags,
		  struct file **out);

/* The name-changing operations with Linux's semantics and errors, for
 * paths already in sentry memory (the syscalls, and unix sockets binding
 * a name). flags and dirfd are as for the *at() syscalls. */
int vfs_mkdirat(struct task *t, int dirfd, const char *name, mode_t mode);
/* mode's type: regular (or 0), S_IFIFO or S_IFSOCK; devices fail with
 * EPERM. */
int vfs_mknodat(struct task *t, int dirfd, const char *name, mode_t mode,
		dev_t dev);
/* vfs_mknodat that also returns the new node's path (a reference), as a
 * unix socket's bind needs to attach the socket to the inode. */
int vfs_mknodat_path(struct task *t, int dirfd, const char *name, mode_t mode,
		     dev_t dev, struct path *out);
int vfs_symlinkat(struct task *t, const char *target, int dirfd,
		  const char *name);
int vfs_linkat(struct task *t, int olddfd, const char *oldname, int newdfd,
	       const char *newname, int flags);
int vfs_unlinkat(struct task *t, int dirfd, const char *name, int flags);
int vfs_renameat2(struct task *t, int olddfd, const char *oldname, int newdfd,
		  const char *newname, unsigned flags);

void file_get(struct file *f);
void file_put(struct file *f);

/* Read from a file into sentry memory at offset off (pread semantics),
 * without touching f's position. */
long vfs_pread(struct file *f, void *buf, size_t len, int64_t off);
int vfs_fstat(struct file *f, struct stat *st);
/* Permission check of the file's inode for the task: mask is MAY_*
 * (R_OK/W_OK/X_OK values). */
int vfs_permission(struct task *t, struct file *f, int mask);
/* A host FD that maps the file's contents for mmap (a gofer-donated FD or
 * the memfd of an in-memory file), with no reference transferred, or a
 * negative errno (-ENODEV for files that can't be mapped). */
int vfs_mmap_fd(struct file *f, int *hostfd, bool shared_write);
/* The absolute path of the file inside the sandbox (d_path) into buf.
 * Returns the length or -ENAMETOOLONG. */
int file_path(struct file *f, char *buf, size_t size);
/* Is the file open for reading/writing (O_ACCMODE of its flags)? */
bool file_readable(struct file *f);
bool file_writable(struct file *f);

#endif
