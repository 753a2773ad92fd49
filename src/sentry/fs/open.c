/* open(2) and friends: resolving, creating and opening files. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "sentry/fs/namei.h"
#include "sentry/fs/vfs_internal.h"
#include "sentry/task.h"

/* O_PATH files support no I/O: every operation is missing. */
static const struct file_operations path_fops;

/* The permission an open needs: MAY_* bits for the access mode. */
static int open_acc_mode(int flags)
{
	int acc = 0;

	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		acc = MAY_READ;
		break;
	case O_WRONLY:
		acc = MAY_WRITE;
		break;
	default: /* O_RDWR, and 3 (Linux: both, for ioctl-only opens) */
		acc = MAY_READ | MAY_WRITE;
		break;
	}
	if (flags & O_TRUNC)
		acc |= MAY_WRITE;
	return acc;
}

/* Return EROFS for a file, directory or symlink on a read-only mount.
 * Callers check this before EACCES, as Linux's inode_permission does. */
int may_write_mount(const struct path *p, struct inode *inode)
{
	mode_t type = inode->mode & S_IFMT;

	if (mnt_readonly(p->mnt) &&
	    (type == S_IFREG || type == S_IFDIR || type == S_IFLNK))
		return -EROFS;
	return 0;
}

int path_permission(struct task *t, const struct path *p, int mask)
{
	struct inode *inode = p->dentry->d_inode;

	if (mask & MAY_WRITE) {
		int err = may_write_mount(p, inode);
		if (err < 0)
			return err;
	}
	return inode_permission(t, inode, mask);
}

/* Linux's may_open: file-type rules, then permissions. */
static int may_open(struct task *t, const struct path *p, int flags)
{
	struct inode *inode = p->dentry->d_inode;
	int acc = open_acc_mode(flags);

	switch (inode->mode & S_IFMT) {
	case S_IFLNK:
		return -ELOOP;
	case S_IFDIR:
		if ((flags & O_ACCMODE) != O_RDONLY)
			return -EISDIR;
		acc &= ~MAY_WRITE; /* O_TRUNC is ignored on directories */
		break;
	case S_IFIFO:
	case S_IFSOCK:
		acc = open_acc_mode(flags & ~O_TRUNC);
		break;
	case S_IFREG:
		break;
	default:
		break;
	}
	int err = path_permission(t, p, acc);
	if (err < 0)
		return err;
	if ((flags & O_NOATIME) && t->cred.fsuid != inode->uid && !capable(t))
		return -EPERM;
	return 0;
}

static int do_open_path(struct task *t, const struct path *p, int flags,
			bool created, struct file **out)
{
	struct inode *inode = p->dentry->d_inode;
	int err;

	if (flags & O_PATH) {
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	} else if (!created) {
		err = may_open(t, p, flags);
		if (err < 0)
			return err;
	}

	unsigned fflags =
	    flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	struct file *f = file_alloc(NULL, fflags, -1, NULL);
	f->f_path = *p;
	path_get(&f->f_path);
	f->f_inode = inode_get(inode);

	if (flags & O_PATH) {
		f->f_op = &path_fops;
		*out = f;
		return 0;
	}

	if (inode->i_op && inode->i_op->open)
		err = inode->i_op->open(t, inode, f);
	else if (inode->i_fop) {
		f->f_op = inode->i_fop;
		err = 0;
	} else {
		err = -ENXIO;
	}
	if (err < 0)
		goto fail;

	if ((flags & O_TRUNC) && !created && S_ISREG(inode->mode)) {
		struct iattr attr = {.ia_valid = ATTR_SIZE, .ia_size = 0};
		err = inode->i_op->setattr ? inode->i_op->setattr(inode, &attr)
					   : -EPERM;
		if (err < 0)
			goto fail;
	}
	*out = f;
	return 0;
fail:
	file_put(f);
	return err;
}

int vfs_open_path(struct task *t, const struct path *p, int flags,
		  struct file **out)
{
	return do_open_path(t, p, flags, false, out);
}

/* The owner and mode of a new inode in dir: the task's fsuid, and the
 * directory's group if it is setgid (directories inherit the bit), else
 * the task's fsgid. */
void init_create(struct task *t, struct inode *dir, mode_t mode,
		 struct inode_create *ic)
{
	ic->mode = mode;
	ic->uid = t->cred.fsuid;
	ic->gid = t->cred.fsgid;
	ic->rdev = 0;
	if (dir->mode & S_ISGID) {
		ic->gid = dir->gid;
		if (S_ISDIR(mode))
			ic->mode |= S_ISGID;
	}
	/* A non-member creating a setgid file loses the bit. */
	if (!S_ISDIR(mode) && (ic->mode & S_ISGID) &&
	    !in_group(&t->cred, ic->gid) && !capable(t))
		ic->mode &= ~S_ISGID;
}

/* Linux's may_create for a negative dentry in the directory at parent. */
int may_create(struct task *t, const struct path *parent)
{
	struct inode *dir = parent->dentry->d_inode;

	if (dir->nlink == 0)
		return -ENOENT; /* the directory was removed */
	return path_permission(t, parent, MAY_WRITE | MAY_EXEC);
}

mode_t task_umask(struct task *t)
{
	pthread_mutex_lock(&t->fs->lock);
	mode_t umask = t->fs->umask;
	pthread_mutex_unlock(&t->fs->lock);
	return umask;
}

