/* mkdir, mknod, symlink and link: the syscalls that add a name. */
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

/* Linux's filename_create: resolve the parent of name and return a
 * negative dentry for the last component, with namespace_lock held. The
 * error order (EEXIST, ENOENT for a trailing slash, EROFS, EACCES)
 * follows Linux. On error nothing is held. */
static int create_prepare(struct task *t, int dirfd, const char *name,
			  unsigned lookup_flags, bool is_dir,
			  struct nameidata *nd, struct dentry **out)
{
	struct dentry *d;
	int err = filename_parentat(t, dirfd, name, lookup_flags, nd);

	if (err < 0)
		return err;
	if (nd->last_type != LAST_NORM) {
		err = -EEXIST;
		goto out_release;
	}
	pthread_mutex_lock(&namespace_lock);
	err = lookup_one_locked(t, nd->path.dentry, nd->last, strlen(nd->last),
				&d);
	if (err < 0)
		goto out_unlock;
	if (!d_is_negative(d))
		err = -EEXIST;
	else if (nd->trailing_slash && !is_dir)
		err = -ENOENT;
	else if (mnt_readonly(nd->path.mnt))
		err = -EROFS;
	else
		err = may_create(t, &nd->path);
	if (err < 0) {
		dput(d);
		goto out_unlock;
	}
	*out = d;
	return 0;

out_unlock:
	pthread_mutex_unlock(&namespace_lock);
out_release:
	nd_release(nd);
	return err;
}

/* Finish what create_prepare started: cache the new dentry, drop the
 * lock and references. */
static void create_finish(struct nameidata *nd, struct dentry *d, int err)
{
	if (err == 0 && (d->d_flags & DCACHE_UNHASHED))
		d_add(d);
	pthread_mutex_unlock(&namespace_lock);
	dput(d);
	nd_release(nd);
}

int vfs_mkdirat(struct task *t, int dirfd, const char *name, mode_t mode)
{
	struct nameidata nd;
	struct dentry *d;
	int err = create_prepare(t, dirfd, name, 0, true, &nd, &d);
	if (err < 0)
		return err;

	struct inode *dir = nd.path.dentry->d_inode;
	struct inode_create ic;
	init_create(t, dir, S_IFDIR | (mode & 01777 & ~task_umask(t)), &ic);
	err = dir->i_op->mkdir ? dir->i_op->mkdir(dir, d, &ic) : -EPERM;
	create_finish(&nd, d, err);
	return err;
}

static long do_mkdirat(struct task *t, int dirfd, uint64_t upath, mode_t mode)
{
	_cleanup_free_ char *name = NULL;
	long err = user_path(t, upath, &name, false);

	return err < 0 ? err : vfs_mkdirat(t, dirfd, name, mode);
}

SYSCALL_DEFINE(__NR_mkdir, mkdir)
{
	return do_mkdirat(t, AT_FDCWD, args[0], (mode_t)args[1]);
}

SYSCALL_DEFINE(__NR_mkdirat, mkdirat)
{
	return do_mkdirat(t, (int)args[0], args[1], (mode_t)args[2]);
}

int vfs_mknodat(struct task *t, int dirfd, const char *name, mode_t mode,
		dev_t dev)
{
	return vfs_mknodat_path(t, dirfd, name, mode, dev, NULL);
}

int vfs_mknodat_path(struct task *t, int dirfd, const char *name, mode_t mode,
		     dev_t dev, struct path *out)
{
	struct nameidata nd;
	struct dentry *d;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	int err = create_prepare(t, dirfd, name, 0, false, &nd, &d);
	if (err < 0)
		return err;

	struct inode *dir = nd.path.dentry->d_inode;
	struct inode_create ic;
	mode_t type = mode & S_IFMT;
	init_create(t, dir, type | (mode & 07777 & ~task_umask(t)), &ic);
	if (type == S_IFCHR || type == S_IFBLK) {
		/* NOTE: device nodes are never created, even by root: the
		 * sandbox provides only its own /dev. */
		err = -EPERM;
	} else if (type == S_IFREG) {
		err = dir->i_op->create ? dir->i_op->create(dir, d, &ic)
					: -EACCES;
	} else {
		err = dir->i_op->mknod ? dir->i_op->mknod(dir, d, &ic) : -EPERM;
	}
	if (err == 0 && out) {
		out->mnt = mntget(nd.path.mnt);
		out->dentry = dget(d);
	}
	create_finish(&nd, d, err);
	return err;
}

static long do_mknodat(struct task *t, int dirfd, uint64_t upath, mode_t mode,
		       dev_t dev)
{
	_cleanup_free_ char *name = NULL;
	long err = user_path(t, upath, &name, false);

	return err < 0 ? err : vfs_mknodat(t, dirfd, name, mode, dev);
}

