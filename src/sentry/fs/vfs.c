/* The VFS entry points of vfs.h used outside the file systems. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "common/util.h"
#include "sentry/fs/namei.h"
#include "sentry/fs/vfs_internal.h"
#include "sentry/task.h"

int vfs_lookup(struct task *t, int dirfd, const char *path, int flags,
	       struct path *out)
{
	unsigned lf = 0;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!(flags & AT_SYMLINK_NOFOLLOW))
		lf |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	return filename_lookup(t, dirfd, path, lf, out);
}

/* Pass no task to f_op->read, so this suits only files whose read never
 * blocks or checks signals (the loader reads regular files). */
long vfs_pread(struct file *f, void *buf, size_t len, int64_t off)
{
	int64_t pos = off;

	if (!f->f_op || !f->f_op->read)
		return -EINVAL;
	return f->f_op->read(NULL, f, buf, len, &pos);
}

int vfs_fstat(struct file *f, struct stat *st)
{
	if (f->f_op && f->f_op->stat)
		return f->f_op->stat(f, st);
	if (!f->f_inode)
		return -EBADF;
	return inode_getattr(f->f_inode, st);
}

int vfs_permission(struct task *t, struct file *f, int mask)
{
	if (!f->f_inode)
		return -EACCES;
	if (f->f_path.dentry)
		return path_permission(t, &f->f_path, mask);
	return inode_permission(t, f->f_inode, mask);
}

int vfs_mmap_fd(struct file *f, int *hostfd, bool shared_write)
{
	if (!f->f_op || !f->f_op->mmap_fd)
		return -ENODEV;
	return f->f_op->mmap_fd(f, hostfd, shared_write);
}

/* Prepend "/name" to the string that ends at *end. */
static int prepend(char **end, char *start, const char *name, size_t len)
{
	if ((size_t)(*end - start) < len + 1)
		return -ENAMETOOLONG;
	*end -= len;
	memcpy(*end, name, len);
	*--*end = '/';
	return 0;
}

int d_path(const struct path *p, const struct path *root, char *buf,
	   size_t size)
{
	if (size < 2)
		return -ENAMETOOLONG;

	char *end = buf + size - 1;
	*end = '\0';
	struct mount *mnt = p->mnt;
	struct dentry *d = p->dentry;
	bool deleted = d->d_flags & DCACHE_DELETED;
	int err = 0;

	pthread_mutex_lock(&namespace_lock);
	while (!(root && mnt == root->mnt && d == root->dentry)) {
		if (d == mnt->mnt_root) {
			if (mnt->mnt_parent == mnt)
				break;
			d = mnt->mnt_mountpoint;
			mnt = mnt->mnt_parent;
			continue;
		}
		err = prepend(&end, buf, d->d_name, strlen(d->d_name));
		if (err < 0)
			break;
		d = d->d_parent;
	}
	pthread_mutex_unlock(&namespace_lock);
	if (err < 0)
		return err;
	if (*end == '\0' && prepend(&end, buf, "", 0) < 0)
		return -ENAMETOOLONG;

	size_t len = buf + size - 1 - end;
	memmove(buf, end, len + 1);
	if (deleted) {
		static const char suffix[] = " (deleted)";
		if (len + sizeof(suffix) > size)
			return -ENAMETOOLONG;
		memcpy(buf + len, suffix, sizeof(suffix));
		len += sizeof(suffix) - 1;
	}
	return len;
}

int file_path(struct file *f, char *buf, size_t size)
{
	if (!f->f_path.dentry)
		return -ENOENT;
	return d_path(&f->f_path, NULL, buf, size);
}

int open_special_inode(struct task *t, struct inode *inode, struct file *f)
{
	const struct file_operations *fop;

	switch (inode->mode & S_IFMT) {
	case S_IFIFO:
		return fifo_open(t, inode, f);
	case S_IFCHR:
		fop = chrdev_fops(inode->rdev);
		if (!fop)
			return -ENXIO;
		f->f_op = fop;
		return 0;
	default:
		/* Block devices and sockets, as on a Linux nodev mount. */
		return -ENXIO;
	}
}
