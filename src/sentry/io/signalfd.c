/* signalfd(2) and signalfd4(2).
 *
 * A signalfd is an in-sentry file: reading it dequeues signals of its
 * mask from the reading task's pending set, then from its thread group's
 * shared set, under sighand->lock, as Linux's dequeue_signal does. It is
 * readable while such a signal is pending for the task that polls it.
 *
 * A queued signal wakes its target with task_wake() even when the signal
 * is blocked, which ends a task_wait_cond sleep, so a blocking read
 * sleeps there. No host FD becomes ready when a signal is queued, so
 * poll, select and epoll re-check a signalfd periodically (see
 * file_poll_needs_recheck).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/mm.h"
#include "sentry/signal.h"
#include "sentry/syscall.h"
#include "sentry/wait.h"

/* Bound on one sleep of a blocking read. task_wake() finds no sleeper if
 * a signal arrives between the pending check and task_wait_cond
 * registering the sleep, so the read looks again after this long. */
#define SIGNALFD_RECHECK_NS 20000000L

/* Linux's siginfo layouts, which decide the fields a signalfd copies. */
enum siginfo_layout {
	LAYOUT_KILL,
	LAYOUT_TIMER,
	LAYOUT_POLL,
	LAYOUT_FAULT,
	LAYOUT_CHLD,
	LAYOUT_RT,
	LAYOUT_SYS,
};

/* The signalfd's state. mask is read and written with atomics, because
 * signalfd4 on an existing FD replaces it while other tasks poll. */
struct signalfd_ctx {
	ksigset_t mask;
};

static ksigset_t signalfd_mask(struct file *f)
{
	struct signalfd_ctx *ctx = f->private_data;

	return __atomic_load_n(&ctx->mask, __ATOMIC_ACQUIRE);
}

/* Linux's siginfo_layout(). Kernel codes (1 to SI_KERNEL - 1) of the
 * fault, child, poll and seccomp signals carry their own fields, and
 * user codes below zero carry a value. */
static enum siginfo_layout siginfo_layout(int sig, int code)
{
	if (code > SI_USER && code < SI_KERNEL) {
		switch (sig) {
		case SIGILL:
		case SIGFPE:
		case SIGSEGV:
		case SIGBUS:
		case SIGTRAP:
			return LAYOUT_FAULT;
		case SIGCHLD:
			return LAYOUT_CHLD;
		case SIGPOLL:
			return LAYOUT_POLL;
		case SIGSYS:
			return LAYOUT_SYS;
		default:
			return code <= POLL_HUP ? LAYOUT_POLL : LAYOUT_KILL;
		}
	}
	if (code == SI_TIMER)
		return LAYOUT_TIMER;
	if (code == SI_SIGIO)
		return LAYOUT_POLL;
	return code < 0 ? LAYOUT_RT : LAYOUT_KILL;
}

static void siginfo_to_signalfd(const siginfo_t *si,
				struct signalfd_siginfo *out)
{
	memset(out, 0, sizeof(*out));
	out->ssi_signo = si->si_signo;
	out->ssi_errno = si->si_errno;
	out->ssi_code = si->si_code;
	switch (siginfo_layout(si->si_signo, si->si_code)) {
	case LAYOUT_KILL:
		out->ssi_pid = si->si_pid;
		out->ssi_uid = si->si_uid;
		break;
	case LAYOUT_TIMER:
		out->ssi_tid = si->si_timerid;
		out->ssi_overrun = si->si_overrun;
		out->ssi_ptr = (uint64_t)(uintptr_t)si->si_ptr;
		out->ssi_int = si->si_int;
		break;
	case LAYOUT_POLL:
		out->ssi_band = si->si_band;
		out->ssi_fd = si->si_fd;
		break;
	case LAYOUT_FAULT:
		out->ssi_addr = (uint64_t)(uintptr_t)si->si_addr;
		break;
	case LAYOUT_CHLD:
		out->ssi_pid = si->si_pid;
		out->ssi_uid = si->si_uid;
		out->ssi_status = si->si_status;
		out->ssi_utime = si->si_utime;
		out->ssi_stime = si->si_stime;
		break;
	case LAYOUT_RT:
		out->ssi_pid = si->si_pid;
		out->ssi_uid = si->si_uid;
		out->ssi_ptr = (uint64_t)(uintptr_t)si->si_ptr;
		out->ssi_int = si->si_int;
		break;
	case LAYOUT_SYS:
		out->ssi_call_addr = (uint64_t)(uintptr_t)si->si_call_addr;
		out->ssi_syscall = si->si_syscall;
		out->ssi_arch = si->si_arch;
		break;
	}
}

/* The signal Linux's next_signal() picks from set: a synchronous fault
 * signal first, then the lowest number. Returns 0 if set is empty. */
static int next_signal(ksigset_t set)
{
	const ksigset_t synchronous = SIGMASK(SIGSEGV) | SIGMASK(SIGBUS) |
				      SIGMASK(SIGILL) | SIGMASK(SIGTRAP) |
				      SIGMASK(SIGFPE) | SIGMASK(SIGSYS);

	if (!set)
		return 0;
	if (set & synchronous)
		set &= synchronous;
	return __builtin_ctzll(set) + 1;
}

