/* Guest signals: handlers, masks, queueing and delivery.
 *
 * Signals are emulated entirely by the sentry; host signals never reach
 * application code. Locking: sighand->lock protects the action table,
 * every task's pending set and blocked mask in the thread group, and the
 * group's shared_pending. Lock order: tasklist_lock before sighand->lock.
 */
#ifndef MOAT_SENTRY_SIGNAL_H
#define MOAT_SENTRY_SIGNAL_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "sentry/task.h"

/* The kernel ABI of struct sigaction for rt_sigaction. */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

struct sighand {
	pthread_mutex_t lock;
	int users; /* atomic: tasks sharing it (CLONE_SIGHAND) */
	struct k_sigaction action[MOAT_NSIG];
};

#define SIGMASK(sig)	     (1ULL << ((sig)-1))
#define SIG_KERNEL_ONLY_MASK (SIGMASK(SIGKILL) | SIGMASK(SIGSTOP))

/* Queue sig with info on p (sighand->lock held); false if the real-time
 * queue is full. */
bool sigpending_add(struct sigpending *p, int sig, const siginfo_t *info);
/* Take one pending instance of sig from p (sighand->lock held). */
void sigpending_take(struct sigpending *p, int sig, siginfo_t *info);

/* Discard every pending instance of sig (sighand->lock held). */
void sigpending_flush(struct sigpending *p, int sig);

struct sighand *sighand_create(void);
struct sighand *sighand_copy(struct sighand *old);
void sighand_put(struct sighand *sh);
/* execve: handlers become SIG_DFL, ignored signals stay ignored. */
void sighand_reset_for_exec(struct sighand *sh);

/* Queue sig for one task or for its whole thread group. info may be NULL
 * (then a SI_KERNEL-style info is built). Wakes a task that can take it. */
int send_signal_info(struct task *t, int sig, const siginfo_t *info,
		     bool group);
int send_signal_to_tg(struct thread_group *tg, int sig);
/* kill(2) semantics for pid > 0, 0, -1 and < -1, with permission checks. */
int kill_pid(struct task *sender, pid_t pid, int sig, const siginfo_t *info);
/* Send sig to every process of process group pgrp (which may be 1). */
int kill_pgrp(struct task *sender, pid_t pgrp, int sig, const siginfo_t *info);

/* Called by the task loop after each syscall or fault: deliver pending
 * signals (building handler frames or taking default actions) and handle
 * syscall restart. Returns false if the task must exit. */
bool handle_signals(struct task *t, bool after_syscall);

/* A synchronous fault (SIGSEGV, SIGBUS...) that must be delivered now:
 * unblocked and un-ignored as Linux's force_sig does. */
void force_signal(struct task *t, const siginfo_t *info);

/* The default action of sig: 0 terminate, 1 core, 2 ignore, 3 stop,
 * 4 continue. */
int sig_default_action_of(int sig);
/* rt_sigreturn: restore the registers and mask saved in the frame. */
long do_rt_sigreturn(struct task *t);

/* Stop the thread group (SIGSTOP and friends) and wait for SIGCONT. */
void do_group_stop(struct task *t, int sig);

#endif
