/* getdents, getdents64, chdir, fchdir, getcwd, chroot, umask and the
 * sync family. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/fs/sys_fs.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

/* NOTE: one getdents call returns at most this many bytes, whatever the
 * guest's buffer size; callers loop until 0 anyway. */
#define GETDENTS_MAX (256 * 1024)

/* The two record layouts Linux writes. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct linux_dirent {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
	char d_name[]; /* followed by a NUL, padding and d_type */
};

struct getdents_buf {
	char *buf;
	size_t size, used;
	bool old_format;
	bool overflow; /* the first entry did not fit */
};

static int fill_dirent(void *ctx, const char *name, size_t namelen,
		       int64_t next_off, uint64_t ino, unsigned type)
{
	struct getdents_buf *g = ctx;
	size_t reclen;

	if (g->old_format)
		reclen = ALIGN_UP(offsetof(struct linux_dirent, d_name) +
				      namelen + 2,
				  sizeof(long));
	else
		reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) +
				      namelen + 1,
				  sizeof(uint64_t));
	if (g->used + reclen > g->size) {
		if (g->used == 0)
			g->overflow = true;
		return 1;
	}

	char *rec = g->buf + g->used;
	memset(rec, 0, reclen);
	if (g->old_format) {
		struct linux_dirent *d = (struct linux_dirent *)rec;
		d->d_ino = ino;
		d->d_off = next_off;
		d->d_reclen = reclen;
		memcpy(d->d_name, name, namelen);
		rec[reclen - 1] = type;
	} else {
		struct linux_dirent64 *d = (struct linux_dirent64 *)rec;
		d->d_ino = ino;
		d->d_off = next_off;
		d->d_reclen = reclen;
		d->d_type = type;
		memcpy(d->d_name, name, namelen);
	}
	g->used += reclen;
	return 0;
}

static long do_getdents(struct task *t, int fd, uint64_t udirp, unsigned count,
			bool old_format)
{
	struct file *f = fs_fget_io(t, fd);

	if (!f)
		return -EBADF;
	long ret;
	if (!f->f_op || !f->f_op->iterate) {
		ret = -ENOTDIR;
		goto out;
	}
	struct getdents_buf g = {.size = MIN(count, GETDENTS_MAX),
				 .old_format = old_format};
	g.buf = xmalloc(g.size ? g.size : 1);

	pthread_mutex_lock(&f->f_pos_lock);
	ret = f->f_op->iterate(t, f, fill_dirent, &g);
	pthread_mutex_unlock(&f->f_pos_lock);
	if (ret == 0 && g.overflow)
		ret = -EINVAL;
	if (ret == 0) {
		ret = copy_to_user(t, udirp, g.buf, g.used);
		if (ret == 0)
			ret = g.used;
	}
	free(g.buf);
out:
	file_put(f);
	return ret;
}

SYSCALL_DEFINE(__NR_getdents, getdents)
{
	return do_getdents(t, (int)args[0], args[1], (unsigned)args[2], true);
}

SYSCALL_DEFINE(__NR_getdents64, getdents64)
{
	return do_getdents(t, (int)args[0], args[1], (unsigned)args[2], false);
}

