/* CPU time of guest threads and processes. */
#ifndef MOAT_SENTRY_SYS_MISC_CPUTIME_H
#define MOAT_SENTRY_SYS_MISC_CPUTIME_H

#include <stdint.h>
#include <sys/types.h>

struct task;
struct thread_group;

/* User and system time of a process or thread, in nanoseconds. */
struct cpu_times {
	int64_t user_ns;
	int64_t system_ns;
	/* Run time measured by the scheduler: precise, where user_ns and
	 * system_ns are sampled at timer ticks. */
	int64_t sched_ns;
};

/* Measure the CPU time of t's own process. */
void process_cpu_times(struct task *t, struct cpu_times *out);
/* Sum the times the core recorded for the threads of tg (tasklist_lock
 * held): for processes other than the caller's. */
void group_cpu_times(struct thread_group *tg, struct cpu_times *out);
/* Measure the CPU time of the thread t. */
void thread_cpu_times(struct task *t, struct cpu_times *out);

#endif