/* Create a regular file at the negative dentry d (namespace_lock held). */
static int create_locked(struct task *t, struct nameidata *nd, struct dentry *d,
			 mode_t mode)
{
	struct inode *dir = nd->path.dentry->d_inode;
	struct inode_create ic;

	if (mnt_readonly(nd->path.mnt))
		return -EROFS;
	int err = may_create(t, &nd->path);
	if (err < 0)
		return err;
	if (!dir->i_op->create)
		return -EACCES;
	init_create(t, dir, S_IFREG | (mode & 07777 & ~task_umask(t)), &ic);
	err = dir->i_op->create(dir, d, &ic);
	if (err < 0)
		return err;
	if (d->d_flags & DCACHE_UNHASHED)
		d_add(d);
	return 0;
}

/* The O_CREAT path: find or create the last component, following
 * symlinks at it (a dangling link's target is created). */
static int open_create(struct task *t, int dirfd, const char *name, int flags,
		       mode_t mode, unsigned lookup_flags, struct file **out)
{
	struct nameidata nd;
	struct path p;
	bool created = false;
	int err = filename_parentat(t, dirfd, name, lookup_flags, &nd);

	if (err < 0)
		return err;
	for (;;) {
		if (nd.last_type != LAST_NORM || nd.trailing_slash) {
			err = -EISDIR;
			goto out;
		}
		struct dentry *d;
		pthread_mutex_lock(&namespace_lock);
		err = lookup_one_locked(t, nd.path.dentry, nd.last,
					strlen(nd.last), &d);
		if (err < 0) {
			pthread_mutex_unlock(&namespace_lock);
			goto out;
		}
		if (d_is_negative(d)) {
			err = create_locked(t, &nd, d, mode);
			pthread_mutex_unlock(&namespace_lock);
			if (err < 0) {
				dput(d);
				goto out;
			}
			created = true;
			p.mnt = mntget(nd.path.mnt);
			p.dentry = d;
			break;
		}
		pthread_mutex_unlock(&namespace_lock);

		if (flags & O_EXCL) {
			dput(d);
			err = -EEXIST;
			goto out;
		}
		struct inode *link = d->d_inode;
		if (S_ISLNK(link->mode) && !(flags & O_NOFOLLOW) &&
		    link->i_op->open_link) {
			/* "> /dev/stdout" in a shell: O_CREAT on fd/N. */
			err = link->i_op->open_link(t, link, flags, out);
			if (err != -EOPNOTSUPP) {
				dput(d);
				goto out;
			}
		}
		if (S_ISLNK(link->mode) && !(flags & O_NOFOLLOW)) {
			err = nd_follow_last_link(&nd, d);
			dput(d);
			if (err < 0)
				goto out;
			if (nd.last_type == LAST_DOT) {
				/* A magic link: nd.path is the file. */
				p = nd.path;
				path_get(&p);
				break;
			}
			continue;
		}
		p.mnt = mntget(nd.path.mnt);
		p.dentry = d;
		follow_mounts(&p);
		break;
	}

	struct inode *inode = p.dentry->d_inode;
	if (S_ISDIR(inode->mode))
		err = -EISDIR;
	else if (flags & O_DIRECTORY)
		err = -ENOTDIR;
	else
		err = do_open_path(t, &p, flags, created, out);
	path_put(&p);
out:
	nd_release(&nd);
	return err;
}

/* Open without O_CREAT. A final magic link with open_link is opened
 * through it when try_open_link, else walked with get_link. */
static int open_existing(struct task *t, int dirfd, const char *name, int flags,
			 unsigned lookup_flags, bool try_open_link,
			 struct file **out)
{
	struct path p;

	if (!(flags & O_NOFOLLOW))
		lookup_flags |= LOOKUP_FOLLOW;
	if (flags & O_DIRECTORY)
		lookup_flags |= LOOKUP_DIRECTORY;
	if (try_open_link && !(flags & O_PATH) &&
	    !(lookup_flags & LOOKUP_NO_MAGICLINKS))
		lookup_flags |= LOOKUP_OPEN;
	int err = filename_lookup(t, dirfd, name, lookup_flags, &p);
	if (err < 0)
		return err;

	struct inode *inode = p.dentry->d_inode;
	if ((lookup_flags & LOOKUP_OPEN) && S_ISLNK(inode->mode) &&
	    inode->i_op->open_link) {
		err = inode->i_op->open_link(t, inode, flags, out);
		path_put(&p);
		if (err != -EOPNOTSUPP)
			return err;
		return open_existing(t, dirfd, name, flags,
				     lookup_flags & ~LOOKUP_OPEN, false, out);
	}
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		err = -ENOTDIR;
	else
		err = do_open_path(t, &p, flags, false, out);
	path_put(&p);
	return err;
}

int vfs_open_resolve(struct task *t, int dirfd, const char *name, int flags,
		     mode_t mode, unsigned lookup_flags, struct file **out)
{
	/* NOTE: O_TMPFILE is not implemented. */
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return -EOPNOTSUPP;
	if ((flags & O_CREAT) && !(flags & O_PATH))
		return open_create(t, dirfd, name, flags, mode, lookup_flags,
				   out);
	return open_existing(t, dirfd, name, flags, lookup_flags, true, out);
}

int vfs_open(struct task *t, int dirfd, const char *name, int flags,
	     mode_t mode, struct file **out)
{
	return vfs_open_resolve(t, dirfd, name, flags, mode, 0, out);
}
