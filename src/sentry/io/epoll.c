/* epoll_create(2), epoll_create1(2), epoll_ctl(2), epoll_wait(2),
 * epoll_pwait(2) and epoll_pwait2(2).
 *
 * The sentry keeps each guest epoll's interest list, keyed by (fd, file)
 * as Linux keys it, and backs the instance with a host epoll FD (the
 * file's host_fd). Every item whose file has a host FD to poll
 * (f_op->host_poll_fd) is registered in the host epoll through its own
 * dup of that FD, so the host kernel provides level- and edge-triggered
 * reporting, EPOLLONESHOT and EPOLLEXCLUSIVE for it. The dup lets one
 * host FD appear under several guest FDs, as Linux allows for dup()ed
 * FDs. The host epoll FD is also the guest epoll's own host_poll_fd, so
 * poll, select and an outer epoll wait on it directly.
 *
 * Files with in-sentry readiness (f_op->poll: signalfd, the HUP and ERR
 * states of FIFOs, nested epolls) are evaluated by the sentry at every
 * wait. Their edge-triggered mode is approximate: an event is reported
 * when a readiness bit appears that the last evaluation did not see.
 *
 * An item holds a reference to its file. Linux drops an item when the
 * last reference to its file goes. Here the item is dropped at the next
 * epoll_ctl or epoll_wait on its epoll once only epoll items still
 * reference the file (see epoll_prune).
 * NOTE: until then the file stays open, so closing the last FD of a
 * socket that a blocked epoll_wait watches delays the peer's EOF until
 * that wait returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/fs/fs.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/wait.h"

/* Linux's EP_MAX_EVENTS. */
#define EP_MAX_EVENTS (INT_MAX / sizeof(struct epoll_event))
/* The event bits EPOLLEXCLUSIVE may be combined with (Linux's
 * EPOLLEXCLUSIVE_OK_BITS). */
#define EPOLLEXCLUSIVE_OK_BITS                                                 \
	(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET |    \
	 EPOLLEXCLUSIVE)
/* Flag bits of an item, as opposed to readiness bits. */
#define EP_FLAG_BITS (EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP)

struct epitem {
	struct epitem *next;
	int fd;
	struct file *file; /* reference */
	/* Dup of the file's host_poll_fd, registered in the host epoll
	 * with this item as its data, or -1. */
	int host_fd;
	uint32_t events; /* as the guest requested, plus EPOLLERR|EPOLLHUP */
	uint64_t data;
	/* The sentry evaluates the file's f_op->poll (or, for a file with
	 * no way to poll, DEFAULT_POLLMASK) at each wait. */
	bool local;
	/* An EPOLLONESHOT item already reported; EPOLL_CTL_MOD rearms it. */
	bool disarmed;
	/* EPOLLET: the in-sentry readiness at the last evaluation. */
	uint32_t last_ready;
	/* Index in the events being collected, or -1. */
	int slot;
};

/* A guest epoll instance (the file's private_data). lock protects the
 * item list and every field of its items. Lock order: an outer epoll's
 * lock before the lock of an epoll it contains (the host rejects cycles
 * with ELOOP), and any epoll lock before epoll_refs_lock. */
struct eventpoll {
	pthread_mutex_t lock;
	struct epitem *items;
	int nitems;
	int nhost; /* items registered in the host epoll */
};

static const struct file_operations epoll_fops;

static bool file_is_epoll(struct file *f)
{
	return f->f_op == &epoll_fops;
}

/* ---- epoll references per file ----
 *
 * The number of epoll items that reference each file, so epoll_prune can
 * tell a file that only epoll items keep alive. */

#define EPOLL_REFS_BUCKETS 256

struct epoll_ref {
	struct epoll_ref *next;
	struct file *file;
	int count;
};

static pthread_mutex_t epoll_refs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct epoll_ref *epoll_refs[EPOLL_REFS_BUCKETS]; /* epoll_refs_lock */

static struct epoll_ref **epoll_ref_slot(struct file *f)
{
	uintptr_t h = (uintptr_t)f >> 4;
	struct epoll_ref **slot =
	    &epoll_refs[(h ^ (h >> 8)) % EPOLL_REFS_BUCKETS];

	while (*slot && (*slot)->file != f)
		slot = &(*slot)->next;
	return slot;
}