SYSCALL_DEFINE(__NR_mknod, mknod)
{
	return do_mknodat(t, AT_FDCWD, args[0], (mode_t)args[1],
			  (dev_t)args[2]);
}

SYSCALL_DEFINE(__NR_mknodat, mknodat)
{
	return do_mknodat(t, (int)args[0], args[1], (mode_t)args[2],
			  (dev_t)args[3]);
}

int vfs_symlinkat(struct task *t, const char *target, int dirfd,
		  const char *name)
{
	struct nameidata nd;
	struct dentry *d;
	int err = create_prepare(t, dirfd, name, 0, false, &nd, &d);
	if (err < 0)
		return err;

	struct inode *dir = nd.path.dentry->d_inode;
	struct inode_create ic;
	init_create(t, dir, S_IFLNK | 0777, &ic);
	err = dir->i_op->symlink ? dir->i_op->symlink(dir, d, target, &ic)
				 : -EPERM;
	create_finish(&nd, d, err);
	return err;
}

static long do_symlinkat(struct task *t, uint64_t utarget, int dirfd,
			 uint64_t upath)
{
	_cleanup_free_ char *target = NULL;
	_cleanup_free_ char *name = NULL;
	long err = user_path(t, utarget, &target, false);

	if (err < 0)
		return err;
	err = user_path(t, upath, &name, false);
	return err < 0 ? err : vfs_symlinkat(t, target, dirfd, name);
}

SYSCALL_DEFINE(__NR_symlink, symlink)
{
	return do_symlinkat(t, args[0], AT_FDCWD, args[1]);
}

SYSCALL_DEFINE(__NR_symlinkat, symlinkat)
{
	return do_symlinkat(t, args[0], (int)args[1], args[2]);
}

/* fs.protected_hardlinks (on by default in Debian): a user may link only
 * files they own, or regular files they can read and write that are not
 * setuid or setgid-executable. */
static int may_linkat(struct task *t, struct inode *inode)
{
	if (inode_owner_or_capable(t, inode))
		return 0;
	if (S_ISREG(inode->mode) && !(inode->mode & S_ISUID) &&
	    (inode->mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP) &&
	    inode_permission(t, inode, MAY_READ | MAY_WRITE) == 0)
		return 0;
	return -EPERM;
}

int vfs_linkat(struct task *t, int olddfd, const char *oldname, int newdfd,
	       const char *newname, int flags)
{
	struct path old;
	struct nameidata nd;
	struct dentry *d;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	unsigned lf = 0;
	if (flags & AT_SYMLINK_FOLLOW)
		lf |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH) {
		/* Linking an open file by FD needs CAP_DAC_READ_SEARCH. */
		if (!capable(t))
			return -ENOENT;
		lf |= LOOKUP_EMPTY;
	}
	int err = filename_lookup(t, olddfd, oldname, lf, &old);
	if (err < 0)
		return err;
	err = create_prepare(t, newdfd, newname, 0, false, &nd, &d);
	if (err < 0)
		goto out_old;

	struct inode *dir = nd.path.dentry->d_inode;
	struct inode *inode = old.dentry->d_inode;
	if (nd.path.mnt != old.mnt)
		err = -EXDEV;
	else
		err = may_linkat(t, inode);
	if (err == 0 && S_ISDIR(inode->mode))
		err = -EPERM;
	else if (err == 0 && inode->nlink == 0)
		err = -ENOENT;
	else if (err == 0)
		err = dir->i_op->link ? dir->i_op->link(old.dentry, dir, d)
				      : -EPERM;
	create_finish(&nd, d, err);
out_old:
	path_put(&old);
	return err;
}

static long do_linkat(struct task *t, int olddfd, uint64_t uold, int newdfd,
		      uint64_t unew, int flags)
{
	_cleanup_free_ char *oldname = NULL;
	_cleanup_free_ char *newname = NULL;
	long err = user_path(t, uold, &oldname, flags & AT_EMPTY_PATH);

	if (err < 0)
		return err;
	err = user_path(t, unew, &newname, false);
	if (err < 0)
		return err;
	return vfs_linkat(t, olddfd, oldname, newdfd, newname, flags);
}

SYSCALL_DEFINE(__NR_link, link)
{
	return do_linkat(t, AT_FDCWD, args[0], AT_FDCWD, args[1], 0);
}

SYSCALL_DEFINE(__NR_linkat, linkat)
{
	return do_linkat(t, (int)args[0], args[1], (int)args[2], args[3],
			 (int)args[4]);
}
