/* Tasks, thread groups and the process tree of the sandbox.
 *
 * Each application thread is a struct task run by its own sentry host
 * thread (see task_run.c). A thread group (struct thread_group) is a
 * process: the tasks sharing a TGID.
 *
 * Locking: tasklist_lock protects the PID table, every parent/child and
 * thread-group link, task and thread-group states (exit state, exit
 * codes, stop state), and the wait queue tasklist_cond, which is broadcast
 * on every change a wait4() caller may be waiting for. Per-task signal
 * state is protected by the task's sighand->lock (see signal.h).
 * Fields marked "owner" are touched only by the task's own sentry thread.
 */
#ifndef MOAT_SENTRY_TASK_H
#define MOAT_SENTRY_TASK_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "platform/platform.h"

struct mm;
struct fdtable;
struct fs_struct;
struct sighand;

#define MOAT_NSIG	 64
#define MOAT_NGROUPS_MAX 65536
#define PID_MAX		 4194304

/* Credentials. Shared by nothing: each task has its own copy, as in
 * Linux (setuid() in glibc applies it to every thread). */
struct cred {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	int ngroups;
	gid_t *groups;		/* ngroups entries, owned */
	uint64_t cap_effective; /* root's full set, or 0 after setuid away */
};

/* A guest signal set: bit (sig - 1) for signal sig, 1..64. */
typedef uint64_t ksigset_t;

/* One queued instance of a real-time signal. */
struct sigqueue {
	siginfo_t info;
	struct sigqueue *next;
};

struct sigpending {
	ksigset_t set;
	/* siginfo of each pending standard signal (one queued per signal). */
	siginfo_t info[MOAT_NSIG];
	/* Real-time signals (SIGRTMIN and up) queue every instance, in
	 * order; a signal's bit in set stays on while its queue is not
	 * empty. */
	struct sigqueue *rt_head[MOAT_NSIG];
	int rt_count;
};

enum task_state {
	TASK_RUNNING,
	TASK_ZOMBIE, /* exited, waiting to be reaped (thread group leader) */
	TASK_DEAD,
};

struct thread_group {
	pid_t tgid;
	struct task *leader;
	int nr_threads;		       /* live tasks in the group */
	struct thread_group *parent;   /* NULL for the init process */
	struct thread_group *children; /* first child, linked by sibling */
	struct thread_group *sibling;
	pid_t pgid, sid;
	/* Exit status in wait(2) encoding, valid once exited is set. */
	int exit_status;
	bool exited;	 /* every thread is gone: a zombie until reaped */
	bool group_exit; /* exit_group() or a fatal signal in progress */
	/* Job control: stopped by SIGSTOP etc.; reported once to wait4. */
	bool stopped, stop_reported, continued_report;
	int stop_sig;
	struct sigpending shared_pending; /* protected by sighand->lock */
	struct rlimit rlim[RLIM_NLIMITS]; /* protected by tasklist_lock */
	/* Times accumulated by reaped children, for getrusage/times. */
	struct timespec cutime, cstime;
	/* The process's own CPU time, taken when its last thread exits. */
	int64_t final_utime_ns, final_stime_ns;
	struct timespec start_time; /* CLOCK_MONOTONIC at creation */
	int exit_signal;   /* sent to the parent on exit (SIGCHLD usually) */
	uint64_t refcount; /* protected by tasklist_lock */
	bool child_subreaper;
};

struct task {
	pid_t tid;
	struct thread_group *tg;
	/* Next thread of tg, protected by tasklist_lock. The leader stays
	 * first until the group is reaped; other threads are unlinked when
	 * they exit. */
	struct task *next_thread;
	enum task_state state;

	struct mm *mm;
	struct fdtable *files;
	struct fs_struct *fs;
	struct sighand *sighand;
	struct cred cred;

	/* Signals (sighand->lock). */
	ksigset_t blocked;
	struct sigpending pending;
	stack_t altstack;	 /* owner */
	ksigset_t saved_mask;	 /* for sigsuspend/ppoll restore (owner) */
	bool restore_saved_mask; /* owner */

	/* Registers of the stopped application thread (owner). */
	struct arch_regs regs;

