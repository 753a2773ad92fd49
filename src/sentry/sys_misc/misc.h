/* Identity, time, limits and scheduling syscalls (src/sentry/sys_misc).
 *
 * Linux keeps some per-task and per-process state that struct task and
 * struct thread_group do not have yet (permitted capabilities, nice
 * values, prctl flags, personality, interval timers). This folder stores
 * it in side tables keyed by the task or thread group, which the core
 * keeps in step through the lifecycle hooks below.
 *
 * Lock order: tasklist_lock, then misc_lock. misc_lock is innermost:
 * never take another lock while holding it.
 */
#ifndef MOAT_SENTRY_SYS_MISC_MISC_H
#define MOAT_SENTRY_SYS_MISC_MISC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct task;
struct thread_group;

/* Hooks the core calls. Each is safe to skip: a task without an entry
 * gets Linux's defaults (derived from its cred) on first use. */

/* After creating child (a new thread if !new_group), before it runs:
 * copy what fork inherits and reset what it does not (the parent death
 * signal, interval timers, the subreaper flag). */
void misc_task_fork(struct task *parent, struct task *child, bool new_group);
/* After a successful execve, for the side effects exec has in Linux:
 * clears keep_caps and marks the group as having exec'd (for setpgid). */
void misc_task_exec(struct task *t);
/* When t is freed: drops its entry. */
void misc_task_free(struct task *t);
/* When tg is reaped: disarms its timers and drops its entry. */
void misc_thread_group_free(struct thread_group *tg);

/* State the core reads. */

/* The signal t receives when its parent exits (PR_SET_PDEATHSIG), or 0. */
int misc_pdeathsig(struct task *t);
/* Whether tg adopts orphaned descendants (PR_SET_CHILD_SUBREAPER). */
bool misc_is_child_subreaper(struct thread_group *tg);
#endif
