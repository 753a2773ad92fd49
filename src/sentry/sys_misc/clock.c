/* Clocks: clock_gettime, clock_getres, clock_settime, gettimeofday,
 * settimeofday and time.
 *
 * The wall-clock and monotonic clocks are the host's, read with the same
 * clock ID so that invalid and unsupported IDs fail exactly as on the
 * host. CPU-time clocks (CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID
 * and the negative IDs of clock_getcpuclockid() and
 * pthread_getcpuclockid()) measure guest tasks (see cputime.c). */
#include <errno.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#include "common/util.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/sys_misc/clock.h"
#include "sentry/sys_misc/cputime.h"
#include "sentry/sys_misc/lookup.h"
#include "sentry/sys_misc/timespec.h"
#include "sentry/task.h"

/* Linux's encoding of CPU clock IDs (include/linux/posix-timers.h):
 * bits 0-1 choose the kind, bit 2 marks a thread clock and the rest is
 * the bitwise NOT of the PID (0 for the caller). */
#define CPUCLOCK_WHICH(clock)	  ((clock)&3)
#define CPUCLOCK_PERTHREAD(clock) (((clock)&4) != 0)
#define CPUCLOCK_PID(clock)	  ((pid_t)(~(clock) >> 3))
#define CPUCLOCK_PROF		  0
#define CPUCLOCK_VIRT		  1
#define CPUCLOCK_SCHED		  2
#define CPUCLOCK_MAX		  3

static int64_t pick_cpu_time(const struct cpu_times *times, int which)
{
	if (which == CPUCLOCK_VIRT)
		return times->user_ns;
	if (which == CPUCLOCK_SCHED)
		return times->sched_ns;
	return times->user_ns + times->system_ns;
}

/* A negative clock ID: the CPU clock of a thread in the caller's own
 * process, or of any process in the sandbox. */
static int read_encoded_cpu_clock(struct task *t, clockid_t clock, int64_t *ns)
{
	pid_t pid = CPUCLOCK_PID(clock);
	int which = CPUCLOCK_WHICH(clock);
	struct cpu_times times;
	struct task *target;

	if (which >= CPUCLOCK_MAX)
		return -EINVAL;
	if (pid == 0) {
		if (CPUCLOCK_PERTHREAD(clock))
			thread_cpu_times(t, &times);
		else
			process_cpu_times(t, &times);
		*ns = pick_cpu_time(&times, which);
		return 0;
	}

	pthread_mutex_lock(&tasklist_lock);
	target = lookup_task(t, pid);
	if (!target || (CPUCLOCK_PERTHREAD(clock) && target->tg != t->tg) ||
	    (!CPUCLOCK_PERTHREAD(clock) && target->tid != target->tg->tgid &&
	     target != t)) {
		pthread_mutex_unlock(&tasklist_lock);
		return -EINVAL;
	}
	pthread_mutex_unlock(&tasklist_lock);

	if (CPUCLOCK_PERTHREAD(clock)) {
		thread_cpu_times(target, &times);
	} else if (target->tg == t->tg) {
		process_cpu_times(t, &times);
	} else {
		pthread_mutex_lock(&tasklist_lock);
		group_cpu_times(target->tg, &times);
		pthread_mutex_unlock(&tasklist_lock);
	}
	*ns = pick_cpu_time(&times, which);
	return 0;
}

int clock_read(struct task *t, clockid_t clock, int64_t *ns)
{
	struct cpu_times times;
	struct timespec ts;

	if (clock < 0)
		return read_encoded_cpu_clock(t, clock, ns);
	if (clock == CLOCK_PROCESS_CPUTIME_ID) {
		process_cpu_times(t, &times);
		*ns = pick_cpu_time(&times, CPUCLOCK_SCHED);
		return 0;
	}
	if (clock == CLOCK_THREAD_CPUTIME_ID) {
		thread_cpu_times(t, &times);
		*ns = pick_cpu_time(&times, CPUCLOCK_SCHED);
		return 0;
	}
	if (clock_gettime(clock, &ts) < 0)
		return neg_errno();
	*ns = timespec_to_ns(&ts);
	return 0;
}

SYSCALL_DEFINE(SYS_clock_gettime, clock_gettime)
{
	struct timespec ts;
	int64_t ns;
	int r = clock_read(t, (clockid_t)args[0], &ns);

	if (r < 0)
		return r;
	ts = ns_to_timespec(ns);
	if (copy_to_user(t, args[1], &ts, sizeof(ts)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_clock_getres, clock_getres)
{
	clockid_t clock = (clockid_t)args[0];
	struct timespec res = {.tv_sec = 0, .tv_nsec = 1};
	int64_t ignored;

	if (clock < 0) {
		/* Validates the PID as clock_gettime would. */
		int r = read_encoded_cpu_clock(t, clock, &ignored);

		if (r < 0)
			return r;
	} else if (clock != CLOCK_PROCESS_CPUTIME_ID &&
		   clock != CLOCK_THREAD_CPUTIME_ID &&
		   clock_getres(clock, &res) < 0) {
		return neg_errno();
	}
	if (args[1] && copy_to_user(t, args[1], &res, sizeof(res)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_gettimeofday, gettimeofday)
{
	struct timeval tv = ns_to_timeval(host_clock_ns(CLOCK_REALTIME));
	/* Linux's sys_tz, which only settimeofday can change: zero here. */
	struct timezone tz = {0};

	if (args[0] && copy_to_user(t, args[0], &tv, sizeof(tv)) < 0)
		return -EFAULT;
	if (args[1] && copy_to_user(t, args[1], &tz, sizeof(tz)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_time, time)
{
	int64_t now = host_clock_ns(CLOCK_REALTIME) / NSEC_PER_SEC;

	if (args[0] && copy_to_user(t, args[0], &now, sizeof(now)) < 0)
		return -EFAULT;
	return now;
}

/* The sandbox never changes the host's clocks, so setting a clock fails
 * with EPERM after the checks Linux makes first. */
SYSCALL_DEFINE(SYS_clock_settime, clock_settime)
{
	clockid_t clock = (clockid_t)args[0];
	struct timespec ts;
	int64_t ignored;

	if (copy_from_user(t, &ts, args[1], sizeof(ts)) < 0)
		return -EFAULT;
	if (clock < 0 || clock == CLOCK_PROCESS_CPUTIME_ID ||
	    clock == CLOCK_THREAD_CPUTIME_ID) {
		int r = clock_read(t, clock, &ignored);

		return r < 0 ? r : -EPERM;
	}
	/* Only CLOCK_REALTIME is settable in Linux. */
	if (clock != CLOCK_REALTIME)
		return -EINVAL;
	if (!timespec_valid(&ts))
		return -EINVAL;
	return -EPERM;
}

SYSCALL_DEFINE(SYS_settimeofday, settimeofday)
{
	struct timeval tv;
	struct timezone tz;

	if (args[0]) {
		if (copy_from_user(t, &tv, args[0], sizeof(tv)) < 0)
			return -EFAULT;
		if (!timeval_valid(&tv))
			return -EINVAL;
	}
	if (args[1] && copy_from_user(t, &tz, args[1], sizeof(tz)) < 0)
		return -EFAULT;
	/* With neither argument Linux only checks CAP_SYS_TIME. */
	if (!args[0] && !args[1] && capable(t))
		return 0;
	return -EPERM;
}
