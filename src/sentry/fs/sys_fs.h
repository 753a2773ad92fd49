/* Helpers shared by the path-based syscall handlers (sys_*.c). */
#ifndef MOAT_SENTRY_FS_SYS_FS_H
#define MOAT_SENTRY_FS_SYS_FS_H

#include <stdint.h>

#include "sentry/fs/namei.h"
#include "sentry/fs/vfs_internal.h"

/* The kernel's O_LARGEFILE, which glibc defines as 0 on x86-64 but Linux
 * adds to every file opened by a 64-bit process (F_GETFL shows it). */
#define KERNEL_O_LARGEFILE 0100000

/* The file at fd with a new reference, or NULL. */
struct file *fs_fget(struct task *t, int fd);
/* Like fget, but O_PATH files count as not open (EBADF for I/O). */
struct file *fs_fget_io(struct task *t, int fd);

/* Copy a guest path; allow_empty for AT_EMPTY_PATH. */
long user_path(struct task *t, uint64_t uptr, char **out, bool allow_empty);
/* Resolve a guest path argument (user_path + filename_lookup). */
int user_path_at(struct task *t, int dirfd, uint64_t uptr, unsigned flags,
		 struct path *out);

/* Linux's may_delete: may the task remove victim (a dentry in the
 * directory at dir)? isdir is true for rmdir and for
 * renaming a directory. namespace_lock held. */
int may_delete(struct task *t, const struct path *dir, struct dentry *victim,
	       bool isdir);
/* Is a mount attached at d (rmdir and rename fail with EBUSY)? */
bool is_mountpoint(struct dentry *d);

/* Change attributes through the inode's setattr (EPERM without one). */
int notify_change(struct inode *inode, const struct iattr *attr);
/* Is the task the owner of the inode, or root? */
bool inode_owner_or_capable(struct task *t, struct inode *inode);

/* Set a directory path as the task's working directory or root. */
int set_fs_pwd(struct task *t, struct path *p);

#endif
