/* Shared pieces of the path-based syscalls. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/fs/sys_fs.h"
#include "sentry/mm.h"
#include "sentry/task.h"

struct file *fs_fget(struct task *t, int fd)
{
	if (fd < 0)
		return NULL;
	return fd_get(t->files, fd);
}

struct file *fs_fget_io(struct task *t, int fd)
{
	struct file *f = fs_fget(t, fd);

	if (f && (f->f_flags & O_PATH)) {
		file_put(f);
		return NULL;
	}
	return f;
}

long user_path(struct task *t, uint64_t uptr, char **out, bool allow_empty)
{
	return getname(t, uptr, out, allow_empty);
}

int user_path_at(struct task *t, int dirfd, uint64_t uptr, unsigned flags,
		 struct path *out)
{
	_cleanup_free_ char *name = NULL;
	long err = user_path(t, uptr, &name, flags & LOOKUP_EMPTY);

	if (err < 0)
		return err;
	return filename_lookup(t, dirfd, name, flags, out);
}

bool inode_owner_or_capable(struct task *t, struct inode *inode)
{
	return t->cred.fsuid == inode->uid || capable(t);
}

/* The sticky bit: only the file's owner, the directory's owner or root
 * may remove or rename a name in a sticky directory. */
static bool check_sticky(struct task *t, struct inode *dir, struct inode *inode)
{
	if (!(dir->mode & S_ISVTX))
		return false;
	if (inode->uid == t->cred.fsuid || dir->uid == t->cred.fsuid)
		return false;
	return !capable(t);
}

bool is_mountpoint(struct dentry *d)
{
	return d->d_mounted > 0;
}

int may_delete(struct task *t, const struct path *dir, struct dentry *victim,
	       bool isdir)
{
	struct inode *dinode = dir->dentry->d_inode;
	struct inode *inode = victim->d_inode;

	if (!inode)
		return -ENOENT;
	int err = path_permission(t, dir, MAY_WRITE | MAY_EXEC);
	if (err < 0)
		return err;
	if (check_sticky(t, dinode, inode))
		return -EPERM;
	if (isdir) {
		if (!S_ISDIR(inode->mode))
			return -ENOTDIR;
		if (d_is_root(victim))
			return -EBUSY;
	} else if (S_ISDIR(inode->mode)) {
		return -EISDIR;
	}
	if (dinode->nlink == 0)
		return -ENOENT;
	return 0;
}

int notify_change(struct inode *inode, const struct iattr *attr)
{
	if (!inode->i_op || !inode->i_op->setattr)
		return -EPERM;
	return inode->i_op->setattr(inode, attr);
}

int set_fs_pwd(struct task *t, struct path *p)
{
	fs_struct_set_pwd(t->fs, p);
	return 0;
}
