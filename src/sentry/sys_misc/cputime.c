/* CPU time of guest threads and processes.
 *
 * Guest code runs in the host stub process of its address space, so the
 * host's CPU clock of that process is the guest process's own user and
 * system time. Linux lets any process read another's process CPU clock
 * (clock IDs encode the PID), but not a thread clock outside its own
 * thread group, so per-thread times come from struct task instead. */
#include "sentry/sys_misc/cputime.h"

#include <time.h>

#include "platform/platform.h"
#include "sentry/mm.h"
#include "sentry/sys_misc/timespec.h"
#include "sentry/task.h"

/* Linux's encoding of a process CPU clock (include/linux/posix-timers.h):
 * the clock kinds of CPUCLOCK_WHICH and the PID in the upper bits. */
#define CPUCLOCK_PROF  0 /* user + system */
#define CPUCLOCK_VIRT  1 /* user */
#define CPUCLOCK_SCHED 2 /* scheduler run time */
#define MAKE_PROCESS_CPUCLOCK(pid, which)                                      \
	((clockid_t)((~(unsigned int)(pid)) << 3) | (which))

static int stub_cpu_times(struct task *t, struct cpu_times *out)
{
	struct timespec prof, virt, sched;
	pid_t pid;

	if (!t->mm || !t->mm->as)
		return -1;
	pid = platform_as_pid(t->mm->as);
	if (clock_gettime(MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_PROF), &prof) <
		0 ||
	    clock_gettime(MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_VIRT), &virt) <
		0 ||
	    clock_gettime(MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED), &sched) <
		0)
		return -1;
	out->user_ns = timespec_to_ns(&virt);
	out->system_ns = timespec_to_ns(&prof) - out->user_ns;
	if (out->system_ns < 0)
		out->system_ns = 0;
	out->sched_ns = timespec_to_ns(&sched);
	return 0;
}

static void add_task_times(struct task *t, struct cpu_times *out)
{
	out->user_ns += timespec_to_ns(&t->utime);
	out->system_ns += timespec_to_ns(&t->stime);
	out->sched_ns = out->user_ns + out->system_ns;
}

void group_cpu_times(struct thread_group *tg, struct cpu_times *out)
{
	struct task *first = tg->leader;

	out->user_ns = 0;
	out->system_ns = 0;
	out->sched_ns = 0;
	for (struct task *t = first; t; t = t->next_thread) {
		add_task_times(t, out);
		if (t->next_thread == first)
			break;
	}
}

void process_cpu_times(struct task *t, struct cpu_times *out)
{
	if (stub_cpu_times(t, out) == 0)
		return;
	pthread_mutex_lock(&tasklist_lock);
	group_cpu_times(t->tg, out);
	pthread_mutex_unlock(&tasklist_lock);
}

void thread_cpu_times(struct task *t, struct cpu_times *out)
{
	/* A single-threaded process's thread time is its process time,
	 * which the stub measures exactly. */
	if (t->tg->nr_threads <= 1 && stub_cpu_times(t, out) == 0)
		return;
	/* NOTE: with several threads this is the core's estimate in
	 * t->utime and t->stime, which may lag behind the real time. */
	out->user_ns = timespec_to_ns(&t->utime);
	out->system_ns = timespec_to_ns(&t->stime);
	out->sched_ns = out->user_ns + out->system_ns;
}
