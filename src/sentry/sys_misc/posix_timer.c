/* POSIX per-process timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun and timer_delete.
 *
 * Like the interval timers of itimer.c, one sentry thread serves every
 * armed timer: it sleeps on CLOCK_MONOTONIC until the earliest expiry,
 * then queues the timer's signal and rearms periodic timers. Expiry times
 * are kept in the timer's own clock (CLOCK_REALTIME, CLOCK_MONOTONIC,
 * CLOCK_BOOTTIME or CLOCK_TAI), and the thread converts each to a
 * monotonic deadline when it waits.
 *
 * Overruns follow Linux: an expiry while the timer's previous signal is
 * still pending adds to that signal's si_overrun instead of queueing
 * another. timer_getoverrun returns the overrun of the last delivered
 * signal. The sentry gets no notice of the delivery, so it treats a signal
 * that is no longer pending as delivered.
 *
 * NOTE: timers on the CPU-time clocks (CLOCK_PROCESS_CPUTIME_ID,
 * CLOCK_THREAD_CPUTIME_ID and clock IDs of other processes) are rejected
 * with EINVAL, because the sentry is not notified when a stub's CPU time
 * reaches a value. Linux accepts them.
 *
 * Timers belong to a process (thread group): execve deletes them
 * (posix_timers_release from misc_task_exec), and a timer whose process
 * is gone is dropped when it next expires or when its process's IDs are
 * looked up.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "common/log.h"
#include "common/util.h"
#include "sentry/mm.h"
#include "sentry/signal.h"
#include "sentry/sys_misc/task_misc.h"
#include "sentry/sys_misc/timespec.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

/* The first real-time signal of the kernel, whose instances queue
 * separately (glibc's SIGRTMIN is higher, because glibc keeps two). */
#define KERNEL_SIGRTMIN 32

#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4
#endif

/* The kernel's struct sigevent (glibc's has the same layout but names
 * the thread ID field through a union macro). */
struct ksigevent {
	union sigval value;
	int signo;
	int notify;
	union {
		int tid;
		char pad[64 - sizeof(union sigval) - 2 * sizeof(int)];
	};
};

struct posix_timer {
	struct thread_group *tg; /* owner, together with tgid */
	pid_t tgid;
	int id;
	clockid_t clock;
	int notify; /* SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD... */
	int signo;
	union sigval value;
	pid_t target_tid;  /* SIGEV_THREAD_ID: the thread to signal */
	int64_t expiry_ns; /* in clock; 0 when disarmed */
	int64_t interval_ns;
	int overrun_queued; /* of the most recently queued signal */
	int overrun_last;   /* of the signal queued before that one */
	struct posix_timer *next;
};

/* The next timer ID of one process (Linux counts up from 0 and does not
 * reuse IDs of deleted timers). */
struct timer_ids {
	struct thread_group *tg;
	pid_t tgid;
	int next_id;
	struct timer_ids *next;
};

/* ptimer_lock protects both lists and every field of their entries.
 * It is never held while taking tasklist_lock or a sighand->lock. */
static pthread_mutex_t ptimer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ptimer_cond;
static struct posix_timer *ptimers;
static struct timer_ids *timer_ids;
static bool ptimer_thread_started;

/* Is tg, known by tgid, still a live process? */
static bool tg_alive(struct thread_group *tg, pid_t tgid)
{
	bool alive;

	pthread_mutex_lock(&tasklist_lock);
	alive = pid_thread_group(tgid) == tg && !tg->exited && !tg->group_exit;
	pthread_mutex_unlock(&tasklist_lock);
	return alive;
}

void posix_timers_release(struct thread_group *tg)
{
	pthread_mutex_lock(&ptimer_lock);
	for (struct posix_timer **pp = &ptimers; *pp;) {
		struct posix_timer *pt = *pp;

		if (pt->tg == tg) {
			*pp = pt->next;
			free(pt);
		} else {
			pp = &pt->next;
		}
	}
	pthread_mutex_unlock(&ptimer_lock);
}

/* Allocate the next timer ID of tg (ptimer_lock held). */
static int alloc_timer_id(struct thread_group *tg)
{
	struct timer_ids *ids;

	for (ids = timer_ids; ids; ids = ids->next)
		if (ids->tg == tg && ids->tgid == tg->tgid)
			break;
	if (!ids) {
		ids = xcalloc(1, sizeof(*ids));
		ids->tg = tg;
		ids->tgid = tg->tgid;
		ids->next = timer_ids;
		timer_ids = ids;
	}
	if (ids->next_id == INT32_MAX)
		return -EAGAIN;
	return ids->next_id++;
}

