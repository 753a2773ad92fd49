/* rename, renameat, renameat2. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/fs/sys_fs.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

/* Linux's vfs_rename checks once both dentries are known (namespace_lock
 * held). */
static int may_rename(struct task *t, struct nameidata *ndo, struct dentry *old,
		      struct nameidata *ndn, struct dentry *newd,
		      unsigned flags)
{
	struct inode *source = old->d_inode;
	struct inode *target = newd->d_inode;
	bool is_dir = S_ISDIR(source->mode);
	bool new_is_dir = target && S_ISDIR(target->mode);
	int err = may_delete(t, &ndo->path, old, is_dir);

	if (err < 0)
		return err;
	if (!target)
		err = may_create(t, &ndn->path);
	else
		err =
		    may_delete(t, &ndn->path, newd,
			       (flags & RENAME_EXCHANGE) ? new_is_dir : is_dir);
	if (err < 0)
		return err;

	struct inode *olddir = ndo->path.dentry->d_inode;
	if (!olddir->i_op->rename)
		return -EPERM;
	/* Moving a directory rewrites its "..", which needs write access
	 * to the directory itself. */
	if (ndo->path.dentry != ndn->path.dentry) {
		if (is_dir) {
			err = inode_permission(t, source, MAY_WRITE);
			if (err < 0)
				return err;
		}
		if ((flags & RENAME_EXCHANGE) && new_is_dir) {
			err = inode_permission(t, target, MAY_WRITE);
			if (err < 0)
				return err;
		}
	}
	if (is_mountpoint(old) || is_mountpoint(newd))
		return -EBUSY;
	return 0;
}

/* Look up both names and rename (namespace_lock held). */
static int rename_locked(struct task *t, struct nameidata *ndo,
			 struct nameidata *ndn, unsigned flags)
{
	struct dentry *old, *newd;
	int err = lookup_one_locked(t, ndo->path.dentry, ndo->last,
				    strlen(ndo->last), &old);

	if (err < 0)
		return err;
	if (d_is_negative(old)) {
		dput(old);
		return -ENOENT;
	}
	err = lookup_one_locked(t, ndn->path.dentry, ndn->last,
				strlen(ndn->last), &newd);
	if (err < 0) {
		dput(old);
		return err;
	}

	struct inode *source = old->d_inode;
	struct inode *target = newd->d_inode;
	if ((flags & RENAME_EXCHANGE) && !target)
		err = -ENOENT;
	else if ((flags & RENAME_NOREPLACE) && target)
		err = -EEXIST;
	else if (!S_ISDIR(source->mode) &&
		 (ndo->trailing_slash ||
		  (!(flags & RENAME_EXCHANGE) && ndn->trailing_slash)))
		err = -ENOTDIR;
	else if ((flags & RENAME_EXCHANGE) && !S_ISDIR(target->mode) &&
		 ndn->trailing_slash)
		err = -ENOTDIR;
	else if (d_ancestor(old, ndn->path.dentry))
		err = -EINVAL; /* into its own subdirectory */
	else if (target && d_ancestor(newd, ndo->path.dentry))
		err = (flags & RENAME_EXCHANGE) ? -EINVAL : -ENOTEMPTY;
	else if (source == target)
		err = 0; /* the same file: nothing to do */
	else {
		err = may_rename(t, ndo, old, ndn, newd, flags);
		if (err == 0) {
			struct inode *olddir = ndo->path.dentry->d_inode;
			struct inode *newdir = ndn->path.dentry->d_inode;
			err = olddir->i_op->rename(olddir, old, newdir, newd,
						   flags);
		}
	}
	dput(old);
	dput(newd);
	return err;
}

int vfs_renameat2(struct task *t, int olddfd, const char *oldname, int newdfd,
		  const char *newname, unsigned flags)
{
	struct nameidata ndo, ndn;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) &&
	    (flags & RENAME_EXCHANGE))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL; /* NOTE: overlayfs-only; not supported */

	int err = filename_parentat(t, olddfd, oldname, 0, &ndo);
	if (err < 0)
		return err;
	err = filename_parentat(t, newdfd, newname, 0, &ndn);
	if (err < 0)
		goto out_old;

	if (ndo.path.mnt != ndn.path.mnt)
		err = -EXDEV;
	else if (ndo.last_type != LAST_NORM)
		err = -EBUSY;
	else if (ndn.last_type != LAST_NORM)
		err = (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	else if (mnt_readonly(ndo.path.mnt))
		err = -EROFS;
	else {
		pthread_mutex_lock(&namespace_lock);
		err = rename_locked(t, &ndo, &ndn, flags);
		pthread_mutex_unlock(&namespace_lock);
	}
	nd_release(&ndn);
out_old:
	nd_release(&ndo);
	return err;
}

static long do_renameat2(struct task *t, int olddfd, uint64_t uold, int newdfd,
			 uint64_t unew, unsigned flags)
{
	_cleanup_free_ char *oldname = NULL;
	_cleanup_free_ char *newname = NULL;
	long err = user_path(t, uold, &oldname, false);

	if (err < 0)
		return err;
	err = user_path(t, unew, &newname, false);
	if (err < 0)
		return err;
	return vfs_renameat2(t, olddfd, oldname, newdfd, newname, flags);
}

SYSCALL_DEFINE(__NR_rename, rename)
{
	return do_renameat2(t, AT_FDCWD, args[0], AT_FDCWD, args[1], 0);
}

SYSCALL_DEFINE(__NR_renameat, renameat)
{
	return do_renameat2(t, (int)args[0], args[1], (int)args[2], args[3], 0);
}

SYSCALL_DEFINE(__NR_renameat2, renameat2)
{
	return do_renameat2(t, (int)args[0], args[1], (int)args[2], args[3],
			    (unsigned)args[4]);
}