/* Dequeue one signal of mask pending for t into out. Returns false if
 * none is pending. */
static bool signalfd_dequeue(struct task *t, ksigset_t mask,
			     struct signalfd_siginfo *out)
{
	struct sighand *sh = t->sighand;
	struct sigpending *p = &t->pending;
	siginfo_t info;
	int sig;

	pthread_mutex_lock(&sh->lock);
	sig = next_signal(p->set & mask);
	if (!sig) {
		p = &t->tg->shared_pending;
		sig = next_signal(p->set & mask);
	}
	if (sig)
		sigpending_take(p, sig, &info);
	pthread_mutex_unlock(&sh->lock);
	if (!sig)
		return false;
	siginfo_to_signalfd(&info, out);
	return true;
}

static bool signalfd_pending(struct task *t, ksigset_t mask)
{
	struct sighand *sh = t->sighand;
	bool pending;

	pthread_mutex_lock(&sh->lock);
	pending = ((t->pending.set | t->tg->shared_pending.set) & mask) != 0;
	pthread_mutex_unlock(&sh->lock);
	return pending;
}

/* Sleep until a signal of mask is pending for t, or a signal t does not
 * block interrupts the sleep (-ERESTARTSYS). The pending check runs
 * without the sleep's mutex held, because task_wake() may take that
 * mutex while its caller holds sighand->lock. */
static int signalfd_wait(struct task *t, ksigset_t mask)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	int ret = 0;

	while (!signalfd_pending(t, mask)) {
		struct timespec slice = {0, SIGNALFD_RECHECK_NS}, deadline;

		deadline_from_timeout(&deadline, &slice);
		pthread_mutex_lock(&lock);
		ret = task_wait_cond(t, &cond, &lock, &deadline);
		pthread_mutex_unlock(&lock);
		if (ret == -ETIMEDOUT)
			ret = 0;
		if (ret < 0)
			break;
	}
	pthread_cond_destroy(&cond);
	pthread_mutex_destroy(&lock);
	return ret;
}

static long signalfd_read(struct task *t, struct file *f, void *buf, size_t len,
			  int64_t *pos)
{
	struct signalfd_siginfo *out = buf;
	size_t count = len / sizeof(*out);
	size_t done = 0;

	if (count == 0)
		return -EINVAL;
	while (done < count) {
		if (signalfd_dequeue(t, signalfd_mask(f), &out[done])) {
			done++;
			continue;
		}
		/* Only the first signal is waited for, as on Linux. */
		if (done > 0)
			break;
		if (file_nonblock(f))
			return -EAGAIN;
		int r = signalfd_wait(t, signalfd_mask(f));
		if (r < 0)
			return r;
	}
	return done * sizeof(*out);
}

/* Readiness for the task that polls, as on Linux. */
static unsigned signalfd_poll(struct file *f)
{
	if (!current)
		return 0;
	return signalfd_pending(current, signalfd_mask(f)) ? POLLIN | POLLRDNORM
							   : 0;
}

static void signalfd_release(struct file *f)
{
	free(f->private_data);
}

static const struct file_operations signalfd_fops = {
    .read = signalfd_read,
    .poll = signalfd_poll,
    .release = signalfd_release,
};

bool file_is_signalfd(struct file *f)
{
	return f->f_op == &signalfd_fops;
}

struct file *signalfd_create(ksigset_t mask, int flags)
{
	struct signalfd_ctx *ctx = xcalloc(1, sizeof(*ctx));

	ctx->mask = mask & ~SIG_KERNEL_ONLY_MASK;
	return file_alloc(&signalfd_fops, O_RDWR | (flags & O_NONBLOCK), -1,
			  ctx);
}

static long do_signalfd4(struct task *t, int fd, uint64_t umask,
			 uint64_t sizemask, int flags)
{
	struct signalfd_ctx *ctx;
	ksigset_t mask;
	struct file *f;

	if (sizemask != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(t, &mask, umask, sizeof(mask)) < 0)
		return -EFAULT;
	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	mask &= ~SIG_KERNEL_ONLY_MASK;

	if (fd != -1) {
		f = fget(t, fd);
		if (!f)
			return -EBADF;
		if (!file_is_signalfd(f)) {
			file_put(f);
			return -EINVAL;
		}
		ctx = f->private_data;
		__atomic_store_n(&ctx->mask, mask, __ATOMIC_RELEASE);
		file_put(f);
		return fd;
	}

	f = signalfd_create(mask, flags);
	fd = fd_install(t->files, f, 0, flags & SFD_CLOEXEC,
			task_nofile_limit(t));
	file_put(f);
	return fd;
}

SYSCALL_DEFINE(SYS_signalfd4, signalfd4)
{
	return do_signalfd4(t, (int)args[0], args[1], args[2], (int)args[3]);
}

SYSCALL_DEFINE(SYS_signalfd, signalfd)
{
	return do_signalfd4(t, (int)args[0], args[1], args[2], 0);
}
