/* The sentry's side of the gofer protocol (see gofer_client.h and
 * common/gofer_proto.h). Every reply is checked before use: its type and
 * tag must match the request, its errno must be in 1..4095, and it must
 * carry exactly one FD when the operation returns one and none otherwise. */
#include "sentry/gofer_client.h"
#include "common/gofer_proto.h"
#include "common/log.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

/* Max FDs accepted from one reply; more than one is a protocol error, but
 * room for a few lets the client see and close extra FDs. */
#define MAX_REPLY_FDS 4

struct gofer_conn {
	int fd;
	pthread_mutex_t lock; /* guards every field below */
	uint32_t next_tag;
	bool broken; /* the socket failed: every call returns -EIO */
	struct gofer_request req;
	struct gofer_reply rep;
	uint8_t buf[GOFER_MAX_MESSAGE];
};

struct gofer_conn *gofer_connect(int fd)
{
	struct gofer_conn *c = xcalloc(1, sizeof(*c));

	c->fd = fd;
	c->next_tag = 1;
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void gofer_disconnect(struct gofer_conn *c)
{
	if (!c)
		return;
	close(c->fd);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* Start a request of type: clear the request and reply under the lock. */
static struct gofer_request *begin(struct gofer_conn *c, uint16_t type)
{
	pthread_mutex_lock(&c->lock);
	memset(&c->req, 0, sizeof(c->req));
	c->req.type = type;
	/* Only gofer_getdents lends an entry array to the decoder. */
	c->rep.ents = NULL;
	c->rep.max_ents = 0;
	return &c->req;
}

static int end(struct gofer_conn *c, int ret)
{
	pthread_mutex_unlock(&c->lock);
	return ret;
}

static int send_request(struct gofer_conn *c)
{
	int len = gofer_encode_request(&c->req, c->buf);

	if (len < 0)
		return len;
	while (send(c->fd, c->buf, len, MSG_NOSIGNAL) < 0) {
		if (errno == EINTR)
			continue;
		log_error("sending a gofer request failed: %s",
			  strerror(errno));
		c->broken = true;
		return -EIO;
	}
	return 0;
}

/* Collect the SCM_RIGHTS FDs of msg into fds. Returns their count; FDs
 * past MAX_REPLY_FDS are closed at once but still counted. */
static int collect_fds(struct msghdr *msg, int *fds)
{
	int n = 0;

	for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm;
	     cm = CMSG_NXTHDR(msg, cm)) {
		size_t bytes;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		bytes = cm->cmsg_len - CMSG_LEN(0);
		for (size_t i = 0; i + sizeof(int) <= bytes; i += sizeof(int)) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i, sizeof(int));
			if (n < MAX_REPLY_FDS)
				fds[n] = fd;
			else
				close(fd);
			n++;
		}
	}
	return n;
}

static void close_fds(int *fds, int n)
{
	for (int i = 0; i < MIN(n, MAX_REPLY_FDS); i++)
		close(fds[i]);
}

/* Receive one reply datagram into c->buf. Returns its length, with the
 * FDs it carried in fds and *nfds, or -EIO. */
static ssize_t recv_reply(struct gofer_conn *c, int *fds, int *nfds)
{
	char control[CMSG_SPACE(MAX_REPLY_FDS * sizeof(int))];
	struct iovec iov = {.iov_base = c->buf, .iov_len = sizeof(c->buf)};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control,
			     .msg_controllen = sizeof(control)};
	ssize_t n;

	do {
		n = recvmsg(c->fd, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	*nfds = n > 0 ? collect_fds(&msg, fds) : 0;
	if (n <= 0) {
		log_error("receiving a gofer reply failed: %s",
			  n == 0 ? "connection closed" : strerror(errno));
		c->broken = true;
		return -EIO;
	}
	if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		log_error("gofer reply truncated (flags %#x)", msg.msg_flags);
		close_fds(fds, *nfds);
		return -EIO;
	}
	return n;
}

/* Check the decoded reply against the request and the FD count. */
static int check_reply(struct gofer_conn *c, int nfds, bool wants_fd)
{
	struct gofer_reply *p = &c->rep;

	if (p->type != c->req.type || p->tag != c->req.tag) {
		log_error("gofer reply type %u tag %u does not match request "
			  "type %u tag %u",
			  p->type, p->tag, c->req.type, c->req.tag);
		return -EIO;
	}
	if (p->error > 4095) {
		log_error("gofer reply has invalid errno %u", p->error);
		return -EIO;
	}
	if (nfds != (wants_fd && p->error == 0 ? 1 : 0)) {
		log_error("gofer reply to type %u carries %d FDs", p->type,
			  nfds);
		return -EIO;
	}
	return p->error ? -(int)p->error : 0;
}