/* Drop the ID counters and timers of processes that are gone, so a new
 * process that reuses a thread_group address starts from ID 0. Called
 * without ptimer_lock. */
static void purge_dead(void)
{
	struct timer_ids *list;
	size_t n = 0, i = 0;

	pthread_mutex_lock(&ptimer_lock);
	for (struct timer_ids *ids = timer_ids; ids; ids = ids->next)
		n++;
	list = xcalloc(n + 1, sizeof(*list));
	for (struct timer_ids *ids = timer_ids; ids; ids = ids->next)
		list[i++] = *ids;
	pthread_mutex_unlock(&ptimer_lock);

	for (i = 0; i < n; i++) {
		if (tg_alive(list[i].tg, list[i].tgid))
			continue;
		posix_timers_release(list[i].tg);
		pthread_mutex_lock(&ptimer_lock);
		for (struct timer_ids **pp = &timer_ids; *pp;
		     pp = &(*pp)->next) {
			struct timer_ids *ids = *pp;

			if (ids->tg == list[i].tg &&
			    ids->tgid == list[i].tgid) {
				*pp = ids->next;
				free(ids);
				break;
			}
		}
		pthread_mutex_unlock(&ptimer_lock);
	}
	free(list);
}

/* The timer id of t's process, or NULL (ptimer_lock held). */
static struct posix_timer *find_timer(struct task *t, long id)
{
	for (struct posix_timer *pt = ptimers; pt; pt = pt->next)
		if (pt->tg == t->tg && pt->id == id)
			return pt;
	return NULL;
}

/* The timer's clock now. check_timer_clock admits only clocks that
 * Linux has had since 3.10, so host_clock_ns does not fail here. */
static int64_t timer_now(const struct posix_timer *pt)
{
	return host_clock_ns(pt->clock);
}

/* ---- Expiry ---- */

/* A snapshot of what one expiry must send, taken under ptimer_lock. */
struct expiry {
	struct thread_group *tg;
	pid_t tgid;
	int id;
	int notify;
	int signo;
	union sigval value;
	pid_t target_tid;
	int missed; /* expiries since the last one handled, at least 1 */
};

/* The siginfo of timer id's signal sig if one is still queued in p, or
 * NULL (sighand->lock held). */
static siginfo_t *find_pending(struct sigpending *p, int sig, int id)
{
	if (!(p->set & SIGMASK(sig)))
		return NULL;
	if (sig < KERNEL_SIGRTMIN) {
		siginfo_t *info = &p->info[sig - 1];

		if (info->si_code != SI_TIMER || info->si_timerid != id)
			return NULL;
		return info;
	}
	for (struct sigqueue *q = p->rt_head[sig - 1]; q; q = q->next)
		if (q->info.si_code == SI_TIMER && q->info.si_timerid == id)
			return &q->info;
	return NULL;
}

/* The task to signal for e, with a reference, or NULL if the process is
 * gone. *group is set to whether the signal is for the whole process
 * (tasklist_lock held). */
static struct task *timer_target(const struct expiry *e, bool *group)
{
	struct task *target, *thread;

	*group = !(e->notify & SIGEV_THREAD_ID);
	if (pid_thread_group(e->tgid) != e->tg || e->tg->exited ||
	    e->tg->group_exit)
		return NULL;
	target = e->tg->leader;
	if (!*group) {
		thread = pid_task(e->target_tid);
		/* Linux falls back to the process if the thread is gone. */
		if (thread && thread->tg == e->tg &&
		    thread->state == TASK_RUNNING)
			target = thread;
		else
			*group = true;
	}
	target->refcount++;
	return target;
}

/* Is the signal of the timer described by e still pending? */
static bool timer_signal_pending(const struct expiry *e)
{
	struct task *target;
	bool group, pending = false;

	pthread_mutex_lock(&tasklist_lock);
	target = timer_target(e, &group);
	if (target) {
		struct sigpending *p =
		    group ? &e->tg->shared_pending : &target->pending;

		pthread_mutex_lock(&target->sighand->lock);
		pending = find_pending(p, e->signo, e->id) != NULL;
		pthread_mutex_unlock(&target->sighand->lock);
	}
	pthread_mutex_unlock(&tasklist_lock);
	if (target)
		task_put(target);
	return pending;
}