static void epoll_ref_add(struct file *f)
{
	pthread_mutex_lock(&epoll_refs_lock);
	struct epoll_ref **slot = epoll_ref_slot(f);
	if (!*slot) {
		*slot = xcalloc(1, sizeof(**slot));
		(*slot)->file = f;
	}
	(*slot)->count++;
	pthread_mutex_unlock(&epoll_refs_lock);
}

static void epoll_ref_del(struct file *f)
{
	pthread_mutex_lock(&epoll_refs_lock);
	struct epoll_ref **slot = epoll_ref_slot(f);
	struct epoll_ref *ref = *slot;
	BUG_ON(!ref);
	if (--ref->count == 0) {
		*slot = ref->next;
		free(ref);
	}
	pthread_mutex_unlock(&epoll_refs_lock);
}

/* Is f referenced only by epoll items, so no FD of any process can reach
 * it? A reference held by a syscall in progress makes this false. */
static bool file_only_in_epolls(struct file *f)
{
	int refs;

	pthread_mutex_lock(&epoll_refs_lock);
	struct epoll_ref *ref = *epoll_ref_slot(f);
	refs = __atomic_load_n(&f->refcount, __ATOMIC_ACQUIRE);
	bool only = ref && refs <= ref->count;
	pthread_mutex_unlock(&epoll_refs_lock);
	return only;
}

/* ---- items ---- */

/* The in-sentry readiness of an item's file. */
static unsigned epitem_local_poll(struct epitem *it)
{
	struct file *f = it->file;

	if (f->f_op->poll)
		return f->f_op->poll(f);
	return DEFAULT_POLLMASK;
}

/* The events of a local item to report now, without changing its state:
 * the ready bits it asked for, or none for an edge-triggered item whose
 * bits were all seen by the last evaluation. */
static uint32_t epitem_local_ready(struct epitem *it)
{
	uint32_t ready;

	if (!it->local || it->disarmed)
		return 0;
	ready = epitem_local_poll(it) & it->events & ~EP_FLAG_BITS;
	if ((it->events & EPOLLET) && !(ready & ~it->last_ready))
		return 0;
	return ready;
}

/* Register or update the item in the host epoll: events 0 disables it
 * until the next update. */
static int epitem_host_ctl(struct file *epf, struct epitem *it, int op,
			   uint32_t events)
{
	struct epoll_event ev = {.events = events & ~EPOLLWAKEUP,
				 .data.ptr = it};

	if (epoll_ctl(epf->host_fd, op, it->host_fd, &ev) < 0)
		return neg_errno();
	return 0;
}

/* Unlink and free *link, dropping its host registration and file
 * reference (lock held). */
static void epitem_remove(struct file *epf, struct epitem **link)
{
	struct eventpoll *ep = epf->private_data;
	struct epitem *it = *link;

	*link = it->next;
	ep->nitems--;
	if (it->host_fd >= 0) {
		epoll_ctl(epf->host_fd, EPOLL_CTL_DEL, it->host_fd, NULL);
		close(it->host_fd);
		ep->nhost--;
	}
	epoll_ref_del(it->file);
	file_put(it->file);
	free(it);
}

/* Drop the items whose files no FD refers to any more (lock held). */
static void epoll_prune(struct file *epf)
{
	struct eventpoll *ep = epf->private_data;
	struct epitem **link = &ep->items;

	while (*link) {
		if (file_only_in_epolls((*link)->file))
			epitem_remove(epf, link);
		else
			link = &(*link)->next;
	}
}

static struct epitem **epoll_find(struct eventpoll *ep, int fd, struct file *f)
{
	struct epitem **link = &ep->items;

	while (*link && ((*link)->fd != fd || (*link)->file != f))
		link = &(*link)->next;
	return link;
}

