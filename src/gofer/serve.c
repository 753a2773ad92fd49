/* The gofer's request loop: receive one datagram, decode it, run the
 * operation, send one reply. Nothing the sentry sends can stop the loop: a
 * message with a readable header (16 bytes, right magic) that is otherwise
 * invalid gets an error reply, and anything shorter or with another magic
 * is dropped, because it has no tag to reply to. */
#include "gofer/gofer.h"
#include "common/log.h"
#include "common/util.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

/* One request is handled at a time, so the buffers can be static; they are
 * too large for the stack. The input buffer has one spare byte so an
 * oversized message is seen as MSG_TRUNC. */
static uint8_t in_buf[GOFER_MAX_MESSAGE + 1];
static uint8_t out_buf[GOFER_MAX_MESSAGE];
static struct gofer_request req;
static struct gofer_reply rep;
/* Malformed messages so far; logging is rate-limited by this count so a
 * hostile sentry cannot flood the log. */
static unsigned long malformed;

static bool log_malformed(void)
{
	malformed++;
	return malformed <= 100 || malformed % 1000 == 0;
}

static const char *type_name(uint16_t type)
{
	static const char *const names[GOFER_TYPE_END] = {
	    [GOFER_ATTACH] = "attach",	   [GOFER_WALK] = "walk",
	    [GOFER_CLUNK] = "clunk",	   [GOFER_GETATTR] = "getattr",
	    [GOFER_OPEN] = "open",	   [GOFER_CREATE] = "create",
	    [GOFER_MKDIR] = "mkdir",	   [GOFER_MKNOD] = "mknod",
	    [GOFER_SYMLINK] = "symlink",   [GOFER_LINK] = "link",
	    [GOFER_UNLINK] = "unlink",	   [GOFER_RENAME] = "rename",
	    [GOFER_READLINK] = "readlink", [GOFER_GETDENTS] = "getdents",
	    [GOFER_SETATTR] = "setattr",   [GOFER_STATFS] = "statfs",
	};

	if (type == 0 || type >= GOFER_TYPE_END)
		return "unknown";
	return names[type];
}

static int dispatch(const struct gofer_server *s, int *hostfd)
{
	switch (req.type) {
	case GOFER_ATTACH:
		return gofer_op_attach(s, &req, &rep);
	case GOFER_WALK:
		return gofer_op_walk(s, &req, &rep);
	case GOFER_CLUNK:
		return gofer_op_clunk(s, &req, &rep);
	case GOFER_GETATTR:
		return gofer_op_getattr(s, &req, &rep);
	case GOFER_OPEN:
		return gofer_op_open(s, &req, &rep, hostfd);
	case GOFER_CREATE:
		return gofer_op_create(s, &req, &rep, hostfd);
	case GOFER_MKDIR:
		return gofer_op_mkdir(s, &req, &rep);
	case GOFER_MKNOD:
		return gofer_op_mknod(s, &req, &rep);
	case GOFER_SYMLINK:
		return gofer_op_symlink(s, &req, &rep);
	case GOFER_LINK:
		return gofer_op_link(s, &req, &rep);
	case GOFER_UNLINK:
		return gofer_op_unlink(s, &req, &rep);
	case GOFER_RENAME:
		return gofer_op_rename(s, &req, &rep);
	case GOFER_READLINK:
		return gofer_op_readlink(s, &req, &rep);
	case GOFER_GETDENTS:
		return gofer_op_getdents(s, &req, &rep);
	case GOFER_SETATTR:
		return gofer_op_setattr(s, &req, &rep);
	case GOFER_STATFS:
		return gofer_op_statfs(s, &req, &rep);
	}
	moat_bug(__FILE__, __LINE__,
		 "request type not rejected by the decoder");
}

/* Send rep, with hostfd attached as SCM_RIGHTS when it is >= 0. */
static int send_reply(int sock, int hostfd)
{
	char control[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = out_buf};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	int len = gofer_encode_reply(&rep, out_buf);

	/* Every reply is built from validated fields and fits the message
	 * limit (getdents counts its bytes), so encoding cannot fail. */
	BUG_ON(len < 0);
	iov.iov_len = len;
	if (hostfd >= 0) {
		struct cmsghdr *c;

		msg.msg_control = control;
		msg.msg_controllen = sizeof(control);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &hostfd, sizeof(int));
	}
	while (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) {
		if (errno != EINTR)
			return neg_errno();
	}
	return 0;
}

