/* stat, lstat, fstat, newfstatat, statx, statfs, fstatfs. */
#include <errno.h>
#include <fcntl.h>
#include <linux/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>

/* Linux's statfs f_flags bit saying the other bits are valid. */
#define ST_VALID 0x0020
#include <sys/sysmacros.h>

#include "common/util.h"
#include "sentry/fs/sys_fs.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

/* Stat dirfd/name per the *at() rules into st (sentry memory). An empty
 * name with AT_EMPTY_PATH stats the FD itself, which may be a pipe or
 * socket with no path. */
static int stat_at(struct task *t, int dirfd, uint64_t uname, int flags,
		   struct stat *st, struct mount **mnt_out)
{
	_cleanup_free_ char *name = NULL;
	struct path p;
	long err = user_path(t, uname, &name, flags & AT_EMPTY_PATH);

	if (err < 0)
		return err;
	if (name[0] == '\0' && dirfd != AT_FDCWD) {
		struct file *f = fs_fget(t, dirfd);
		if (!f)
			return -EBADF;
		err = vfs_fstat(f, st);
		if (mnt_out)
			*mnt_out = f->f_path.mnt;
		file_put(f);
		return err;
	}

	unsigned lf = LOOKUP_EMPTY;
	if (!(flags & AT_SYMLINK_NOFOLLOW))
		lf |= LOOKUP_FOLLOW;
	err = filename_lookup(t, dirfd, name, lf, &p);
	if (err < 0)
		return err;
	err = inode_getattr(p.dentry->d_inode, st);
	if (mnt_out)
		*mnt_out = p.mnt;
	path_put(&p);
	return err;
}

static long stat_to_user(struct task *t, int dirfd, uint64_t uname, int flags,
			 uint64_t ubuf)
{
	struct stat st;
	int err = stat_at(t, dirfd, uname, flags, &st, NULL);

	if (err < 0)
		return err;
	return copy_to_user(t, ubuf, &st, sizeof(st));
}

SYSCALL_DEFINE(__NR_stat, stat)
{
	return stat_to_user(t, AT_FDCWD, args[0], 0, args[1]);
}

SYSCALL_DEFINE(__NR_lstat, lstat)
{
	return stat_to_user(t, AT_FDCWD, args[0], AT_SYMLINK_NOFOLLOW, args[1]);
}

SYSCALL_DEFINE(__NR_newfstatat, newfstatat)
{
	int flags = (int)args[3];

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	return stat_to_user(t, (int)args[0], args[1], flags, args[2]);
}

SYSCALL_DEFINE(__NR_fstat, fstat)
{
	struct stat st;
	struct file *f = fs_fget(t, (int)args[0]);

	if (!f)
		return -EBADF;
	int err = vfs_fstat(f, &st);
	file_put(f);
	if (err < 0)
		return err;
	return copy_to_user(t, args[1], &st, sizeof(st));
}

/* A small stable number per mount for stx_mnt_id (its position). */
static uint64_t mount_id(struct mount *mnt)
{
	uint64_t id = 1;

	for (struct mount *m = mount_list; m; m = m->mnt_next, id++)
		if (m == mnt)
			return id;
	return 0;
}

SYSCALL_DEFINE(__NR_statx, statx)
{
	int flags = (int)args[2];
	unsigned mask = (unsigned)args[3];
	struct mount *mnt = NULL;
	struct stat st;
	struct statx sx;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	int err = stat_at(t, (int)args[0], args[1], flags, &st, &mnt);
	if (err < 0)
		return err;

	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
	sx.stx_blksize = st.st_blksize;
	sx.stx_nlink = st.st_nlink;
	sx.stx_uid = st.st_uid;
	sx.stx_gid = st.st_gid;
	sx.stx_mode = st.st_mode;
	sx.stx_ino = st.st_ino;
	sx.stx_size = st.st_size;
	sx.stx_blocks = st.st_blocks;
	sx.stx_atime.tv_sec = st.st_atim.tv_sec;
	sx.stx_atime.tv_nsec = st.st_atim.tv_nsec;
	sx.stx_mtime.tv_sec = st.st_mtim.tv_sec;
	sx.stx_mtime.tv_nsec = st.st_mtim.tv_nsec;
	sx.stx_ctime.tv_sec = st.st_ctim.tv_sec;
	sx.stx_ctime.tv_nsec = st.st_ctim.tv_nsec;
	sx.stx_rdev_major = major(st.st_rdev);
	sx.stx_rdev_minor = minor(st.st_rdev);
	sx.stx_dev_major = major(st.st_dev);
	sx.stx_dev_minor = minor(st.st_dev);
	sx.stx_mnt_id = mnt ? mount_id(mnt) : 0;
	return copy_to_user(t, args[4], &sx, sizeof(sx));
}

static int statfs_mount(struct mount *mnt, struct statfs *st)
{
	struct super_block *sb = mnt->mnt_sb;

	memset(st, 0, sizeof(*st));
	if (sb->s_op && sb->s_op->statfs) {
		int err = sb->s_op->statfs(sb, st);
		if (err < 0)
			return err;
	} else {
		st->f_bsize = 4096;
		st->f_frsize = 4096;
		st->f_namelen = NAME_MAX;
		st->f_type = 0x9fa0; /* PROC_SUPER_MAGIC */
	}
	st->f_flags = ST_VALID | (mnt_readonly(mnt) ? ST_RDONLY : 0);
	return 0;
}

SYSCALL_DEFINE(__NR_statfs, statfs)
{
	struct path p;
	struct statfs st;
	int err = user_path_at(t, AT_FDCWD, args[0], LOOKUP_FOLLOW, &p);

	if (err < 0)
		return err;
	err = statfs_mount(p.mnt, &st);
	path_put(&p);
	if (err < 0)
		return err;
	return copy_to_user(t, args[1], &st, sizeof(st));
}

SYSCALL_DEFINE(__NR_fstatfs, fstatfs)
{
	struct statfs st;
	struct file *f = fs_fget(t, (int)args[0]);

	if (!f)
		return -EBADF;
	int err;
	if (f->f_path.mnt) {
		err = statfs_mount(f->f_path.mnt, &st);
	} else {
		/* Pipes and sockets live on Linux's internal pipefs and
		 * sockfs. */
		memset(&st, 0, sizeof(st));
		st.f_type = 0x50495045; /* PIPEFS_MAGIC */
		st.f_bsize = 4096;
		st.f_namelen = NAME_MAX;
		st.f_flags = ST_VALID;
		err = 0;
	}
	file_put(f);
	if (err < 0)
		return err;
	return copy_to_user(t, args[1], &st, sizeof(st));
}
