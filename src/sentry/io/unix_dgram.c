/* Datagrams between AF_UNIX sockets: sendto(2) to a name, and connect(2)
 * of a datagram socket.
 *
 * Each socket(2) datagram socket reads from one end of a host SOCK_DGRAM
 * pair, and every sender writes to the other end (dgram_wr), so the
 * host keeps the queue, its limit and its readiness. A host datagram is
 * a struct unix_dgram_hdr with the sender's name followed by the data,
 * which recvfrom(2) splits again (socket.c).
 *
 * NOTE: the host limits a pair's queue by its send buffer only, so a
 * socket queues more datagrams than Linux's net.unix.max_dgram_qlen
 * before a sender gets EAGAIN or blocks.
 */
#include <errno.h>
#include <string.h>

#include "common/util.h"
#include "sentry/io/io_internal.h"
#include "sentry/io/scm_rights.h"
#include "sentry/io/socket.h"
#include "sentry/io/unix_socket.h"
#include "sentry/syscall.h"
#include "sentry/wait.h"

/* May sender send to target? Linux's unix_may_send: a connected
 * datagram socket accepts datagrams only from its peer. */
static bool may_send(struct unix_sock *target, struct unix_sock *sender)
{
	return !target->peer || target->peer == sender;
}

/* The destination of a datagram from us (may be NULL for a socketpair
 * end), as a reference. */
static long dgram_target(struct task *t, struct unix_sock *us, const void *dest,
			 socklen_t destlen, struct unix_sock **out)
{
	struct unix_addr addr;
	long ret;

	*out = NULL;
	if (dest) {
		ret = unix_addr_parse(dest, destlen, &addr);
		if (ret == 0)
			ret = unix_find(t, &addr, SOCK_DGRAM, out);
		if (ret < 0)
			return ret;
		pthread_mutex_lock(&unix_lock);
		if (!may_send(*out, us))
			ret = -EPERM;
		pthread_mutex_unlock(&unix_lock);
		if (ret < 0) {
			unix_sock_put(*out);
			*out = NULL;
		}
		return ret;
	}

	pthread_mutex_lock(&unix_lock);
	if (!us || !us->peer) {
		ret = -ENOTCONN;
	} else if (us->peer->dead) {
		/* Linux disconnects from a closed peer and reports it once. */
		unix_sock_put_locked(us->peer);
		us->peer = NULL;
		us->state = UNIX_UNCONNECTED;
		us->peer_addr.len = 0;
		ret = -ECONNREFUSED;
	} else {
		unix_sock_get(us->peer);
		*out = us->peer;
		ret = 0;
	}
	pthread_mutex_unlock(&unix_lock);
	return ret;
}

long unix_dgram_send(struct task *t, struct file *f, const void *dest,
		     socklen_t destlen, const void *buf, size_t len, int flags,
		     struct scm_batch *batch)
{
	struct sock_info *si = file_sock(f);
	struct unix_sock *us = si->usock, *target;
	struct unix_dgram_hdr hdr = {0};
	long ret;

	if (us) {
		pthread_mutex_lock(&unix_lock);
		bool shut = us->shut_wr;
		pthread_mutex_unlock(&unix_lock);
		if (shut) {
			scm_batch_free(batch);
			if (!(flags & MSG_NOSIGNAL))
				send_signal_to_task(t, SIGPIPE, SI_USER);
			return -EPIPE;
		}
	}
	ret = dgram_target(t, us, dest, destlen, &target);
	if (ret < 0) {
		scm_batch_free(batch);
		return ret;
	}

	pthread_mutex_lock(&unix_lock);
	if (us)
		hdr.from = us->addr;
	pthread_mutex_unlock(&unix_lock);
	hdr.pid = t->tg->tgid;
	hdr.uid = t->cred.euid;
	hdr.gid = t->cred.egid;

	/* The target's reference keeps dgram_wr open. A target closed
	 * meanwhile makes the host send fail with ECONNREFUSED. */
	ret = sock_send_to(t, f, target->dgram_wr, target->dgram_pair, 0, &hdr,
			   sizeof(hdr), buf, len, flags & ~MSG_NOSIGNAL, batch);
	if (ret >= 0)
		ret -= sizeof(hdr);
	unix_sock_put(target);
	return ret;
}

long unix_dgram_connect(struct task *t, struct unix_sock *us,
			const struct unix_addr *addr, bool unspec)
{
	struct unix_sock *target = NULL, *old;
	long ret = 0;

	if (!unspec) {
		ret = unix_find(t, addr, SOCK_DGRAM, &target);
		if (ret < 0)
			return ret;
	}
	pthread_mutex_lock(&unix_lock);
	if (target && !may_send(target, us)) {
		unix_sock_put_locked(target);
		pthread_mutex_unlock(&unix_lock);
		return -EPERM;
	}
	old = us->peer;
	us->peer = target;
	us->state = target ? UNIX_CONNECTED : UNIX_UNCONNECTED;
	us->peer_addr = target ? target->addr : (struct unix_addr){0};
	if (old)
		unix_sock_put_locked(old);
	pthread_mutex_unlock(&unix_lock);
	return 0;
}