static int epoll_insert(struct file *epf, int fd, struct file *f,
			const struct epoll_event *ev)
{
	struct eventpoll *ep = epf->private_data;
	struct epitem *it = xcalloc(1, sizeof(*it));
	int hostfd = f->f_op->host_poll_fd ? f->f_op->host_poll_fd(f) : -1;

	it->fd = fd;
	it->file = f;
	it->host_fd = -1;
	it->events = ev->events | EPOLLERR | EPOLLHUP;
	it->data = ev->data.u64;
	it->local = f->f_op->poll || hostfd < 0;
	if (hostfd >= 0) {
		it->host_fd = fcntl(hostfd, F_DUPFD_CLOEXEC, 0);
		if (it->host_fd < 0) {
			int err = neg_errno();
			free(it);
			return err;
		}
		int err = epitem_host_ctl(epf, it, EPOLL_CTL_ADD, it->events);
		if (err < 0) {
			close(it->host_fd);
			free(it);
			return err;
		}
		ep->nhost++;
	}
	file_get(f);
	epoll_ref_add(f);
	it->next = ep->items;
	ep->items = it;
	ep->nitems++;
	return 0;
}

static int epoll_modify(struct file *epf, struct epitem *it,
			const struct epoll_event *ev)
{
	uint32_t events = ev->events | EPOLLERR | EPOLLHUP;

	if (it->host_fd >= 0) {
		int err = epitem_host_ctl(epf, it, EPOLL_CTL_MOD, events);
		if (err < 0)
			return err;
	}
	it->events = events;
	it->data = ev->data.u64;
	it->disarmed = false;
	it->last_ready = 0;
	return 0;
}

/* Can f be added to an epoll? Linux's file_can_poll: regular files and
 * directories cannot (EPERM). A host FD of a regular file is rejected by
 * the host epoll with EPERM as well. */
static bool epoll_can_add(struct file *f)
{
	if (f->f_inode &&
	    (S_ISREG(f->f_inode->mode) || S_ISDIR(f->f_inode->mode)))
		return false;
	return f->f_op->poll || f->f_op->host_poll_fd;
}

/* The checks of Linux's do_epoll_ctl after both FDs are known. */
static int epoll_ctl_check(struct file *epf, struct file *f, int op,
			   const struct epoll_event *ev)
{
	if (!epoll_can_add(f))
		return -EPERM;
	if (epf == f || !file_is_epoll(epf))
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD &&
		    (file_is_epoll(f) ||
		     (ev->events & ~EPOLLEXCLUSIVE_OK_BITS)))
			return -EINVAL;
	}
	return 0;
}

int epoll_ctl_file(struct file *epf, int op, int fd, struct file *f,
		   const struct epoll_event *event)
{
	struct epoll_event ev = *event;
	struct eventpoll *ep;
	struct epitem **link;
	int ret = epoll_ctl_check(epf, f, op, &ev);

	if (ret < 0)
		return ret;
	/* Linux drops EPOLLWAKEUP without CAP_BLOCK_SUSPEND; the sandbox
	 * never keeps the host awake. */
	ev.events &= ~EPOLLWAKEUP;

	ep = epf->private_data;
	pthread_mutex_lock(&ep->lock);
	epoll_prune(epf);
	link = epoll_find(ep, fd, f);
	switch (op) {
	case EPOLL_CTL_ADD:
		ret = *link ? -EEXIST : epoll_insert(epf, fd, f, &ev);
		break;
	case EPOLL_CTL_DEL:
		if (*link)
			epitem_remove(epf, link);
		else
			ret = -ENOENT;
		break;
	case EPOLL_CTL_MOD:
		if (!*link)
			ret = -ENOENT;
		else if ((*link)->events & EPOLLEXCLUSIVE)
			ret = -EINVAL;
		else
			ret = epoll_modify(epf, *link, &ev);
		break;
	default:
		ret = -EINVAL;
	}
	pthread_mutex_unlock(&ep->lock);
	return ret;
}

static long do_epoll_ctl(struct task *t, int epfd, int op, int fd,
			 uint64_t uevent)
{
	struct epoll_event ev = {0};
	_cleanup_file_ struct file *epf = NULL;
	_cleanup_file_ struct file *f = NULL;

	if (op != EPOLL_CTL_DEL &&
	    copy_from_user(t, &ev, uevent, sizeof(ev)) < 0)
		return -EFAULT;
	epf = fget(t, epfd);
	if (!epf)
		return -EBADF;
	f = fget(t, fd);
	if (!f)
		return -EBADF;
	return epoll_ctl_file(epf, op, fd, f, &ev);
}

/* ---- waiting ---- */

/* Collect up to max ready events into out without waiting (lock held).
 * Returns the count. */