/* Send c->req and receive c->rep. On success with wants_fd, the reply's
 * FD is stored in *hostfd. */
static int transact(struct gofer_conn *c, bool wants_fd, int *hostfd)
{
	int fds[MAX_REPLY_FDS];
	int nfds = 0;
	ssize_t len;
	int err;

	if (c->broken)
		return -EIO;
	c->req.tag = c->next_tag++;
	err = send_request(c);
	if (err)
		return err;
	len = recv_reply(c, fds, &nfds);
	if (len < 0)
		return (int)len;
	err = gofer_decode_reply(c->buf, len, &c->rep);
	if (err) {
		log_error("invalid gofer reply (%zd bytes): %s", len,
			  strerror(-err));
		err = -EIO;
	} else {
		err = check_reply(c, nfds, wants_fd);
	}
	if (err || !wants_fd) {
		close_fds(fds, nfds);
		return err;
	}
	*hostfd = fds[0];
	return 0;
}

/* Copy a single path component into dst, rejecting what the gofer
 * would reject anyway so the error is cheap and identical. */
static int copy_name(char *dst, const char *name)
{
	size_t len = strnlen(name, NAME_MAX + 1);

	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	if (!gofer_name_valid(name, len))
		return -EINVAL;
	memcpy(dst, name, len + 1);
	return 0;
}

/* Copy the new node's fid and stat from a reply. */
static int take_node(struct gofer_conn *c, int err, gofer_fid_t *out,
		     struct gofer_stat *st)
{
	if (err)
		return err;
	*out = c->rep.fid;
	if (st)
		*st = c->rep.stat;
	return 0;
}

int gofer_attach(struct gofer_conn *c, uint32_t index, gofer_fid_t *root,
		 struct gofer_stat *st)
{
	struct gofer_request *q = begin(c, GOFER_ATTACH);

	q->index = index;
	return end(c, take_node(c, transact(c, false, NULL), root, st));
}

int gofer_walk(struct gofer_conn *c, gofer_fid_t dir, const char *name,
	       gofer_fid_t *out, struct gofer_stat *st)
{
	struct gofer_request *q = begin(c, GOFER_WALK);
	int err;

	q->fid = dir;
	err = copy_name(q->name, name);
	if (!err)
		err = transact(c, false, NULL);
	return end(c, take_node(c, err, out, st));
}

int gofer_clunk(struct gofer_conn *c, gofer_fid_t fid)
{
	struct gofer_request *q = begin(c, GOFER_CLUNK);

	q->fid = fid;
	return end(c, transact(c, false, NULL));
}

int gofer_getattr(struct gofer_conn *c, gofer_fid_t fid, struct gofer_stat *st)
{
	struct gofer_request *q = begin(c, GOFER_GETATTR);
	int err;

	q->fid = fid;
	err = transact(c, false, NULL);
	if (!err)
		*st = c->rep.stat;
	return end(c, err);
}

int gofer_open(struct gofer_conn *c, gofer_fid_t fid, int flags, int *hostfd)
{
	struct gofer_request *q = begin(c, GOFER_OPEN);

	q->fid = fid;
	q->flags = (uint32_t)flags;
	return end(c, transact(c, true, hostfd));
}

int gofer_create(struct gofer_conn *c, gofer_fid_t dir, const char *name,
		 int flags, uint32_t mode, uint32_t uid, uint32_t gid,
		 gofer_fid_t *out, struct gofer_stat *st, int *hostfd)
{
	struct gofer_request *q = begin(c, GOFER_CREATE);
	int err;

	q->fid = dir;
	q->flags = (uint32_t)flags;
	q->mode = mode;
	q->uid = uid;
	q->gid = gid;
	err = copy_name(q->name, name);
	if (!err)
		err = transact(c, true, hostfd);
	return end(c, take_node(c, err, out, st));
}

/* mkdir and mknod share one layout. */
static int make_node(struct gofer_conn *c, uint16_t type, gofer_fid_t dir,
		     const char *name, uint32_t mode, uint32_t uid,
		     uint32_t gid, gofer_fid_t *out, struct gofer_stat *st)
{
	struct gofer_request *q = begin(c, type);
	int err;

	q->fid = dir;
	q->mode = mode;
	q->uid = uid;
	q->gid = gid;
	err = copy_name(q->name, name);
	if (!err)
		err = transact(c, false, NULL);
	return end(c, take_node(c, err, out, st));
}

