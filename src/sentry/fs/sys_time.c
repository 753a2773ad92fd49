/* utime, utimes, futimesat and utimensat. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <utime.h>

#include "common/util.h"
#include "sentry/fs/sys_fs.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

static bool nsec_valid(long nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT ||
	       (nsec >= 0 && nsec <= 999999999);
}

/* Linux's vfs_utimes. times NULL means both "now". Setting "now" needs
 * ownership or write permission; setting explicit times needs
 * ownership. */
static int utimes_common(struct task *t, const struct path *p,
			 const struct timespec *times)
{
	struct inode *inode = p->dentry->d_inode;
	struct iattr attr = {0};
	int err;

	if (times && times[0].tv_nsec == UTIME_OMIT &&
	    times[1].tv_nsec == UTIME_OMIT)
		return 0;
	err = may_write_mount(p, inode);
	if (err < 0)
		return err;

	bool now_only = !times || (times[0].tv_nsec == UTIME_NOW &&
				   times[1].tv_nsec == UTIME_NOW);
	if (now_only) {
		attr.ia_valid = ATTR_ATIME_NOW | ATTR_MTIME_NOW;
		if (!inode_owner_or_capable(t, inode)) {
			err = inode_permission(t, inode, MAY_WRITE);
			if (err < 0)
				return err;
		}
		return notify_change(inode, &attr);
	}

	if (!inode_owner_or_capable(t, inode))
		return -EPERM;
	if (times[0].tv_nsec == UTIME_NOW)
		attr.ia_valid |= ATTR_ATIME_NOW;
	else if (times[0].tv_nsec != UTIME_OMIT) {
		attr.ia_valid |= ATTR_ATIME;
		attr.ia_atime = times[0];
	}
	if (times[1].tv_nsec == UTIME_NOW)
		attr.ia_valid |= ATTR_MTIME_NOW;
	else if (times[1].tv_nsec != UTIME_OMIT) {
		attr.ia_valid |= ATTR_MTIME;
		attr.ia_mtime = times[1];
	}
	return notify_change(inode, &attr);
}

/* Apply times to dirfd/path, or to dirfd itself when upath is 0. */
static long do_utimes(struct task *t, int dirfd, uint64_t upath,
		      const struct timespec *times, int flags)
{
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (times &&
	    (!nsec_valid(times[0].tv_nsec) || !nsec_valid(times[1].tv_nsec)))
		return -EINVAL;

	if (upath == 0) {
		/* Linux's extension: a NULL path means the FD itself. */
		if (dirfd == AT_FDCWD)
			return -EFAULT;
		if (flags & AT_SYMLINK_NOFOLLOW)
			return -EINVAL;
		struct file *f = fs_fget(t, dirfd);
		if (!f)
			return -EBADF;
		err = f->f_path.dentry ? utimes_common(t, &f->f_path, times)
				       : -EINVAL;
		file_put(f);
		return err;
	}

	unsigned lf = 0;
	if (!(flags & AT_SYMLINK_NOFOLLOW))
		lf |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	err = user_path_at(t, dirfd, upath, lf, &p);
	if (err < 0)
		return err;
	err = utimes_common(t, &p, times);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE(__NR_utimensat, utimensat)
{
	struct timespec times[2];

	if (args[2]) {
		int err = copy_from_user(t, times, args[2], sizeof(times));
		if (err < 0)
			return err;
	}
	return do_utimes(t, (int)args[0], args[1], args[2] ? times : NULL,
			 (int)args[3]);
}

/* utimes and futimesat take microseconds. */
static long do_futimesat(struct task *t, int dirfd, uint64_t upath,
			 uint64_t utv)
{
	struct timeval tv[2];
	struct timespec times[2];

	if (!utv)
		return do_utimes(t, dirfd, upath, NULL, 0);
	int err = copy_from_user(t, tv, utv, sizeof(tv));
	if (err < 0)
		return err;
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		times[i].tv_sec = tv[i].tv_sec;
		times[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return do_utimes(t, dirfd, upath, times, 0);
}

SYSCALL_DEFINE(__NR_utimes, utimes)
{
	return do_futimesat(t, AT_FDCWD, args[0], args[1]);
}

SYSCALL_DEFINE(__NR_futimesat, futimesat)
{
	return do_futimesat(t, (int)args[0], args[1], args[2]);
}

SYSCALL_DEFINE(__NR_utime, utime)
{
	struct utimbuf buf;
	struct timespec times[2];

	if (!args[1])
		return do_utimes(t, AT_FDCWD, args[0], NULL, 0);
	int err = copy_from_user(t, &buf, args[1], sizeof(buf));
	if (err < 0)
		return err;
	times[0] = (struct timespec){buf.actime, 0};
	times[1] = (struct timespec){buf.modtime, 0};
	return do_utimes(t, AT_FDCWD, args[0], times, 0);
}