/* Queue the timer's signal, or merge it into a pending one. Returns
 * SENT_NEW, SENT_MERGED with the pending signal's new overrun in
 * *overrun, or SENT_NONE if the process is gone and the timer must be
 * dropped. */
enum send_result { SENT_NONE, SENT_NEW, SENT_MERGED };

static enum send_result send_timer_signal(const struct expiry *e, int *overrun)
{
	struct task *target;
	bool group, merged = false;
	siginfo_t info;

	pthread_mutex_lock(&tasklist_lock);
	target = timer_target(e, &group);
	if (target) {
		struct sigpending *p =
		    group ? &e->tg->shared_pending : &target->pending;
		siginfo_t *pending;

		pthread_mutex_lock(&target->sighand->lock);
		pending = find_pending(p, e->signo, e->id);
		if (pending) {
			if (pending->si_overrun > INT32_MAX - e->missed)
				pending->si_overrun = INT32_MAX;
			else
				pending->si_overrun += e->missed;
			*overrun = pending->si_overrun;
			merged = true;
		}
		pthread_mutex_unlock(&target->sighand->lock);
	}
	pthread_mutex_unlock(&tasklist_lock);
	if (!target)
		return SENT_NONE;
	if (merged) {
		task_put(target);
		return SENT_MERGED;
	}

	memset(&info, 0, sizeof(info));
	info.si_signo = e->signo;
	info.si_code = SI_TIMER;
	info.si_timerid = e->id;
	info.si_overrun = e->missed - 1;
	info.si_value = e->value;
	send_signal_info(target, e->signo, &info, group);
	task_put(target);
	*overrun = e->missed - 1;
	return SENT_NEW;
}

/* Find one expired timer, rearm or disarm it and describe it in *e;
 * otherwise return the time until the next expiry in nanoseconds (0:
 * none armed). Called with ptimer_lock held. */
static int64_t take_expired(struct expiry *e)
{
	int64_t next = 0;

	e->tg = NULL;
	for (struct posix_timer *pt = ptimers; pt; pt = pt->next) {
		int64_t now;

		if (!pt->expiry_ns)
			continue;
		now = timer_now(pt);
		if (pt->expiry_ns > now) {
			int64_t left = pt->expiry_ns - now;

			if (!next || left < next)
				next = left;
			continue;
		}
		*e = (struct expiry){
		    .tg = pt->tg,
		    .tgid = pt->tgid,
		    .id = pt->id,
		    .notify = pt->notify,
		    .signo = pt->signo,
		    .value = pt->value,
		    .target_tid = pt->target_tid,
		    .missed = 1,
		};
		if (pt->interval_ns) {
			/* Rearm from the expiry time, so a periodic timer
			 * does not drift, and count the periods missed. */
			int64_t late = now - pt->expiry_ns;
			int64_t periods = late / pt->interval_ns;

			if (periods > INT32_MAX - 1)
				periods = INT32_MAX - 1;
			e->missed += (int)periods;
			pt->expiry_ns = ns_add(pt->expiry_ns,
					       (periods + 1) * pt->interval_ns);
		} else {
			pt->expiry_ns = 0;
		}
		return 0;
	}
	return next;
}

/* Record the result of sending e's signal in its timer, or delete the
 * timer if its process is gone. Called with ptimer_lock held. */
static void finish_expiry(const struct expiry *e, enum send_result result,
			  int overrun)
{
	for (struct posix_timer **pp = &ptimers; *pp; pp = &(*pp)->next) {
		struct posix_timer *pt = *pp;

		if (pt->tg != e->tg || pt->tgid != e->tgid || pt->id != e->id)
			continue;
		if (result == SENT_NONE) {
			*pp = pt->next;
			free(pt);
		} else if (result == SENT_NEW) {
			/* A new signal means the previous one was
			 * delivered. */
			pt->overrun_last = pt->overrun_queued;
			pt->overrun_queued = overrun;
		} else {
			pt->overrun_queued = overrun;
		}
		return;
	}
}

