/* Side tables for the per-task and per-process state of this folder
 * (see misc.h). Every field is protected by misc_lock. */
#ifndef MOAT_SENTRY_SYS_MISC_TASK_MISC_H
#define MOAT_SENTRY_SYS_MISC_TASK_MISC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct task;
struct thread_group;

/* Linux's default timer slack of a thread, in nanoseconds. */
#define DEFAULT_TIMER_SLACK_NS 50000

struct task_misc {
	struct task *task; /* key, together with tid */
	pid_t tid;
	uint64_t cap_permitted;
	bool keep_caps;	    /* PR_SET_KEEPCAPS */
	bool no_new_privs;  /* PR_SET_NO_NEW_PRIVS */
	int pdeathsig;	    /* PR_SET_PDEATHSIG */
	int nice;	    /* -20..19 */
	int sched_policy;   /* SCHED_* without SCHED_RESET_ON_FORK */
	int sched_priority; /* 1..99 for SCHED_FIFO and SCHED_RR, else 0 */
	bool sched_reset_on_fork;
	uint64_t timer_slack_ns;
	int ioprio;
	unsigned int personality;
	struct task_misc *next;
};

struct tg_misc {
	struct thread_group *tg; /* key, together with tgid */
	pid_t tgid;
	bool child_subreaper;
	int dumpable;  /* 0 or 1 (SUID_DUMP_DISABLE or SUID_DUMP_USER) */
	bool did_exec; /* the process called execve since fork */
	struct tg_misc *next;
};

extern pthread_mutex_t misc_lock;

/* The entry of t or tg, created with defaults if missing (misc_lock
 * held). It stays valid until misc_task_free()/misc_thread_group_free(). */
struct task_misc *task_misc(struct task *t);
struct tg_misc *tg_misc(struct thread_group *tg);

/* Disarm the interval timers of tg (itimer.c). */
void itimer_release(struct thread_group *tg);
/* Delete the POSIX timers of tg (posix_timer.c), for execve and exit. */
void posix_timers_release(struct thread_group *tg);

#endif
