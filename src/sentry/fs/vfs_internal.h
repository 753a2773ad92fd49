/* Helpers shared by the VFS's own files (open, namei, the syscalls). */
#ifndef MOAT_SENTRY_FS_VFS_INTERNAL_H
#define MOAT_SENTRY_FS_VFS_INTERNAL_H

#include "sentry/fs/fs.h"

/* EROFS if p is on a read-only mount and inode is a file, directory or
 * symlink. */
int may_write_mount(const struct path *p, struct inode *inode);
/* inode_permission plus the read-only mount check for MAY_WRITE. */
int path_permission(struct task *t, const struct path *p, int mask);
/* May the task create a name in the directory at parent? */
int may_create(struct task *t, const struct path *parent);
/* Fill ic with mode and the task's owner (setgid directories apply). */
void init_create(struct task *t, struct inode *dir, mode_t mode,
		 struct inode_create *ic);
mode_t task_umask(struct task *t);
/* Open like vfs_open with extra LOOKUP_* restrictions (openat2). */
int vfs_open_resolve(struct task *t, int dirfd, const char *name, int flags,
		     mode_t mode, unsigned lookup_flags, struct file **out);
/* Write the path of p as seen from root into buf (d_path). A path outside
 * root is written from the sandbox's root. Returns the length or
 * -ENAMETOOLONG. */
int d_path(const struct path *p, const struct path *root, char *buf,
	   size_t size);

#endif