static void *ptimer_thread(void *unused)
{
	sigset_t all;

	/* Host signals are for the task threads, never for this one. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);

	pthread_mutex_lock(&ptimer_lock);
	for (;;) {
		struct expiry e;
		int64_t next = take_expired(&e);

		if (e.tg) {
			enum send_result result = SENT_MERGED;
			int overrun = 0;

			pthread_mutex_unlock(&ptimer_lock);
			if ((e.notify & ~SIGEV_THREAD_ID) != SIGEV_NONE)
				result = send_timer_signal(&e, &overrun);
			else if (!tg_alive(e.tg, e.tgid))
				result = SENT_NONE;
			pthread_mutex_lock(&ptimer_lock);
			finish_expiry(&e, result, overrun);
		} else if (next) {
			struct timespec deadline = ns_to_timespec(
			    ns_add(host_clock_ns(CLOCK_MONOTONIC), next));

			pthread_cond_timedwait(&ptimer_cond, &ptimer_lock,
					       &deadline);
		} else {
			pthread_cond_wait(&ptimer_cond, &ptimer_lock);
		}
	}
	return NULL;
}

/* Start the timer thread on first use (ptimer_lock held). */
static int ptimer_thread_start(void)
{
	pthread_condattr_t attr;
	pthread_t thread;
	int r;

	if (ptimer_thread_started)
		return 0;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&ptimer_cond, &attr);
	pthread_condattr_destroy(&attr);
	r = pthread_create(&thread, NULL, ptimer_thread, NULL);
	if (r != 0) {
		log_error("failed to start the POSIX timer thread: %s",
			  strerror(r));
		return -r;
	}
	pthread_detach(thread);
	ptimer_thread_started = true;
	return 0;
}

/* ---- System calls ---- */

/* Linux's errors for the clock of a new timer. */
static int check_timer_clock(clockid_t clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		return 0;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		/* Linux without an RTC wake-up alarm device. */
		return -EOPNOTSUPP;
	default:
		/* The CPU-time clocks; see the NOTE at the top. */
		return -EINVAL;
	}
}

