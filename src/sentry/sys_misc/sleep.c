/* nanosleep and clock_nanosleep.
 *
 * A sleep waits in task_poll_host() with no FDs until an absolute
 * CLOCK_MONOTONIC deadline, so a signal for the task ends it early. An
 * interrupted relative sleep writes the remaining time and returns
 * -EINTR. NOTE: Linux instead restarts the sleep for the remaining time
 * when the signal runs no handler (a stop and continue, for example),
 * which needs restart_syscall support from the core.
 */
#include <errno.h>
#include <sys/syscall.h>
#include <time.h>

#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/sys_misc/clock.h"
#include "sentry/sys_misc/timespec.h"
#include "sentry/wait.h"

/* How often a sleep on a CPU-time clock checks that clock. */
#define CPU_CLOCK_POLL_NS (10 * 1000 * 1000)

/* Sleep until CLOCK_MONOTONIC reaches deadline_ns. Returns 0 or
 * -ERESTARTSYS when a signal arrives. */
static int sleep_until_monotonic(struct task *t, int64_t deadline_ns)
{
	struct timespec deadline = ns_to_timespec(deadline_ns);

	/* task_poll_host() may return early on a spurious wake-up. */
	while (host_clock_ns(CLOCK_MONOTONIC) < deadline_ns) {
		int r = task_poll_host(t, NULL, 0, &deadline);

		if (r < 0)
			return r;
	}
	return 0;
}

/* Sleep until the clock reaches target_ns, in steps of at most
 * CPU_CLOCK_POLL_NS for clocks that do not advance with real time. */
static int sleep_until_clock(struct task *t, clockid_t clock, int64_t target_ns)
{
	for (;;) {
		int64_t now, step;
		int r = clock_read(t, clock, &now);

		if (r < 0)
			return r;
		if (now >= target_ns)
			return 0;
		step = target_ns - now;
		if (clock == CLOCK_PROCESS_CPUTIME_ID || clock < 0)
			step =
			    step < CPU_CLOCK_POLL_NS ? step : CPU_CLOCK_POLL_NS;
		r = sleep_until_monotonic(
		    t, ns_add(host_clock_ns(CLOCK_MONOTONIC), step));
		if (r < 0)
			return r;
		/* A wall clock may have been stepped while we slept, so
		 * read it again rather than trusting the monotonic sum. */
	}
}

/* Check that clock_nanosleep accepts clock, with Linux's errors: -EINVAL
 * for unknown IDs and thread CPU clocks, -EOPNOTSUPP for clocks that
 * cannot sleep (coarse, raw and alarm clocks). */
static int check_sleep_clock(struct task *t, clockid_t clock)
{
	int64_t ignored;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
	case CLOCK_PROCESS_CPUTIME_ID:
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		return -EINVAL;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return -EOPNOTSUPP;
	}
	if (clock < 0) {
		/* A thread's CPU clock cannot be slept on, a process's can. */
		if ((clock & 4) != 0)
			return -EINVAL;
		return clock_read(t, clock, &ignored);
	}
	return -EINVAL;
}

/* Sleep for req on clock (until req if absolute). On a signal, write
 * the remaining time of a relative sleep to rem_addr (if not 0) and
 * return -EINTR. */
static long do_sleep(struct task *t, clockid_t clock, bool absolute,
		     const struct timespec *req, uint64_t rem_addr)
{
	int64_t start, target;
	int r = clock_read(t, clock, &start);

	if (r < 0)
		return r;
	target =
	    absolute ? timespec_to_ns(req) : ns_add(start, timespec_to_ns(req));
	r = sleep_until_clock(t, clock, target);
	if (r != -ERESTARTSYS)
		return r;

	if (!absolute && rem_addr) {
		int64_t now;
		struct timespec rem;

		clock_read(t, clock, &now);
		rem = ns_to_timespec(now < target ? target - now : 0);
		if (copy_to_user(t, rem_addr, &rem, sizeof(rem)) < 0)
			return -EFAULT;
	}
	return -EINTR;
}

SYSCALL_DEFINE(SYS_nanosleep, nanosleep)
{
	struct timespec req;

	if (copy_from_user(t, &req, args[0], sizeof(req)) < 0)
		return -EFAULT;
	if (!timespec_valid(&req))
		return -EINVAL;
	return do_sleep(t, CLOCK_MONOTONIC, false, &req, args[1]);
}

SYSCALL_DEFINE(SYS_clock_nanosleep, clock_nanosleep)
{
	clockid_t clock = (clockid_t)args[0];
	bool absolute = ((int)args[1] & TIMER_ABSTIME) != 0;
	struct timespec req;
	int r = check_sleep_clock(t, clock);

	if (r < 0)
		return r;
	if (copy_from_user(t, &req, args[2], sizeof(req)) < 0)
		return -EFAULT;
	if (!timespec_valid(&req))
		return -EINVAL;
	return do_sleep(t, clock, absolute, &req, args[3]);
}