int gofer_mkdir(struct gofer_conn *c, gofer_fid_t dir, const char *name,
		uint32_t mode, uint32_t uid, uint32_t gid, gofer_fid_t *out,
		struct gofer_stat *st)
{
	return make_node(c, GOFER_MKDIR, dir, name, mode, uid, gid, out, st);
}

int gofer_mknod(struct gofer_conn *c, gofer_fid_t dir, const char *name,
		uint32_t mode, uint32_t uid, uint32_t gid, gofer_fid_t *out,
		struct gofer_stat *st)
{
	return make_node(c, GOFER_MKNOD, dir, name, mode, uid, gid, out, st);
}

int gofer_symlink(struct gofer_conn *c, gofer_fid_t dir, const char *name,
		  const char *target, uint32_t uid, uint32_t gid,
		  gofer_fid_t *out, struct gofer_stat *st)
{
	struct gofer_request *q = begin(c, GOFER_SYMLINK);
	size_t len = strnlen(target, GOFER_MAX_TARGET + 1);
	int err;

	q->fid = dir;
	q->uid = uid;
	q->gid = gid;
	if (len > GOFER_MAX_TARGET)
		return end(c, -ENAMETOOLONG);
	memcpy(q->target, target, len + 1);
	err = copy_name(q->name, name);
	if (!err)
		err = transact(c, false, NULL);
	return end(c, take_node(c, err, out, st));
}

int gofer_link(struct gofer_conn *c, gofer_fid_t dir, const char *name,
	       gofer_fid_t target)
{
	struct gofer_request *q = begin(c, GOFER_LINK);
	int err;

	q->fid = dir;
	q->fid2 = target;
	err = copy_name(q->name, name);
	if (!err)
		err = transact(c, false, NULL);
	return end(c, err);
}

int gofer_unlink(struct gofer_conn *c, gofer_fid_t dir, const char *name,
		 int flags)
{
	struct gofer_request *q = begin(c, GOFER_UNLINK);
	int err;

	q->fid = dir;
	q->flags = (uint32_t)flags;
	err = copy_name(q->name, name);
	if (!err)
		err = transact(c, false, NULL);
	return end(c, err);
}

int gofer_rename(struct gofer_conn *c, gofer_fid_t olddir, const char *oldname,
		 gofer_fid_t newdir, const char *newname)
{
	struct gofer_request *q = begin(c, GOFER_RENAME);
	int err;

	q->fid = olddir;
	q->fid2 = newdir;
	err = copy_name(q->name, oldname);
	if (!err)
		err = copy_name(q->name2, newname);
	if (!err)
		err = transact(c, false, NULL);
	return end(c, err);
}

int gofer_readlink(struct gofer_conn *c, gofer_fid_t fid, char *buf,
		   size_t size)
{
	struct gofer_request *q = begin(c, GOFER_READLINK);
	size_t n;
	int err;

	q->fid = fid;
	err = transact(c, false, NULL);
	if (err)
		return end(c, err);
	/* Like readlink(2), a short buffer truncates the target. */
	n = MIN(size, (size_t)c->rep.target_len);
	memcpy(buf, c->rep.target, n);
	return end(c, (int)n);
}

int gofer_getdents(struct gofer_conn *c, gofer_fid_t dir, uint64_t offset,
		   struct gofer_dirent *ents, int max)
{
	struct gofer_request *q;
	int err;

	if (max <= 0)
		return -EINVAL;
	q = begin(c, GOFER_GETDENTS);
	q->fid = dir;
	q->offset = offset;
	/* The gofer returns fewer when the reply would exceed the message
	 * size, never more than count. */
	q->count = (uint32_t)MIN(max, GOFER_MAX_DIRENTS);
	c->rep.ents = ents;
	c->rep.max_ents = q->count;
	err = transact(c, false, NULL);
	return end(c, err ? err : (int)c->rep.nents);
}

int gofer_setattr(struct gofer_conn *c, gofer_fid_t fid,
		  const struct gofer_setattr *attr)
{
	struct gofer_request *q = begin(c, GOFER_SETATTR);

	q->fid = fid;
	q->attr = *attr;
	return end(c, transact(c, false, NULL));
}

int gofer_statfs(struct gofer_conn *c, gofer_fid_t fid, struct statfs *st)
{
	struct gofer_request *q = begin(c, GOFER_STATFS);
	int err;

	q->fid = fid;
	err = transact(c, false, NULL);
	if (!err)
		*st = c->rep.statfs;
	return end(c, err);
}
