/* open, openat, openat2, creat. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/fs/sys_fs.h"
#include "sentry/io.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

/* Every flag open(2) accepts. Others are ignored by open and rejected by
 * openat2, as on Linux. */
#define VALID_OPEN_FLAGS                                                       \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND |        \
	 O_NONBLOCK | O_DSYNC | O_ASYNC | O_DIRECT | KERNEL_O_LARGEFILE |      \
	 O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH |  \
	 O_TMPFILE)

static long open_install(struct task *t, int dirfd, uint64_t upath, int flags,
			 mode_t mode, unsigned lookup_flags)
{
	_cleanup_free_ char *name = NULL;
	struct file *f;
	long err = user_path(t, upath, &name, false);

	if (err < 0)
		return err;
	flags &= VALID_OPEN_FLAGS;
	flags |= KERNEL_O_LARGEFILE;
	err = vfs_open_resolve(t, dirfd, name, flags, mode, lookup_flags, &f);
	if (err < 0)
		return err;
	int fd =
	    fd_install(t->files, f, 0, flags & O_CLOEXEC, task_nofile_limit(t));
	file_put(f);
	return fd;
}

SYSCALL_DEFINE(__NR_open, open)
{
	return open_install(t, AT_FDCWD, args[0], (int)args[1], (mode_t)args[2],
			    0);
}

SYSCALL_DEFINE(__NR_openat, openat)
{
	return open_install(t, (int)args[0], args[1], (int)args[2],
			    (mode_t)args[3], 0);
}

SYSCALL_DEFINE(__NR_creat, creat)
{
	return open_install(t, AT_FDCWD, args[0], O_CREAT | O_WRONLY | O_TRUNC,
			    (mode_t)args[1], 0);
}

/* openat2's how argument, validated as Linux's build_open_how does. */
static int copy_open_how(struct task *t, uint64_t uhow, uint64_t size,
			 struct open_how *how)
{
	if (size < 24) /* OPEN_HOW_SIZE_VER0 */
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	memset(how, 0, sizeof(*how));
	int err = copy_from_user(t, how, uhow, MIN(size, sizeof(*how)));
	if (err < 0)
		return err;
	/* A larger struct from a newer libc is fine if the rest is zero. */
	for (uint64_t off = sizeof(*how); off < size; off++) {
		unsigned char c;
		err = copy_from_user(t, &c, uhow + off, 1);
		if (err < 0)
			return err;
		if (c)
			return -E2BIG;
	}
	return 0;
}

static int resolve_to_lookup(uint64_t resolve, unsigned *lookup_flags)
{
	const uint64_t known = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS |
			       RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |
			       RESOLVE_IN_ROOT | RESOLVE_CACHED;

	if (resolve & ~known)
		return -EINVAL;
	if ((resolve & RESOLVE_BENEATH) && (resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	*lookup_flags = 0;
	if (resolve & RESOLVE_NO_XDEV)
		*lookup_flags |= LOOKUP_NO_XDEV;
	if (resolve & RESOLVE_NO_MAGICLINKS)
		*lookup_flags |= LOOKUP_NO_MAGICLINKS;
	if (resolve & RESOLVE_NO_SYMLINKS)
		*lookup_flags |= LOOKUP_NO_SYMLINKS;
	if (resolve & RESOLVE_BENEATH)
		*lookup_flags |= LOOKUP_BENEATH;
	if (resolve & RESOLVE_IN_ROOT)
		*lookup_flags |= LOOKUP_IN_ROOT;
	return 0;
}

SYSCALL_DEFINE(__NR_openat2, openat2)
{
	struct open_how how;
	unsigned lookup_flags;
	int err = copy_open_how(t, args[2], args[3], &how);

	if (err < 0)
		return err;
	if (how.flags & ~(uint64_t)VALID_OPEN_FLAGS)
		return -EINVAL;
	if (how.mode & ~(uint64_t)07777)
		return -EINVAL;
	if (how.mode && !(how.flags & (O_CREAT | __O_TMPFILE)))
		return -EINVAL;
	if ((how.flags & O_PATH) &&
	    (how.flags &
	     ~(uint64_t)(O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)))
		return -EINVAL;
	err = resolve_to_lookup(how.resolve, &lookup_flags);
	if (err < 0)
		return err;
	if ((how.resolve & RESOLVE_CACHED) &&
	    (how.flags & (O_TRUNC | O_CREAT | __O_TMPFILE)))
		return -EAGAIN;
	return open_install(t, (int)args[0], args[1], (int)how.flags,
			    (mode_t)how.mode, lookup_flags);
}