static int epoll_collect(struct file *epf, struct epoll_event *out, int max)
{
	struct eventpoll *ep = epf->private_data;
	int n = 0;

	for (struct epitem *it = ep->items; it; it = it->next)
		it->slot = -1;

	if (ep->nhost > 0) {
		n = epoll_wait(epf->host_fd, out, MIN(max, ep->nhost), 0);
		if (n < 0)
			n = 0;
		for (int i = 0; i < n; i++) {
			struct epitem *it = out[i].data.ptr;

			it->slot = i;
			out[i].data.u64 = it->data;
			/* The host disarmed its part of a one-shot item. */
			if (it->events & EPOLLONESHOT)
				it->disarmed = true;
		}
	}

	for (struct epitem *it = ep->items; it; it = it->next) {
		if (!it->local || (it->disarmed && it->slot < 0))
			continue;
		uint32_t ready =
		    epitem_local_poll(it) & it->events & ~EP_FLAG_BITS;
		bool fresh =
		    !(it->events & EPOLLET) || (ready & ~it->last_ready);

		if (it->slot >= 0) {
			out[it->slot].events |= ready;
			it->last_ready = ready;
			continue;
		}
		if (!ready || !fresh) {
			it->last_ready = ready;
			continue;
		}
		/* Leave last_ready alone when there is no room, so the
		 * edge is reported by the next call. */
		if (n == max)
			continue;
		it->last_ready = ready;
		out[n].events = ready;
		out[n].data.u64 = it->data;
		n++;
		if (it->events & EPOLLONESHOT) {
			it->disarmed = true;
			if (it->host_fd >= 0)
				epitem_host_ctl(epf, it, EPOLL_CTL_MOD, 0);
		}
	}
	return n;
}

/* Does the epoll hold an item that can become ready without a host FD
 * event? */
static bool epoll_needs_recheck(struct file *epf)
{
	struct eventpoll *ep = epf->private_data;
	bool recheck = false;

	pthread_mutex_lock(&ep->lock);
	for (struct epitem *it = ep->items; it && !recheck; it = it->next)
		recheck = it->local && file_poll_needs_recheck(it->file);
	pthread_mutex_unlock(&ep->lock);
	return recheck;
}

bool file_poll_needs_recheck(struct file *f)
{
	if (file_is_epoll(f))
		return epoll_needs_recheck(f);
	if (!f->f_op->poll)
		return false;
	return !f->f_op->host_poll_fd || f->f_op->host_poll_fd(f) < 0;
}

int epoll_wait_file(struct task *t, struct file *epf, struct epoll_event *out,
		    int max, const struct timespec *deadline)
{
	struct eventpoll *ep = epf->private_data;

	for (;;) {
		struct pollfd pfd = {.fd = epf->host_fd, .events = POLLIN};
		const struct timespec *until = deadline;
		struct timespec slice;
		int n;

		pthread_mutex_lock(&ep->lock);
		epoll_prune(epf);
		n = epoll_collect(epf, out, max);
		pthread_mutex_unlock(&ep->lock);
		if (n > 0)
			return n;
		if (deadline_passed(deadline))
			return 0;
		if (epoll_needs_recheck(epf))
			until = recheck_deadline(deadline, &slice);
		if (task_poll_host(t, &pfd, 1, until) < 0)
			return -EINTR;
	}
}

