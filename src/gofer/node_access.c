/* Helpers every operation uses to reach a node's inode safely. */
#include "gofer/gofer.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Open the inode behind the node's O_PATH FD with real access mode flags.
 *
 * openat(proc_fd, "N") resolves the /proc/self/fd/N magic link, which
 * jumps straight to the inode that FD N names: no path is walked, so a
 * concurrent rename or a symlink planted on the host cannot redirect the
 * open. O_NOFOLLOW cannot be added here because it would refuse the magic
 * link itself, so callers must only reopen regular files and directories,
 * never a symlink node. */
int gofer_reopen(const struct gofer_server *s, const struct gofer_node *n,
		 int flags)
{
	char name[16];
	int fd;

	BUG_ON(!S_ISREG(n->type) && !S_ISDIR(n->type));
	snprintf(name, sizeof(name), "%d", n->fd);
	fd = openat(s->proc_fd, name, flags | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return neg_errno();
	return fd;
}

int gofer_fill_stat(int fd, struct gofer_stat *st)
{
	struct stat hs;

	if (fstatat(fd, "", &hs, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
		return neg_errno();
	*st = (struct gofer_stat){
	    .dev = hs.st_dev,
	    .ino = hs.st_ino,
	    .mode = hs.st_mode,
	    .nlink = hs.st_nlink,
	    .uid = hs.st_uid,
	    .gid = hs.st_gid,
	    .rdev = hs.st_rdev,
	    .size = hs.st_size,
	    .blocks = hs.st_blocks,
	    .blksize = hs.st_blksize,
	    .atime_sec = hs.st_atim.tv_sec,
	    .atime_nsec = hs.st_atim.tv_nsec,
	    .mtime_sec = hs.st_mtim.tv_sec,
	    .mtime_nsec = hs.st_mtim.tv_nsec,
	    .ctime_sec = hs.st_ctim.tv_sec,
	    .ctime_nsec = hs.st_ctim.tv_nsec,
	};
	return 0;
}

int gofer_lookup(uint32_t fid, struct gofer_node **n)
{
	*n = gofer_fid_get(fid);
	return *n ? 0 : -EBADF;
}

int gofer_lookup_dir(const struct gofer_server *s, uint32_t fid, bool for_write,
		     struct gofer_node **n)
{
	int err = gofer_lookup(fid, n);

	if (err)
		return err;
	if (!S_ISDIR((*n)->type))
		return -ENOTDIR;
	if (for_write && s->mounts[(*n)->mount].readonly)
		return -EROFS;
	return 0;
}

int gofer_add_node(int fd, uint32_t mount, struct gofer_reply *p)
{
	_cleanup_close_ int owned = fd;
	int err;

	err = gofer_fill_stat(owned, &p->stat);
	if (err)
		return err;
	return gofer_fid_new(take_fd(&owned), mount, p->stat.mode & S_IFMT,
			     &p->fid);
}
