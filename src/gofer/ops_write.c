/* Operations that change the file system: create, mkdir, mknod, symlink,
 * link, unlink, rename, setattr. Each one checks the mount is read-write
 * first, so a read-only mount is enforced by the gofer itself and not only
 * by the read-only bind mount. */
#include "gofer/gofer.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define CREATE_ALLOWED (O_ACCMODE | O_TRUNC | O_APPEND)

/* Permission bits for a new or chmod-ed node. The gofer writes host files
 * as root, so it never sets the set-user-ID bit, nor set-group-ID on
 * anything but a directory: a hostile sentry must not be able to leave a
 * set-ID executable on a host file system. */
static mode_t safe_mode(uint32_t mode, uint32_t type)
{
	mode_t m = mode & 07777 & ~S_ISUID;

	if (type != S_IFDIR)
		m &= ~S_ISGID;
	return m;
}

/* Open the node just created as name in dir, give it to the requested
 * owner and add it as a fid. On failure the new entry is removed again. */
static int finish_new_node(const struct gofer_node *dir, const char *name,
			   bool is_dir, const struct gofer_request *q,
			   struct gofer_reply *p)
{
	_cleanup_close_ int fd = -1;
	int err;

	fd = openat(dir->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		err = neg_errno();
		goto out_unlink;
	}
	if (fchownat(fd, "", q->uid, q->gid,
		     AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0) {
		err = neg_errno();
		goto out_unlink;
	}
	err = gofer_add_node(take_fd(&fd), dir->mount, p);
	if (err)
		goto out_unlink;
	return 0;

out_unlink:
	unlinkat(dir->fd, name, is_dir ? AT_REMOVEDIR : 0);
	return err;
}

int gofer_op_create(const struct gofer_server *s, const struct gofer_request *q,
		    struct gofer_reply *p, int *hostfd)
{
	_cleanup_close_ int fd = -1;
	struct gofer_node *dir;
	int err;

	err = gofer_lookup_dir(s, q->fid, true, &dir);
	if (err)
		return err;
	if ((q->flags & ~(uint32_t)CREATE_ALLOWED) ||
	    (q->flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	fd = openat(dir->fd, q->name,
		    q->flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC |
			O_NOCTTY,
		    safe_mode(q->mode, S_IFREG));
	if (fd < 0)
		return neg_errno();
	err = finish_new_node(dir, q->name, false, q, p);
	if (err)
		return err;
	*hostfd = take_fd(&fd);
	return 0;
}

int gofer_op_mkdir(const struct gofer_server *s, const struct gofer_request *q,
		   struct gofer_reply *p)
{
	struct gofer_node *dir;
	int err;

	err = gofer_lookup_dir(s, q->fid, true, &dir);
	if (err)
		return err;
	if (mkdirat(dir->fd, q->name, safe_mode(q->mode, S_IFDIR)) < 0)
		return neg_errno();
	return finish_new_node(dir, q->name, true, q, p);
}

int gofer_op_mknod(const struct gofer_server *s, const struct gofer_request *q,
		   struct gofer_reply *p)
{
	struct gofer_node *dir;
	int err;

	err = gofer_lookup_dir(s, q->fid, true, &dir);
	if (err)
		return err;
	/* Only FIFOs: the sentry implements sockets and devices itself. */
	if ((q->mode & S_IFMT) != S_IFIFO)
		return -EPERM;
	if (mknodat(dir->fd, q->name, S_IFIFO | safe_mode(q->mode, S_IFIFO),
		    0) < 0)
		return neg_errno();
	return finish_new_node(dir, q->name, false, q, p);
}

int gofer_op_symlink(const struct gofer_server *s,
		     const struct gofer_request *q, struct gofer_reply *p)
{
	struct gofer_node *dir;
	int err;

	err = gofer_lookup_dir(s, q->fid, true, &dir);
	if (err)
		return err;
	/* The target is stored as given and never resolved by the gofer. */
	if (symlinkat(q->target, dir->fd, q->name) < 0)
		return neg_errno();
	return finish_new_node(dir, q->name, false, q, p);
}

int gofer_op_link(const struct gofer_server *s, const struct gofer_request *q,
		  struct gofer_reply *p)
{
	struct gofer_node *dir, *target;
	char fd_name[16];
	int err;

	err = gofer_lookup_dir(s, q->fid, true, &dir);
	if (err)
		return err;
	err = gofer_lookup(q->fid2, &target);
	if (err)
		return err;
	if (target->mount != dir->mount)
		return -EXDEV;
	if (S_ISDIR(target->type))
		return -EPERM;
	/* Link through the /proc/self/fd magic link rather than with
	 * AT_EMPTY_PATH, which needs CAP_DAC_READ_SEARCH, a capability the
	 * gofer drops. The magic link names the target's inode exactly. */
	snprintf(fd_name, sizeof(fd_name), "%d", target->fd);
	if (linkat(s->proc_fd, fd_name, dir->fd, q->name, AT_SYMLINK_FOLLOW) <
	    0)
		return neg_errno();
	return 0;
}

int gofer_op_unlink(const struct gofer_server *s, const struct gofer_request *q,
		    struct gofer_reply *p)
{
	struct gofer_node *dir;
	int err;

	err = gofer_lookup_dir(s, q->fid, true, &dir);
	if (err)
		return err;
	if (q->flags & ~(uint32_t)AT_REMOVEDIR)
		return -EINVAL;
	if (unlinkat(dir->fd, q->name, q->flags) < 0)
		return neg_errno();
	return 0;
}

int gofer_op_rename(const struct gofer_server *s, const struct gofer_request *q,
		    struct gofer_reply *p)
{
	struct gofer_node *olddir, *newdir;
	int err;

	err = gofer_lookup_dir(s, q->fid, true, &olddir);
	if (err)
		return err;
	err = gofer_lookup_dir(s, q->fid2, true, &newdir);
	if (err)
		return err;
	if (olddir->mount != newdir->mount)
		return -EXDEV;
	if (renameat(olddir->fd, q->name, newdir->fd, q->name2) < 0)
		return neg_errno();
	return 0;
}
