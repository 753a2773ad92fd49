/* access, chmod, chown and the truncate family. */
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

#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif

/* access(2) checks with the real user and group IDs unless AT_EACCESS;
 * a non-root real user has no capabilities then. */
static long do_faccessat(struct task *t, int dirfd, uint64_t upath, int mode,
			 int flags)
{
	struct path p;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	unsigned lf = 0;
	if (!(flags & AT_SYMLINK_NOFOLLOW))
		lf |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;

	struct cred cred = t->cred;
	bool cap = capable(t);
	if (!(flags & AT_EACCESS)) {
		cred.fsuid = cred.uid;
		cred.fsgid = cred.gid;
		cap = cap && cred.uid == 0;
	}

	/* The walk itself checks search permission with the real IDs too. */
	struct cred saved = t->cred;
	t->cred = cred;
	int err = user_path_at(t, dirfd, upath, lf, &p);
	t->cred = saved;
	if (err < 0)
		return err;

	struct inode *inode = p.dentry->d_inode;
	if (mode & W_OK)
		err = may_write_mount(&p, inode);
	if (err == 0 && mode)
		err = inode_permission_cred(&cred, cap, inode, mode);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE(__NR_access, access)
{
	return do_faccessat(t, AT_FDCWD, args[0], (int)args[1], 0);
}

SYSCALL_DEFINE(__NR_faccessat, faccessat)
{
	return do_faccessat(t, (int)args[0], args[1], (int)args[2], 0);
}

SYSCALL_DEFINE(__NR_faccessat2, faccessat2)
{
	return do_faccessat(t, (int)args[0], args[1], (int)args[2],
			    (int)args[3]);
}

static int chmod_common(struct task *t, const struct path *p, mode_t mode)
{
	struct inode *inode = p->dentry->d_inode;
	int err = may_write_mount(p, inode);

	if (err < 0)
		return err;
	if (!inode_owner_or_capable(t, inode))
		return -EPERM;
	mode &= 07777;
	/* A non-member cannot set the setgid bit of a file. */
	if (!S_ISDIR(inode->mode) && !in_group(&t->cred, inode->gid) &&
	    !capable(t))
		mode &= ~S_ISGID;
	struct iattr attr = {.ia_valid = ATTR_MODE, .ia_mode = mode};
	return notify_change(inode, &attr);
}

SYSCALL_DEFINE(__NR_chmod, chmod)
{
	struct path p;
	int err = user_path_at(t, AT_FDCWD, args[0], LOOKUP_FOLLOW, &p);

	if (err < 0)
		return err;
	err = chmod_common(t, &p, (mode_t)args[1]);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE(__NR_fchmodat, fchmodat)
{
	struct path p;
	int err = user_path_at(t, (int)args[0], args[1], LOOKUP_FOLLOW, &p);

	if (err < 0)
		return err;
	err = chmod_common(t, &p, (mode_t)args[2]);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE(__NR_fchmod, fchmod)
{
	struct file *f = fs_fget_io(t, (int)args[0]);

	if (!f)
		return -EBADF;
	int err =
	    f->f_path.dentry ? chmod_common(t, &f->f_path, args[1]) : -EINVAL;
	file_put(f);
	return err;
}

/* Linux's chown_ok and chgrp_ok. */
static int chown_common(struct task *t, const struct path *p, uid_t uid,
			gid_t gid)
{
	struct inode *inode = p->dentry->d_inode;
	struct iattr attr = {0};
	int err = may_write_mount(p, inode);

	if (err < 0)
		return err;
	if (uid != (uid_t)-1) {
		if (!capable(t) &&
		    !(uid == inode->uid && t->cred.fsuid == inode->uid))
			return -EPERM;
		attr.ia_valid |= ATTR_UID;
		attr.ia_uid = uid;
	}
	if (gid != (gid_t)-1) {
		if (!capable(t) &&
		    !(t->cred.fsuid == inode->uid &&
		      (gid == inode->gid || in_group(&t->cred, gid))))
			return -EPERM;
		attr.ia_valid |= ATTR_GID;
		attr.ia_gid = gid;
	}
	/* chown clears setuid, and setgid when group-executable, on every
	 * non-directory, even for root. */
	mode_t mode = inode->mode;
	if (!S_ISDIR(mode)) {
		mode_t kill = 0;
		if (mode & S_ISUID)
			kill |= S_ISUID;
		if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
			kill |= S_ISGID;
		if (kill) {
			attr.ia_valid |= ATTR_MODE;
			attr.ia_mode = mode & 07777 & ~kill;
		}
	}
	if (!attr.ia_valid) {
		struct iattr touch = {.ia_valid = 0};
		return notify_change(inode, &touch);
	}
	return notify_change(inode, &attr);
}

static long do_fchownat(struct task *t, int dirfd, uint64_t upath, uid_t uid,
			gid_t gid, int flags)
{
	struct path p;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	unsigned lf = 0;
	if (!(flags & AT_SYMLINK_NOFOLLOW))
		lf |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	int err = user_path_at(t, dirfd, upath, lf, &p);
	if (err < 0)
		return err;
	err = chown_common(t, &p, uid, gid);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE(__NR_chown, chown)
{
	return do_fchownat(t, AT_FDCWD, args[0], args[1], args[2], 0);
}

SYSCALL_DEFINE(__NR_lchown, lchown)
{
	return do_fchownat(t, AT_FDCWD, args[0], args[1], args[2],
			   AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE(__NR_fchownat, fchownat)
{
	return do_fchownat(t, (int)args[0], args[1], args[2], args[3],
			   (int)args[4]);
}

SYSCALL_DEFINE(__NR_fchown, fchown)
{
	struct file *f = fs_fget_io(t, (int)args[0]);

	if (!f)
		return -EBADF;
	int err = f->f_path.dentry
		      ? chown_common(t, &f->f_path, args[1], args[2])
		      : -EINVAL;
	file_put(f);
	return err;
}

SYSCALL_DEFINE(__NR_truncate, truncate)
{
	int64_t len = (int64_t)args[1];
	struct path p;

	if (len < 0)
		return -EINVAL;
	int err = user_path_at(t, AT_FDCWD, args[0], LOOKUP_FOLLOW, &p);
	if (err < 0)
		return err;
	struct inode *inode = p.dentry->d_inode;
	if (S_ISDIR(inode->mode))
		err = -EISDIR;
	else if (!S_ISREG(inode->mode))
		err = -EINVAL;
	else
		err = path_permission(t, &p, MAY_WRITE);
	if (err == 0) {
		struct iattr attr = {.ia_valid = ATTR_SIZE, .ia_size = len};
		err = notify_change(inode, &attr);
	}
	path_put(&p);
	return err;
}

SYSCALL_DEFINE(__NR_ftruncate, ftruncate)
{
	int64_t len = (int64_t)args[1];

	if (len < 0)
		return -EINVAL;
	struct file *f = fs_fget_io(t, (int)args[0]);
	if (!f)
		return -EBADF;
	int err;
	if (!f->f_inode || !S_ISREG(f->f_inode->mode) || !file_writable(f))
		err = -EINVAL;
	else if (!f->f_op->truncate)
		err = -EINVAL;
	else
		err = f->f_op->truncate(f, len);
	file_put(f);
	return err;
}

SYSCALL_DEFINE(__NR_fallocate, fallocate)
{
	int mode = (int)args[1];
	int64_t off = (int64_t)args[2], len = (int64_t)args[3];

	if (off < 0 || len <= 0)
		return -EINVAL;
	struct file *f = fs_fget_io(t, (int)args[0]);
	if (!f)
		return -EBADF;
	int err;
	struct inode *inode = f->f_inode;
	if (!file_writable(f))
		err = -EBADF;
	else if (inode && S_ISDIR(inode->mode))
		err = -EISDIR;
	else if (!inode || S_ISFIFO(inode->mode))
		err = -ESPIPE;
	else if (!S_ISREG(inode->mode) || !f->f_op->fallocate)
		err = -ENODEV;
	else
		err = f->f_op->fallocate(f, mode, off, len);
	file_put(f);
	return err;
}
