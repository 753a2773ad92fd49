/* setattr: change the owner, mode, size and times of a node, in that
 * order, because chown clears the set-ID bits a following chmod may set.
 * A failure stops at that step, leaving earlier changes applied, as a
 * sequence of separate system calls on Linux would. */
#include "gofer/gofer.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define SETATTR_KNOWN                                                          \
	(GOFER_SETATTR_MODE | GOFER_SETATTR_UID | GOFER_SETATTR_GID |          \
	 GOFER_SETATTR_SIZE | GOFER_SETATTR_ATIME | GOFER_SETATTR_MTIME |      \
	 GOFER_SETATTR_ATIME_NOW | GOFER_SETATTR_MTIME_NOW)

static int set_owner(const struct gofer_node *n, const struct gofer_setattr *a)
{
	uid_t uid = (a->mask & GOFER_SETATTR_UID) ? a->uid : (uid_t)-1;
	gid_t gid = (a->mask & GOFER_SETATTR_GID) ? a->gid : (gid_t)-1;

	if (fchownat(n->fd, "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) <
	    0)
		return neg_errno();
	return 0;
}

static int set_mode(const struct gofer_server *s, const struct gofer_node *n,
		    uint32_t mode)
{
	char fd_name[16];
	mode_t m = mode & 07777 & ~S_ISUID;

	/* Linux cannot change a symlink's mode, and chmod through the magic
	 * link of a symlink node is not done. */
	if (S_ISLNK(n->type))
		return -EOPNOTSUPP;
	/* As for new nodes: never leave a set-ID file on the host. */
	if (!S_ISDIR(n->type))
		m &= ~S_ISGID;
	snprintf(fd_name, sizeof(fd_name), "%d", n->fd);
	if (fchmodat(s->proc_fd, fd_name, m, 0) < 0)
		return neg_errno();
	return 0;
}

static int set_size(const struct gofer_server *s, const struct gofer_node *n,
		    int64_t size)
{
	_cleanup_close_ int fd = -1;

	if (S_ISDIR(n->type))
		return -EISDIR;
	if (!S_ISREG(n->type) || size < 0)
		return -EINVAL;
	fd = gofer_reopen(s, n, O_WRONLY);
	if (fd < 0)
		return fd;
	if (ftruncate(fd, size) < 0)
		return neg_errno();
	return 0;
}

/* Convert one time of the request: set, "now" or unchanged. */
static int to_timespec(uint32_t mask, uint32_t set_bit, uint32_t now_bit,
		       int64_t sec, int64_t nsec, struct timespec *ts)
{
	if ((mask & set_bit) && (mask & now_bit))
		return -EINVAL;
	if (mask & now_bit) {
		*ts = (struct timespec){.tv_nsec = UTIME_NOW};
	} else if (mask & set_bit) {
		if (nsec < 0 || nsec > 999999999)
			return -EINVAL;
		*ts = (struct timespec){.tv_sec = sec, .tv_nsec = nsec};
	} else {
		*ts = (struct timespec){.tv_nsec = UTIME_OMIT};
	}
	return 0;
}

/* Convert both requested times before anything changes, so an invalid
 * time fails the request without a partial update. */
static int to_timespecs(const struct gofer_setattr *a, struct timespec ts[2])
{
	int err;

	err = to_timespec(a->mask, GOFER_SETATTR_ATIME, GOFER_SETATTR_ATIME_NOW,
			  a->atime_sec, a->atime_nsec, &ts[0]);
	if (err)
		return err;
	return to_timespec(a->mask, GOFER_SETATTR_MTIME,
			   GOFER_SETATTR_MTIME_NOW, a->mtime_sec, a->mtime_nsec,
			   &ts[1]);
}

static int set_times(const struct gofer_node *n, const struct timespec ts[2])
{
	/* AT_EMPTY_PATH acts on the O_PATH FD's inode itself, a symlink
	 * included. */
	if (utimensat(n->fd, "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
		return neg_errno();
	return 0;
}

int gofer_op_setattr(const struct gofer_server *s,
		     const struct gofer_request *q, struct gofer_reply *p)
{
	const struct gofer_setattr *a = &q->attr;
	struct gofer_node *n;
	uint32_t times = GOFER_SETATTR_ATIME | GOFER_SETATTR_MTIME |
			 GOFER_SETATTR_ATIME_NOW | GOFER_SETATTR_MTIME_NOW;
	struct timespec ts[2];
	int err;

	err = gofer_lookup(q->fid, &n);
	if (err)
		return err;
	if (a->mask & ~(uint32_t)SETATTR_KNOWN)
		return -EINVAL;
	if (s->mounts[n->mount].readonly)
		return -EROFS;
	err = to_timespecs(a, ts);
	if (err)
		return err;
	if ((a->mask & GOFER_SETATTR_SIZE) && a->size < 0)
		return -EINVAL;
	if (a->mask & (GOFER_SETATTR_UID | GOFER_SETATTR_GID)) {
		err = set_owner(n, a);
		if (err)
			return err;
	}
	if (a->mask & GOFER_SETATTR_MODE) {
		err = set_mode(s, n, a->mode);
		if (err)
			return err;
	}
	if (a->mask & GOFER_SETATTR_SIZE) {
		err = set_size(s, n, a->size);
		if (err)
			return err;
	}
	if (a->mask & times)
		return set_times(n, ts);
	return 0;
}
