/* Finding and walking tasks for syscalls that take a PID. */
#ifndef MOAT_SENTRY_SYS_MISC_LOOKUP_H
#define MOAT_SENTRY_SYS_MISC_LOOKUP_H

#include <sys/types.h>

struct task;

/* The task with ID pid, or t itself for pid 0; NULL if there is none or
 * it has exited (tasklist_lock held). */
struct task *lookup_task(struct task *t, pid_t pid);

/* Call fn on every live task of the sandbox (tasklist_lock held). */
void for_each_live_task(void (*fn)(struct task *, void *), void *arg);

#endif
