/* Operations that do not change the file system: attach, walk, clunk,
 * getattr, open, readlink, getdents, statfs. */
#include "gofer/gofer.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <dirent.h>

/* Flags the sentry may pass to open; everything else is rejected so the
 * sentry cannot ask for O_CREAT, O_PATH, O_TMPFILE or similar. */
#define OPEN_ALLOWED (O_ACCMODE | O_TRUNC | O_APPEND | O_DIRECTORY)

int gofer_op_attach(const struct gofer_server *s, const struct gofer_request *q,
		    struct gofer_reply *p)
{
	int fd;

	if (q->index >= s->nmounts)
		return -ENOENT;
	if (s->mounts[q->index].root_fd < 0)
		return -(s->mounts[q->index].error ? s->mounts[q->index].error
						   : EIO);
	fd = fcntl(s->mounts[q->index].root_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return neg_errno();
	return gofer_add_node(fd, q->index, p);
}

int gofer_op_walk(const struct gofer_server *s, const struct gofer_request *q,
		  struct gofer_reply *p)
{
	struct gofer_node *dir;
	int err, fd;

	err = gofer_lookup_dir(s, q->fid, false, &dir);
	if (err)
		return err;
	/* The decoder has already rejected "", ".", ".." and '/', so this
	 * resolves exactly one entry of dir and never leaves the mount. */
	fd = openat(dir->fd, q->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return neg_errno();
	return gofer_add_node(fd, dir->mount, p);
}

int gofer_op_clunk(const struct gofer_server *s, const struct gofer_request *q,
		   struct gofer_reply *p)
{
	return gofer_fid_clunk(q->fid);
}

int gofer_op_getattr(const struct gofer_server *s,
		     const struct gofer_request *q, struct gofer_reply *p)
{
	struct gofer_node *n;
	int err = gofer_lookup(q->fid, &n);

	if (err)
		return err;
	return gofer_fill_stat(n->fd, &p->stat);
}

/* Return 0 if a node of this type may be opened with flags. Only regular
 * files and directories are ever opened: a symlink fails with ELOOP (as
 * open with O_NOFOLLOW does) and FIFOs, sockets and devices fail with
 * EACCES, so the sentry can never make the gofer block on a FIFO or touch
 * a host device. */
static int check_open(const struct gofer_server *s, const struct gofer_node *n,
		      uint32_t flags)
{
	uint32_t acc = flags & O_ACCMODE;
	bool writes = acc != O_RDONLY || (flags & O_TRUNC);

	if ((flags & ~(uint32_t)OPEN_ALLOWED) || acc == O_ACCMODE)
		return -EINVAL;
	if (S_ISLNK(n->type))
		return -ELOOP;
	if (!S_ISREG(n->type) && !S_ISDIR(n->type))
		return -EACCES;
	if ((flags & O_DIRECTORY) && !S_ISDIR(n->type))
		return -ENOTDIR;
	if (S_ISDIR(n->type) && writes)
		return -EISDIR;
	if (writes && s->mounts[n->mount].readonly)
		return -EROFS;
	return 0;
}

int gofer_op_open(const struct gofer_server *s, const struct gofer_request *q,
		  struct gofer_reply *p, int *hostfd)
{
	struct gofer_node *n;
	int err, fd;

	err = gofer_lookup(q->fid, &n);
	if (err)
		return err;
	err = check_open(s, n, q->flags);
	if (err)
		return err;
	fd = gofer_reopen(s, n, q->flags);
	if (fd < 0)
		return fd;
	*hostfd = fd;
	return 0;
}

int gofer_op_readlink(const struct gofer_server *s,
		      const struct gofer_request *q, struct gofer_reply *p)
{
	struct gofer_node *n;
	ssize_t len;
	int err;

	err = gofer_lookup(q->fid, &n);
	if (err)
		return err;
	if (!S_ISLNK(n->type))
		return -EINVAL;
	len = readlinkat(n->fd, "", p->target, sizeof(p->target));
	if (len < 0)
		return neg_errno();
	if ((size_t)len > GOFER_MAX_TARGET)
		return -ENAMETOOLONG;
	p->target_len = len;
	return 0;
}

int gofer_op_statfs(const struct gofer_server *s, const struct gofer_request *q,
		    struct gofer_reply *p)
{
	struct gofer_node *n;
	int err = gofer_lookup(q->fid, &n);

	if (err)
		return err;
	if (fstatfs(n->fd, &p->statfs) < 0)
		return neg_errno();
	return 0;
}

/* The getdents reply's entries; static because it is large and the
 * server handles one request at a time. */
static struct gofer_dirent dirents[GOFER_MAX_DIRENTS];

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Copy host entries from buf into p->ents, skipping "." and "..", while
 * they fit in max entries and *budget payload bytes. Returns false once
 * the reply is full. */
static bool add_entries(const char *buf, long len, struct gofer_reply *p,
			uint32_t max, size_t *budget)
{
	for (long pos = 0; pos < len;) {
		const struct linux_dirent64 *d = (const void *)(buf + pos);
		size_t name_len = strnlen(d->d_name, NAME_MAX + 1);
		struct gofer_dirent *e;

		pos += d->d_reclen;
		if (!gofer_name_valid(d->d_name, name_len))
			continue;
		if (p->nents == max || *budget < GOFER_DIRENT_FIXED + name_len)
			return false;
		*budget -= GOFER_DIRENT_FIXED + name_len;
		e = &p->ents[p->nents++];
		e->ino = d->d_ino;
		e->next_offset = d->d_off;
		e->type = d->d_type;
		memcpy(e->name, d->d_name, name_len + 1);
	}
	return true;
}

int gofer_op_getdents(const struct gofer_server *s,
		      const struct gofer_request *q, struct gofer_reply *p)
{
	/* The payload holds the errno and the count before the entries. */
	size_t budget = GOFER_MAX_PAYLOAD - 8;
	uint32_t max = MIN(q->count, GOFER_MAX_DIRENTS);
	_cleanup_close_ int fd = -1;
	struct gofer_node *dir;
	char buf[8192];
	int err;

	err = gofer_lookup_dir(s, q->fid, false, &dir);
	if (err)
		return err;
	if (q->count == 0)
		return -EINVAL;
	fd = gofer_reopen(s, dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	if (q->offset > INT64_MAX ||
	    lseek(fd, (off_t)q->offset, SEEK_SET) == (off_t)-1)
		return q->offset > INT64_MAX ? -EINVAL : neg_errno();
	p->ents = dirents;
	p->nents = 0;
	/* Host entries read but not returned are read again by the next
	 * request, which continues from the last returned entry's offset. */
	for (;;) {
		long len = syscall(SYS_getdents64, fd, buf, sizeof(buf));

		if (len < 0)
			return neg_errno();
		if (len == 0 || !add_entries(buf, len, p, max, &budget))
			return 0;
	}
}
