/* Interval timers: getitimer, setitimer and alarm.
 *
 * ITIMER_REAL counts down in real time and sends SIGALRM to the process.
 * One sentry thread serves the armed timers of every process: it sleeps
 * on CLOCK_MONOTONIC until the earliest expiry, then signals and rearms.
 *
 * NOTE: ITIMER_VIRTUAL and ITIMER_PROF store and return their values but
 * never expire, because the sentry has no cheap way to be notified when a
 * stub's CPU time reaches a value. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include "common/log.h"
#include "common/util.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/signal.h"
#include "sentry/sys_misc/task_misc.h"
#include "sentry/sys_misc/timespec.h"
#include "sentry/task.h"

struct itimer {
	struct thread_group *tg; /* key, together with tgid */
	pid_t tgid;
	int64_t real_expiry_ns; /* CLOCK_MONOTONIC; 0 when disarmed */
	int64_t real_interval_ns;
	/* ITIMER_VIRTUAL and ITIMER_PROF: stored only. */
	struct itimerval cpu_timer[2];
	struct itimer *next;
};

static pthread_mutex_t itimer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t itimer_cond;
static struct itimer *itimers;
static bool itimer_thread_started;

/* The entry of tg, created disarmed if missing (itimer_lock held). */
static struct itimer *itimer_of(struct thread_group *tg)
{
	struct itimer *it;

	for (it = itimers; it; it = it->next)
		if (it->tg == tg && it->tgid == tg->tgid)
			return it;
	it = xcalloc(1, sizeof(*it));
	it->tg = tg;
	it->tgid = tg->tgid;
	it->next = itimers;
	itimers = it;
	return it;
}

void itimer_release(struct thread_group *tg)
{
	pthread_mutex_lock(&itimer_lock);
	for (struct itimer **pp = &itimers; *pp; pp = &(*pp)->next) {
		struct itimer *it = *pp;

		if (it->tg == tg) {
			*pp = it->next;
			free(it);
			break;
		}
	}
	pthread_mutex_unlock(&itimer_lock);
}

/* Send SIGALRM if tg is still the live process the timer was armed for:
 * a thread group that exited without itimer_release() is skipped. The
 * reference on the leader keeps it valid while send_signal_info() takes
 * tasklist_lock itself. */
static void send_alarm(struct thread_group *tg, pid_t tgid)
{
	struct task *leader = NULL;

	pthread_mutex_lock(&tasklist_lock);
	if (pid_thread_group(tgid) == tg && !tg->exited && !tg->group_exit) {
		leader = tg->leader;
		leader->refcount++;
	}
	pthread_mutex_unlock(&tasklist_lock);
	if (!leader)
		return;
	send_signal_info(leader, SIGALRM, NULL, true);
	task_put(leader);
}

/* Find one expired timer, rearm or disarm it and return its process in
 * *tg and *tgid; otherwise return the next expiry (0: none). Called with
 * itimer_lock held. */
static int64_t take_expired(int64_t now, struct thread_group **tg, pid_t *tgid)
{
	int64_t next = 0;

	*tg = NULL;
	for (struct itimer *it = itimers; it; it = it->next) {
		if (!it->real_expiry_ns)
			continue;
		if (it->real_expiry_ns <= now) {
			*tg = it->tg;
			*tgid = it->tgid;
			/* Linux rearms from the expiry time, not from now,
			 * so a periodic timer does not drift. */
			if (it->real_interval_ns) {
				while (it->real_expiry_ns <= now)
					it->real_expiry_ns =
					    ns_add(it->real_expiry_ns,
						   it->real_interval_ns);
			} else {
				it->real_expiry_ns = 0;
			}
			return 0;
		}
		if (!next || it->real_expiry_ns < next)
			next = it->real_expiry_ns;
	}
	return next;
}