static long do_epoll_wait(struct task *t, int epfd, uint64_t uevents,
			  int maxevents, const struct timespec *deadline)
{
	_cleanup_file_ struct file *epf = NULL;
	_cleanup_free_ struct epoll_event *out = NULL;
	struct eventpoll *ep;
	int n, max;

	if (maxevents <= 0 || (size_t)maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!user_range_ok(uevents, maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	epf = fget(t, epfd);
	if (!epf)
		return -EBADF;
	if (!file_is_epoll(epf))
		return -EINVAL;

	ep = epf->private_data;
	pthread_mutex_lock(&ep->lock);
	max = MIN(maxevents, ep->nitems + 1);
	pthread_mutex_unlock(&ep->lock);
	/* Items added while this call waits are reported by a later one
	 * if they do not fit. */
	out = xcalloc(max, sizeof(*out));
	n = epoll_wait_file(t, epf, out, max, deadline);
	if (n <= 0)
		return n;
	if (copy_to_user(t, uevents, out, n * sizeof(*out)) < 0)
		return -EFAULT;
	return n;
}

/* The deadline of a timeout in milliseconds: NULL for a negative one
 * (forever). */
static const struct timespec *deadline_from_ms(int timeout_ms,
					       struct timespec *deadline)
{
	struct timespec timeout;

	if (timeout_ms < 0)
		return NULL;
	timeout.tv_sec = timeout_ms / 1000;
	timeout.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
	deadline_from_timeout(deadline, &timeout);
	return deadline;
}

SYSCALL_DEFINE(SYS_epoll_wait, epoll_wait)
{
	struct timespec deadline;

	return do_epoll_wait(t, (int)args[0], args[1], (int)args[2],
			     deadline_from_ms((int)args[3], &deadline));
}

SYSCALL_DEFINE(SYS_epoll_pwait, epoll_pwait)
{
	struct timespec deadline;
	const struct timespec *until;
	int installed;
	long ret;

	installed = io_set_sigmask(t, args[4], args[5]);
	if (installed < 0)
		return installed;
	until = deadline_from_ms((int)args[3], &deadline);
	ret = do_epoll_wait(t, (int)args[0], args[1], (int)args[2], until);
	io_restore_sigmask(t, installed, ret);
	return ret;
}

SYSCALL_DEFINE(SYS_epoll_pwait2, epoll_pwait2)
{
	struct timespec deadline;
	uint64_t uts = args[3];
	int installed;
	long ret;

	if (uts) {
		ret = io_get_timeout(t, uts, &deadline);
		if (ret < 0)
			return ret;
	}
	installed = io_set_sigmask(t, args[4], args[5]);
	if (installed < 0)
		return installed;
	ret = do_epoll_wait(t, (int)args[0], args[1], (int)args[2],
			    uts ? &deadline : NULL);
	io_restore_sigmask(t, installed, ret);
	return ret;
}

SYSCALL_DEFINE(SYS_epoll_ctl, epoll_ctl)
{
	return do_epoll_ctl(t, (int)args[0], (int)args[1], (int)args[2],
			    args[3]);
}

/* ---- the epoll file ---- */

/* Readiness of the in-sentry items; the host epoll FD shows the rest. */
static unsigned epoll_poll(struct file *epf)
{
	struct eventpoll *ep = epf->private_data;
	unsigned mask = 0;

	pthread_mutex_lock(&ep->lock);
	for (struct epitem *it = ep->items; it && !mask; it = it->next) {
		if (epitem_local_ready(it))
			mask = POLLIN | POLLRDNORM;
	}
	pthread_mutex_unlock(&ep->lock);
	return mask;
}

static int epoll_host_poll_fd(struct file *epf)
{
	return epf->host_fd;
}

static void epoll_release(struct file *epf)
{
	struct eventpoll *ep = epf->private_data;

	while (ep->items)
		epitem_remove(epf, &ep->items);
	pthread_mutex_destroy(&ep->lock);
	free(ep);
}

static const struct file_operations epoll_fops = {
    .poll = epoll_poll,
    .host_poll_fd = epoll_host_poll_fd,
    .release = epoll_release,
};

int epoll_create_file(struct file **out)
{
	struct eventpoll *ep;
	int hostfd = epoll_create1(EPOLL_CLOEXEC);

	if (hostfd < 0)
		return neg_errno();
	ep = xcalloc(1, sizeof(*ep));
	pthread_mutex_init(&ep->lock, NULL);
	*out = file_alloc(&epoll_fops, O_RDWR, hostfd, ep);
	return 0;
}

static long do_epoll_create(struct task *t, int flags)
{
	struct file *f;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	fd = epoll_create_file(&f);
	if (fd < 0)
		return fd;
	fd = fd_install(t->files, f, 0, flags & EPOLL_CLOEXEC,
			task_nofile_limit(t));
	file_put(f);
	return fd;
}

SYSCALL_DEFINE(SYS_epoll_create1, epoll_create1)
{
	return do_epoll_create(t, (int)args[0]);
}

SYSCALL_DEFINE(SYS_epoll_create, epoll_create)
{
	if ((int)args[0] <= 0)
		return -EINVAL;
	return do_epoll_create(t, 0);
}