	/* The state restart_syscall needs to continue a nanosleep or
	 * relative clock_nanosleep that a signal without a handler
	 * interrupted, like Linux's restart_block (owner). */
	struct restart_block {
		bool sleep_pending; /* false: restart_syscall fails EINTR */
		clockid_t clock;
		int64_t deadline_ns; /* absolute, on clock */
		uint64_t rem_addr;   /* where to store the time left, or 0 */
	} restart;

	uint64_t clear_child_tid; /* owner */
	uint64_t set_child_tid;	  /* owner: written at first run */
	uint64_t robust_list;	  /* owner */
	char comm[16];		  /* protected by tasklist_lock */

	pthread_t thread; /* the sentry thread running this task */
	/* Host TID of the stub thread it traces; atomic, since task_wake()
	 * reads it from other threads. */
	pid_t stub_tid;
	/* Wake-up support for blocking syscalls (see wait.c). */
	pthread_mutex_t wait_lock;
	pthread_cond_t *wait_cond; /* condition the task sleeps on, or NULL */
	pthread_mutex_t *wait_mutex;
	volatile int in_host_block; /* sleeping in a host syscall */

	uint64_t syscall_count;	      /* owner, for stats */
	struct timespec utime, stime; /* owner; approximate */
	int exit_code;		      /* owner: for the exit path */
	bool exiting;	  /* leave the run loop; atomic (de_thread sets it) */
	bool thread_done; /* the sentry thread is gone (wait_lock) */
	bool attach_pending; /* owner: must attach to a forked stub first */
	/* vfork: the parent sleeps until the child execs or exits
	 * (tasklist_lock). */
	struct task *vfork_parent;
	bool vfork_done;
	int pdeath_signal;
	uint64_t refcount; /* protected by tasklist_lock */
};

/* The task run by the calling sentry thread. */
extern __thread struct task *current;

extern pthread_mutex_t tasklist_lock;
extern pthread_cond_t tasklist_cond;

/* PID table (tasklist_lock held). */
struct task *pid_task(pid_t pid);
struct thread_group *pid_thread_group(pid_t tgid);
int pid_alloc(struct task *t);
void pid_free(pid_t pid);
/* Make pid name t (execve by a non-leader thread takes the leader's). */
void replace_pid_task(pid_t pid, struct task *t);
/* Call fn on every thread group (tasklist_lock held). */
void for_each_thread_group(void (*fn)(struct thread_group *, void *),
			   void *arg);

/* Reference counting, lock-free for callers (takes tasklist_lock). */
void task_get(struct task *t);
void task_put(struct task *t);
/* Free a task whose last reference was dropped under tasklist_lock. */
void task_free_locked(struct task *t);

/* Is the task's credential root-equivalent for permission checks? */
bool capable(const struct task *t);

/* The exit status encoding of wait(2). */
static inline int wstatus_exited(int code)
{
	return (code & 0xff) << 8;
}
static inline int wstatus_signaled(int sig, bool core)
{
	return (sig & 0x7f) | (core ? 0x80 : 0);
}

struct task *task_alloc(void);
struct thread_group *thread_group_alloc(struct task *leader);
/* Start the sentry thread that runs t (t->regs must be ready). */
int task_start_thread(struct task *t);
/* Finish the task: release its resources and, for the last thread of a
 * group, make the group a zombie and notify the parent. */
void task_exit(struct task *t);
/* fork/vfork/clone; returns the child's PID or a negative errno. */
long do_fork(struct task *t, uint64_t flags, uint64_t newsp,
	     uint64_t parent_tid, uint64_t child_tid, uint64_t tls);
/* Wake futex waiters on a thread's clear_child_tid address. */
void futex_wake_tid_addr(struct mm *mm, uint64_t addr);
/* Wake every live thread of tg but except (which may be NULL). */
void tg_wake_threads(struct thread_group *tg, struct task *except);
/* Make the whole thread group exit with the wait(2) status. */
void do_group_exit(struct task *t, int wstatus);
/* The thread group whose exit ends the sandbox (PID 1). */
extern struct thread_group *init_tg;

/* Run t on the calling thread until it exits. */
void task_loop(struct task *t);

/* Start the init process (PID 1) from cfg and run the sandbox until it
 * exits; returns the exit status for the sentry's own exit. */
struct sentry_config;
int sandbox_run(const struct sentry_config *cfg);

#endif
