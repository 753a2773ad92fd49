/* getrusage and times: CPU time of a task, its process and its reaped
 * children. NOTE: besides the times, only ru_maxrss of RUSAGE_SELF is
 * filled in, from an upper-bound estimate; the other counters (faults,
 * context switches) read as zero. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>

#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/sys_misc/cputime.h"
#include "sentry/sys_misc/timespec.h"
#include "sentry/task.h"

/* Linux's USER_HZ: the unit of times() and struct tms. */
#define USER_HZ 100

static void children_cpu_times(struct task *t, struct cpu_times *out)
{
	pthread_mutex_lock(&tasklist_lock);
	out->user_ns = timespec_to_ns(&t->tg->cutime);
	out->system_ns = timespec_to_ns(&t->tg->cstime);
	out->sched_ns = out->user_ns + out->system_ns;
	pthread_mutex_unlock(&tasklist_lock);
}

SYSCALL_DEFINE(SYS_getrusage, getrusage)
{
	struct cpu_times times;
	struct rusage usage;

	switch ((int)args[0]) {
	case RUSAGE_SELF:
		process_cpu_times(t, &times);
		break;
	case RUSAGE_CHILDREN:
		children_cpu_times(t, &times);
		break;
	case RUSAGE_THREAD:
		thread_cpu_times(t, &times);
		break;
	default:
		return -EINVAL;
	}
	memset(&usage, 0, sizeof(usage));
	usage.ru_utime = ns_to_timeval(times.user_ns);
	usage.ru_stime = ns_to_timeval(times.system_ns);
	if ((int)args[0] == RUSAGE_SELF && t->mm)
		usage.ru_maxrss = mm_rss_estimate(t->mm) / 1024;
	if (copy_to_user(t, args[1], &usage, sizeof(usage)) < 0)
		return -EFAULT;
	return 0;
}

static clock_t ns_to_clock_ticks(int64_t ns)
{
	return ns / (NSEC_PER_SEC / USER_HZ);
}

SYSCALL_DEFINE(SYS_times, times)
{
	struct cpu_times self, children;
	struct tms tms;

	if (args[0]) {
		process_cpu_times(t, &self);
		children_cpu_times(t, &children);
		tms.tms_utime = ns_to_clock_ticks(self.user_ns);
		tms.tms_stime = ns_to_clock_ticks(self.system_ns);
		tms.tms_cutime = ns_to_clock_ticks(children.user_ns);
		tms.tms_cstime = ns_to_clock_ticks(children.system_ns);
		if (copy_to_user(t, args[0], &tms, sizeof(tms)) < 0)
			return -EFAULT;
	}
	/* NOTE: Linux counts from a boot-time offset (INITIAL_JIFFIES), so
	 * only differences between two calls match the host's values. */
	return ns_to_clock_ticks(host_clock_ns(CLOCK_BOOTTIME));
}