/* Check a sigevent as Linux's good_sigevent does. */
static int check_sigevent(struct task *t, const struct ksigevent *ev)
{
	switch (ev->notify) {
	case SIGEV_SIGNAL | SIGEV_THREAD_ID: {
		bool same_group;

		pthread_mutex_lock(&tasklist_lock);
		struct task *thread = pid_task(ev->tid);
		same_group = thread && thread->tg == t->tg &&
			     thread->state == TASK_RUNNING;
		pthread_mutex_unlock(&tasklist_lock);
		if (!same_group)
			return -EINVAL;
	}
		/* fallthrough */
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:
		if (ev->signo <= 0 || ev->signo > MOAT_NSIG)
			return -EINVAL;
		return 0;
	case SIGEV_NONE:
		return 0;
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE(SYS_timer_create, timer_create)
{
	clockid_t clock = (clockid_t)args[0];
	struct ksigevent ev;
	struct posix_timer *pt;
	int id, r;

	r = check_timer_clock(clock);
	if (r < 0)
		return r;
	if (args[1]) {
		if (copy_from_user(t, &ev, args[1], sizeof(ev)) < 0)
			return -EFAULT;
		r = check_sigevent(t, &ev);
		if (r < 0)
			return r;
	} else {
		/* Without a sigevent, SIGALRM carries the timer ID. */
		memset(&ev, 0, sizeof(ev));
		ev.notify = SIGEV_SIGNAL;
		ev.signo = SIGALRM;
	}
	purge_dead();

	pthread_mutex_lock(&ptimer_lock);
	id = alloc_timer_id(t->tg);
	if (id < 0) {
		pthread_mutex_unlock(&ptimer_lock);
		return id;
	}
	if (!args[1])
		ev.value.sival_int = id;
	pt = xcalloc(1, sizeof(*pt));
	pt->tg = t->tg;
	pt->tgid = t->tg->tgid;
	pt->id = id;
	pt->clock = clock;
	pt->notify = ev.notify;
	pt->signo = ev.signo;
	pt->value = ev.value;
	pt->target_tid = ev.tid;
	pt->next = ptimers;
	ptimers = pt;
	pthread_mutex_unlock(&ptimer_lock);

	if (copy_to_user(t, args[2], &id, sizeof(id)) < 0) {
		pthread_mutex_lock(&ptimer_lock);
		for (struct posix_timer **pp = &ptimers; *pp;
		     pp = &(*pp)->next) {
			if (*pp == pt) {
				*pp = pt->next;
				free(pt);
				break;
			}
		}
		pthread_mutex_unlock(&ptimer_lock);
		return -EFAULT;
	}
	return 0;
}

/* The current setting of pt (ptimer_lock held). */
static void timer_get_locked(struct posix_timer *pt, struct itimerspec *out)
{
	out->it_interval = ns_to_timespec(pt->interval_ns);
	out->it_value = (struct timespec){0};
	if (pt->expiry_ns) {
		int64_t left = pt->expiry_ns - timer_now(pt);

		/* An expired timer the thread has not handled yet reads as
		 * about to expire, never as disarmed. */
		if (left < 1)
			left = 1;
		out->it_value = ns_to_timespec(left);
	}
}

SYSCALL_DEFINE(SYS_timer_settime, timer_settime)
{
	long id = (long)args[0];
	int flags = (int)args[1];
	struct itimerspec value, old;
	struct posix_timer *pt;
	int r = 0;

	if (copy_from_user(t, &value, args[2], sizeof(value)) < 0)
		return -EFAULT;
	if (!timespec_valid(&value.it_value) ||
	    !timespec_valid(&value.it_interval))
		return -EINVAL;

	pthread_mutex_lock(&ptimer_lock);
	pt = find_timer(t, id);
	if (!pt) {
		pthread_mutex_unlock(&ptimer_lock);
		return -EINVAL;
	}
	timer_get_locked(pt, &old);
	pt->expiry_ns = 0;
	pt->interval_ns = 0;
	pt->overrun_queued = 0;
	pt->overrun_last = 0;
	if (value.it_value.tv_sec || value.it_value.tv_nsec) {
		int64_t expiry = timespec_to_ns(&value.it_value);

		r = ptimer_thread_start();
		if (r == 0) {
			if (!(flags & TIMER_ABSTIME))
				expiry = ns_add(timer_now(pt), expiry);
			/* 0 means disarmed, so an absolute time of 0 ns
			 * (already past) becomes 1 ns. */
			pt->expiry_ns = expiry > 0 ? expiry : 1;
			pt->interval_ns = timespec_to_ns(&value.it_interval);
		}
	}
	if (ptimer_thread_started)
		pthread_cond_signal(&ptimer_cond);
	pthread_mutex_unlock(&ptimer_lock);
	if (r < 0)
		return r;
	if (args[3] && copy_to_user(t, args[3], &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_timer_gettime, timer_gettime)
{
	struct itimerspec value;
	struct posix_timer *pt;

	pthread_mutex_lock(&ptimer_lock);
	pt = find_timer(t, (long)args[0]);
	if (pt)
		timer_get_locked(pt, &value);
	pthread_mutex_unlock(&ptimer_lock);
	if (!pt)
		return -EINVAL;
	if (copy_to_user(t, args[1], &value, sizeof(value)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_timer_getoverrun, timer_getoverrun)
{
	struct posix_timer *pt;
	struct expiry e = {0};
	int queued = 0, last = 0;
	bool has_signal = false;

	pthread_mutex_lock(&ptimer_lock);
	pt = find_timer(t, (long)args[0]);
	if (pt) {
		e = (struct expiry){
		    .tg = pt->tg,
		    .tgid = pt->tgid,
		    .id = pt->id,
		    .notify = pt->notify,
		    .signo = pt->signo,
		    .target_tid = pt->target_tid,
		};
		has_signal = (pt->notify & ~SIGEV_THREAD_ID) != SIGEV_NONE;
		queued = pt->overrun_queued;
		last = pt->overrun_last;
	}
	pthread_mutex_unlock(&ptimer_lock);
	if (!pt)
		return -EINVAL;
	/* The queued signal's overrun counts once it was delivered. */
	if (has_signal && timer_signal_pending(&e))
		return last;
	return queued;
}

SYSCALL_DEFINE(SYS_timer_delete, timer_delete)
{
	long id = (long)args[0];

	pthread_mutex_lock(&ptimer_lock);
	for (struct posix_timer **pp = &ptimers; *pp; pp = &(*pp)->next) {
		struct posix_timer *pt = *pp;

		if (pt->tg == t->tg && pt->id == id) {
			*pp = pt->next;
			free(pt);
			pthread_mutex_unlock(&ptimer_lock);
			return 0;
		}
	}
	pthread_mutex_unlock(&ptimer_lock);
	return -EINVAL;
}
