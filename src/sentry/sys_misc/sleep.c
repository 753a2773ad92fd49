/* nanosleep and clock_nanosleep.
 *
 * A sleep waits in task_poll_host() with no FDs until an absolute
 * CLOCK_MONOTONIC deadline, so a signal for the task ends it early. An
 * interrupted relative sleep writes the remaining time. It fails with
 * EINTR when a handler runs, and otherwise (a stop and continue, for
 * example) continues to the same deadline through restart_syscall.
 */
#include <errno.h>
#include <sys/syscall.h>
#include <time.h>

#include "sentry/mm.h"
#include "sentry/task.h"
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

/* Store the time left until target_ns on clock at rem_addr (if not 0). */
static int write_remaining(struct task *t, clockid_t clock, int64_t target_ns,
			   uint64_t rem_addr)
{
	int64_t now;
	struct timespec rem;

	if (!rem_addr)
		return 0;
	clock_read(t, clock, &now);
	rem = ns_to_timespec(now < target_ns ? target_ns - now : 0);
	if (copy_to_user(t, rem_addr, &rem, sizeof(rem)) < 0)
		return -EFAULT;
	return 0;
}

/* Sleep until target_ns on clock. A signal ends a relative sleep with
 * the time left written to rem_addr and -ERESTART_RESTARTBLOCK: the call
 * fails with EINTR if a handler runs, and otherwise continues through
 * restart_syscall with the deadline saved in t->restart. An absolute
 * sleep returns -ERESTARTNOHAND and restarts with its own arguments. */
static long sleep_until_target(struct task *t, clockid_t clock, bool absolute,
			       int64_t target_ns, uint64_t rem_addr)
{
	int r = sleep_until_clock(t, clock, target_ns);

	if (r != -ERESTARTSYS)
		return r;
	if (absolute)
		return -ERESTARTNOHAND;
	r = write_remaining(t, clock, target_ns, rem_addr);
	if (r < 0)
		return r;
	t->restart = (struct restart_block){
	    .sleep_pending = true,
	    .clock = clock,
	    .deadline_ns = target_ns,
	    .rem_addr = rem_addr,
	};
	return -ERESTART_RESTARTBLOCK;
}

/* Sleep for req on clock (until req if absolute). */
static long do_sleep(struct task *t, clockid_t clock, bool absolute,
		     const struct timespec *req, uint64_t rem_addr)
{
	int64_t start, target;
	int r = clock_read(t, clock, &start);

	if (r < 0)
		return r;
	target =
	    absolute ? timespec_to_ns(req) : ns_add(start, timespec_to_ns(req));
	return sleep_until_target(t, clock, absolute, target, rem_addr);
}

/* Continue the sleep that the last -ERESTART_RESTARTBLOCK left in
 * t->restart. Without one, fail with EINTR as Linux does. */
SYSCALL_DEFINE(SYS_restart_syscall, restart_syscall)
{
	struct restart_block rb = t->restart;

	t->restart.sleep_pending = false;
	if (!rb.sleep_pending)
		return -EINTR;
	return sleep_until_target(t, rb.clock, false, rb.deadline_ns,
				  rb.rem_addr);
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