SYSCALL_DEFINE(__NR_chdir, chdir)
{
	struct path p;
	int err = user_path_at(t, AT_FDCWD, args[0],
			       LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	if (err < 0)
		return err;
	err = inode_permission(t, p.dentry->d_inode, MAY_EXEC);
	if (err < 0) {
		path_put(&p);
		return err;
	}
	return set_fs_pwd(t, &p);
}

SYSCALL_DEFINE(__NR_fchdir, fchdir)
{
	struct file *f = fs_fget(t, (int)args[0]);

	if (!f)
		return -EBADF;
	int err = 0;
	struct inode *inode = f->f_inode;
	if (!f->f_path.dentry || !inode || !S_ISDIR(inode->mode))
		err = -ENOTDIR;
	else
		err = inode_permission(t, inode, MAY_EXEC);
	if (err == 0) {
		struct path p = f->f_path;
		path_get(&p);
		set_fs_pwd(t, &p);
	}
	file_put(f);
	return err;
}

SYSCALL_DEFINE(__NR_getcwd, getcwd)
{
	uint64_t ubuf = args[0];
	size_t size = args[1];
	struct path root, pwd;
	_cleanup_free_ char *buf = xmalloc(PATH_MAX);

	fs_struct_get_root(t->fs, &root);
	fs_struct_get_pwd(t->fs, &pwd);
	int len;
	if (pwd.dentry->d_flags & DCACHE_DELETED)
		len = -ENOENT;
	else
		len = d_path(&pwd, &root, buf, PATH_MAX);
	path_put(&root);
	path_put(&pwd);
	if (len < 0)
		return len;
	if ((size_t)len + 1 > size)
		return -ERANGE;
	int err = copy_to_user(t, ubuf, buf, len + 1);
	return err < 0 ? err : len + 1;
}

SYSCALL_DEFINE(__NR_chroot, chroot)
{
	struct path p;
	int err = user_path_at(t, AT_FDCWD, args[0],
			       LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	if (err < 0)
		return err;
	err = inode_permission(t, p.dentry->d_inode, MAY_EXEC);
	if (err == 0 && !capable(t))
		err = -EPERM;
	if (err < 0) {
		path_put(&p);
		return err;
	}
	/* The new root is inside the old one, since every walk is. */
	fs_struct_set_root(t->fs, &p);
	return 0;
}

SYSCALL_DEFINE(__NR_umask, umask)
{
	struct fs_struct *fs = t->fs;

	pthread_mutex_lock(&fs->lock);
	mode_t old = fs->umask;
	fs->umask = args[0] & 0777;
	pthread_mutex_unlock(&fs->lock);
	return old;
}

static long do_fsync(struct task *t, int fd, bool datasync)
{
	struct file *f = fs_fget_io(t, fd);

	if (!f)
		return -EBADF;
	int err =
	    f->f_op && f->f_op->fsync ? f->f_op->fsync(f, datasync) : -EINVAL;
	file_put(f);
	return err;
}

SYSCALL_DEFINE(__NR_fsync, fsync)
{
	return do_fsync(t, (int)args[0], false);
}

SYSCALL_DEFINE(__NR_fdatasync, fdatasync)
{
	return do_fsync(t, (int)args[0], true);
}

/* Volumes write through to the host as they go and memfs has nothing
 * to flush, so sync has no work. */
SYSCALL_DEFINE(__NR_sync, sync)
{
	return 0;
}

SYSCALL_DEFINE(__NR_syncfs, syncfs)
{
	struct file *f = fs_fget(t, (int)args[0]);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

/* Nothing is ever dirty beyond what the host tracks, so only the
 * argument checks of Linux's sync_file_range remain. */
SYSCALL_DEFINE(__NR_sync_file_range, sync_file_range)
{
	int64_t off = (int64_t)args[1], nbytes = (int64_t)args[2];
	unsigned flags = (unsigned)args[3];
	const unsigned known = 1 | 2 | 4; /* WAIT_BEFORE, WRITE, WAIT_AFTER */
	struct file *f = fs_fget(t, (int)args[0]);

	if (!f)
		return -EBADF;
	int err = 0;
	int64_t end;
	struct inode *inode = f->f_inode;
	if (flags & ~known)
		err = -EINVAL;
	else if (off < 0 || nbytes < 0 ||
		 __builtin_add_overflow(off, nbytes, &end))
		err = -EINVAL;
	else if (!inode || !(S_ISREG(inode->mode) || S_ISDIR(inode->mode) ||
			     S_ISLNK(inode->mode) || S_ISBLK(inode->mode)))
		err = -ESPIPE;
	file_put(f);
	return err;
}
