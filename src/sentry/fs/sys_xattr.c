/* The extended attribute syscalls. No file system here stores extended
 * attributes, so lookups report "no such attribute" (ENODATA) and
 * listings are empty, as tools such as ls expect on a file system
 * without ACLs. Setting one fails with EOPNOTSUPP.
 *
 * NOTE: the host's attributes of lower and volume files are not passed
 * through, since the gofer protocol has no xattr requests. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/fs/sys_fs.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#define XATTR_NAME_MAX	   255
#define XATTR_CREATE_FLAG  0x1 /* XATTR_CREATE */
#define XATTR_REPLACE_FLAG 0x2 /* XATTR_REPLACE */

/* Copy and check an attribute name as Linux does (ERANGE for an empty
 * or too long name). */
static int check_xattr_name(struct task *t, uint64_t uname)
{
	char name[XATTR_NAME_MAX + 1];
	long len = strncpy_from_user(t, name, uname, sizeof(name));

	if (len == -ENAMETOOLONG)
		return -ERANGE;
	if (len < 0)
		return len;
	return len == 0 ? -ERANGE : 0;
}

static int xattr_path(struct task *t, uint64_t upath, bool follow)
{
	struct path p;
	int err =
	    user_path_at(t, AT_FDCWD, upath, follow ? LOOKUP_FOLLOW : 0, &p);

	if (err == 0)
		path_put(&p);
	return err;
}

static int xattr_fd(struct task *t, int fd)
{
	struct file *f = fs_fget_io(t, fd);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

static long get_common(struct task *t, int target_err, uint64_t uname)
{
	if (target_err < 0)
		return target_err;
	int err = check_xattr_name(t, uname);
	return err < 0 ? err : -ENODATA;
}

static long set_common(struct task *t, int target_err, uint64_t uname,
		       int flags)
{
	if (flags & ~(XATTR_CREATE_FLAG | XATTR_REPLACE_FLAG))
		return -EINVAL;
	if (target_err < 0)
		return target_err;
	int err = check_xattr_name(t, uname);
	return err < 0 ? err : -EOPNOTSUPP;
}

SYSCALL_DEFINE(__NR_getxattr, getxattr)
{
	return get_common(t, xattr_path(t, args[0], true), args[1]);
}

SYSCALL_DEFINE(__NR_lgetxattr, lgetxattr)
{
	return get_common(t, xattr_path(t, args[0], false), args[1]);
}

SYSCALL_DEFINE(__NR_fgetxattr, fgetxattr)
{
	return get_common(t, xattr_fd(t, (int)args[0]), args[1]);
}

SYSCALL_DEFINE(__NR_removexattr, removexattr)
{
	return get_common(t, xattr_path(t, args[0], true), args[1]);
}

SYSCALL_DEFINE(__NR_lremovexattr, lremovexattr)
{
	return get_common(t, xattr_path(t, args[0], false), args[1]);
}

SYSCALL_DEFINE(__NR_fremovexattr, fremovexattr)
{
	return get_common(t, xattr_fd(t, (int)args[0]), args[1]);
}

SYSCALL_DEFINE(__NR_listxattr, listxattr)
{
	return xattr_path(t, args[0], true);
}

SYSCALL_DEFINE(__NR_llistxattr, llistxattr)
{
	return xattr_path(t, args[0], false);
}

SYSCALL_DEFINE(__NR_flistxattr, flistxattr)
{
	return xattr_fd(t, (int)args[0]);
}

SYSCALL_DEFINE(__NR_setxattr, setxattr)
{
	return set_common(t, xattr_path(t, args[0], true), args[1],
			  (int)args[4]);
}

SYSCALL_DEFINE(__NR_lsetxattr, lsetxattr)
{
	return set_common(t, xattr_path(t, args[0], false), args[1],
			  (int)args[4]);
}

SYSCALL_DEFINE(__NR_fsetxattr, fsetxattr)
{
	return set_common(t, xattr_fd(t, (int)args[0]), args[1], (int)args[4]);
}