/* Return true if the sentry has closed its end. A zero-byte read is
 * either that or an empty datagram, which is dropped. */
static bool peer_closed(int sock)
{
	struct pollfd p = {.fd = sock, .events = POLLIN | POLLRDHUP};

	if (poll(&p, 1, 0) < 0)
		return true;
	return p.revents & (POLLHUP | POLLRDHUP | POLLERR);
}

/* Decode the message and run it. Returns 1 if a reply is due, 0 to drop
 * the message. */
static int handle(const struct gofer_server *s, size_t len, int msg_flags,
		  int *hostfd)
{
	struct gofer_header h;
	int err;

	memset(&rep, 0, sizeof(rep));
	/* decode_header fills h even when it returns an error. */
	gofer_decode_header(in_buf, MIN(len, GOFER_HEADER_SIZE), &h);
	if (len < GOFER_HEADER_SIZE || h.magic != GOFER_MAGIC) {
		if (log_malformed())
			log_warn("dropped a %zu-byte message without a valid "
				 "header (%lu malformed so far)",
				 len, malformed);
		return 0;
	}
	if (msg_flags & MSG_TRUNC) {
		req.type = h.type;
		req.tag = h.tag;
		err = -EMSGSIZE;
	} else {
		err = gofer_decode_request(in_buf, len, &req);
	}
	if (!err && (msg_flags & MSG_CTRUNC))
		err = -EBADMSG; /* the sentry never sends FDs */
	rep.type = req.type & ~GOFER_REPLY;
	rep.tag = req.tag;
	if (err) {
		rep.error = -err;
		if (log_malformed())
			log_warn("rejected malformed request type %u tag %u "
				 "(%zu bytes, %lu malformed so far): %s",
				 req.type, req.tag, len, malformed,
				 strerror(-err));
		return 1;
	}
	err = dispatch(s, hostfd);
	if (err) {
		BUG_ON(err < -4095 || *hostfd >= 0);
		rep.error = -err;
		log_debug("%s request tag %u fid %u failed: %s",
			  type_name(req.type), req.tag, req.fid,
			  strerror(-err));
	}
	return 1;
}

static int serve_loop(const struct gofer_server *s)
{
	for (;;) {
		struct iovec iov = {.iov_base = in_buf,
				    .iov_len = sizeof(in_buf)};
		struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
		_cleanup_close_ int hostfd = -1;
		ssize_t n;
		int err;

		/* No control buffer: any FD the sentry attaches is closed
		 * by the kernel and flagged with MSG_CTRUNC. */
		n = recvmsg(s->sock, &msg, MSG_CMSG_CLOEXEC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = neg_errno();
			log_error("receiving a request failed: %s",
				  strerror(-err));
			return err;
		}
		if (n == 0 && peer_closed(s->sock))
			return 0;
		if (!handle(s, n, msg.msg_flags, &hostfd))
			continue;
		err = send_reply(s->sock, hostfd);
		if (err == -EPIPE || err == -ECONNRESET)
			return 0;
		if (err) {
			log_error("sending the reply to tag %u failed: %s",
				  rep.tag, strerror(-err));
			return err;
		}
	}
}

int gofer_serve(int sock, int proc_fd, const struct gofer_mount *mounts,
		uint32_t nmounts)
{
	struct gofer_server s = {.sock = sock,
				 .proc_fd = proc_fd,
				 .mounts = mounts,
				 .nmounts = nmounts};
	int type = 0;
	socklen_t type_len = sizeof(type);
	int err;

	if (getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &type_len) < 0 ||
	    type != SOCK_SEQPACKET) {
		log_error("the sentry socket (FD %d) is not an AF_UNIX "
			  "SOCK_SEQPACKET socket",
			  sock);
		return -EPROTOTYPE;
	}
	/* Modes from the sentry already include the sandbox's umask. */
	umask(0);
	log_info("serving %u mounts on FD %d", nmounts, sock);
	err = serve_loop(&s);
	gofer_fid_clear_all();
	log_info("stopped serving: %s", err ? strerror(-err)
					    : "sentry closed "
					      "the connection");
	return err;
}
