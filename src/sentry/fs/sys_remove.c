/* rmdir, unlink, unlinkat and readlink. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/fs/sys_fs.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

static int do_rmdir(struct task *t, int dirfd, const char *name)
{
	struct nameidata nd;
	struct dentry *d;
	int err = filename_parentat(t, dirfd, name, 0, &nd);
	if (err < 0)
		return err;
	switch (nd.last_type) {
	case LAST_DOTDOT:
		err = -ENOTEMPTY;
		goto out;
	case LAST_DOT:
		err = -EINVAL;
		goto out;
	case LAST_ROOT:
		err = -EBUSY;
		goto out;
	case LAST_NORM:
		break;
	}
	if (mnt_readonly(nd.path.mnt)) {
		err = -EROFS;
		goto out;
	}

	pthread_mutex_lock(&namespace_lock);
	err =
	    lookup_one_locked(t, nd.path.dentry, nd.last, strlen(nd.last), &d);
	if (err < 0)
		goto out_unlock;
	struct inode *dir = nd.path.dentry->d_inode;
	err = may_delete(t, &nd.path, d, true);
	if (err == 0 && is_mountpoint(d))
		err = -EBUSY;
	if (err == 0)
		err = dir->i_op->rmdir ? dir->i_op->rmdir(dir, d) : -EPERM;
	dput(d);
out_unlock:
	pthread_mutex_unlock(&namespace_lock);
out:
	nd_release(&nd);
	return err;
}

static int do_unlink(struct task *t, int dirfd, const char *name)
{
	struct nameidata nd;
	struct dentry *d;
	int err = filename_parentat(t, dirfd, name, 0, &nd);
	if (err < 0)
		return err;
	if (nd.last_type != LAST_NORM) {
		err = -EISDIR;
		goto out;
	}
	if (mnt_readonly(nd.path.mnt)) {
		err = -EROFS;
		goto out;
	}

	pthread_mutex_lock(&namespace_lock);
	err =
	    lookup_one_locked(t, nd.path.dentry, nd.last, strlen(nd.last), &d);
	if (err < 0)
		goto out_unlock;
	struct inode *inode = d->d_inode;
	struct inode *dir = nd.path.dentry->d_inode;
	if (nd.trailing_slash || !inode)
		err = !inode		     ? -ENOENT
		      : S_ISDIR(inode->mode) ? -EISDIR
					     : -ENOTDIR;
	else
		err = may_delete(t, &nd.path, d, false);
	if (err == 0 && is_mountpoint(d))
		err = -EBUSY;
	if (err == 0)
		err = dir->i_op->unlink ? dir->i_op->unlink(dir, d) : -EPERM;
	dput(d);
out_unlock:
	pthread_mutex_unlock(&namespace_lock);
out:
	nd_release(&nd);
	return err;
}

int vfs_unlinkat(struct task *t, int dirfd, const char *name, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	if (flags & AT_REMOVEDIR)
		return do_rmdir(t, dirfd, name);
	return do_unlink(t, dirfd, name);
}

static long do_unlinkat(struct task *t, int dirfd, uint64_t upath, int flags)
{
	_cleanup_free_ char *name = NULL;
	long err;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	err = user_path(t, upath, &name, false);
	return err < 0 ? err : vfs_unlinkat(t, dirfd, name, flags);
}

SYSCALL_DEFINE(__NR_rmdir, rmdir)
{
	return do_unlinkat(t, AT_FDCWD, args[0], AT_REMOVEDIR);
}

SYSCALL_DEFINE(__NR_unlink, unlink)
{
	return do_unlinkat(t, AT_FDCWD, args[0], 0);
}

SYSCALL_DEFINE(__NR_unlinkat, unlinkat)
{
	return do_unlinkat(t, (int)args[0], args[1], (int)args[2]);
}

static long do_readlinkat(struct task *t, int dirfd, uint64_t upath,
			  uint64_t ubuf, int bufsiz)
{
	struct path p;

	if (bufsiz <= 0)
		return -EINVAL;
	int err = user_path_at(t, dirfd, upath, LOOKUP_EMPTY, &p);
	if (err < 0)
		return err;

	struct inode *inode = p.dentry->d_inode;
	_cleanup_free_ char *buf = xmalloc(PATH_MAX);
	int len = -EINVAL;
	if (S_ISLNK(inode->mode) && inode->i_op && inode->i_op->readlink)
		len = inode->i_op->readlink(t, inode, buf, PATH_MAX);
	path_put(&p);
	if (len < 0)
		return len;
	len = MIN(len, bufsiz);
	err = copy_to_user(t, ubuf, buf, len);
	return err < 0 ? err : len;
}

SYSCALL_DEFINE(__NR_readlink, readlink)
{
	return do_readlinkat(t, AT_FDCWD, args[0], args[1], (int)args[2]);
}

SYSCALL_DEFINE(__NR_readlinkat, readlinkat)
{
	return do_readlinkat(t, (int)args[0], args[1], args[2], (int)args[3]);
}