static void *itimer_thread(void *unused)
{
	sigset_t all;

	/* Host signals are for the task threads, never for this one. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);

	pthread_mutex_lock(&itimer_lock);
	for (;;) {
		struct thread_group *tg;
		pid_t tgid;
		int64_t next =
		    take_expired(host_clock_ns(CLOCK_MONOTONIC), &tg, &tgid);

		if (tg) {
			pthread_mutex_unlock(&itimer_lock);
			send_alarm(tg, tgid);
			pthread_mutex_lock(&itimer_lock);
		} else if (next) {
			struct timespec deadline = ns_to_timespec(next);

			pthread_cond_timedwait(&itimer_cond, &itimer_lock,
					       &deadline);
		} else {
			pthread_cond_wait(&itimer_cond, &itimer_lock);
		}
	}
	return NULL;
}

/* Start the timer thread on first use (itimer_lock held). */
static int itimer_thread_start(void)
{
	pthread_condattr_t attr;
	pthread_t thread;
	int r;

	if (itimer_thread_started)
		return 0;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&itimer_cond, &attr);
	pthread_condattr_destroy(&attr);
	r = pthread_create(&thread, NULL, itimer_thread, NULL);
	if (r != 0) {
		log_error("cannot start the interval timer thread: %s",
			  strerror(r));
		return -r;
	}
	pthread_detach(thread);
	itimer_thread_started = true;
	return 0;
}

/* Read timer which of t's process (itimer_lock held). */
static void itimer_get_locked(struct task *t, int which, struct itimerval *out)
{
	struct itimer *it = itimer_of(t->tg);

	if (which != ITIMER_REAL) {
		*out = it->cpu_timer[which - 1];
		return;
	}
	out->it_interval = ns_to_timeval(it->real_interval_ns);
	out->it_value = (struct timeval){0};
	if (it->real_expiry_ns) {
		int64_t left =
		    it->real_expiry_ns - host_clock_ns(CLOCK_MONOTONIC);

		/* An armed timer never reads as zero (Linux reports 1us). */
		if (left < NSEC_PER_USEC)
			left = NSEC_PER_USEC;
		out->it_value = ns_to_timeval(left);
	}
}

static int itimer_set(struct task *t, int which, const struct itimerval *value,
		      struct itimerval *old)
{
	struct itimer *it;
	int r = 0;

	pthread_mutex_lock(&itimer_lock);
	itimer_get_locked(t, which, old);
	it = itimer_of(t->tg);
	if (which != ITIMER_REAL) {
		it->cpu_timer[which - 1] = *value;
		pthread_mutex_unlock(&itimer_lock);
		return 0;
	}
	it->real_interval_ns = timeval_to_ns(&value->it_interval);
	it->real_expiry_ns = 0;
	if (value->it_value.tv_sec || value->it_value.tv_usec) {
		r = itimer_thread_start();
		if (r == 0)
			it->real_expiry_ns =
			    ns_add(host_clock_ns(CLOCK_MONOTONIC),
				   timeval_to_ns(&value->it_value));
	}
	if (itimer_thread_started)
		pthread_cond_signal(&itimer_cond);
	pthread_mutex_unlock(&itimer_lock);
	return r;
}

static bool itimer_which_valid(int which)
{
	return which == ITIMER_REAL || which == ITIMER_VIRTUAL ||
	       which == ITIMER_PROF;
}

SYSCALL_DEFINE(SYS_getitimer, getitimer)
{
	int which = (int)args[0];
	struct itimerval value;

	if (!itimer_which_valid(which))
		return -EINVAL;
	pthread_mutex_lock(&itimer_lock);
	itimer_get_locked(t, which, &value);
	pthread_mutex_unlock(&itimer_lock);
	if (copy_to_user(t, args[1], &value, sizeof(value)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_setitimer, setitimer)
{
	int which = (int)args[0];
	struct itimerval value = {0}, old;
	int r;

	/* A NULL new value disarms the timer, which Linux still allows. */
	if (args[1]) {
		if (copy_from_user(t, &value, args[1], sizeof(value)) < 0)
			return -EFAULT;
		if (!timeval_valid(&value.it_value) ||
		    !timeval_valid(&value.it_interval))
			return -EINVAL;
	}
	if (!itimer_which_valid(which))
		return -EINVAL;
	r = itimer_set(t, which, &value, &old);
	if (r < 0)
		return r;
	if (args[2] && copy_to_user(t, args[2], &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_alarm, alarm)
{
	struct itimerval value = {0}, old;
	unsigned int seconds = (unsigned int)args[0];
	int r;

	value.it_value.tv_sec = seconds;
	r = itimer_set(t, ITIMER_REAL, &value, &old);
	if (r < 0)
		return r;
	/* Linux rounds the time left to the nearest second, and up from
	 * below one second so that a pending alarm never reads as 0. */
	if ((!old.it_value.tv_sec && old.it_value.tv_usec) ||
	    old.it_value.tv_usec >= 500000)
		old.it_value.tv_sec++;
	return old.it_value.tv_sec;
}
