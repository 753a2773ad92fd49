/* Blocking inside the sentry in a way a guest signal can interrupt.
 *
 * A task thread that sleeps (on a host FD or on a condition variable)
 * must wake up when a signal is sent to it, so the syscall can return
 * -ERESTARTSYS/-EINTR. Senders call task_wake() after queueing a signal.
 */
#ifndef MOAT_SENTRY_WAIT_H
#define MOAT_SENTRY_WAIT_H

#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

struct task;

/* Is a signal pending that is not blocked (or a group exit underway)? */
bool task_signal_pending(struct task *t);

/* Wait on host FDs like ppoll(2) until one is ready, the absolute
 * CLOCK_MONOTONIC deadline passes (NULL: no deadline), or a signal is
 * pending. FDs that are ready already are reported even with a signal
 * pending. Returns the number of ready FDs, 0 on timeout, or -ERESTARTSYS
 * when interrupted. */
int task_poll_host(struct task *t, struct pollfd *fds, int nfds,
		   const struct timespec *deadline);

/* Wait on cond with mutex held (as pthread_cond_wait), interruptible by
 * signals; same returns as task_poll_host minus the count (0 on wake). */
int task_wait_cond(struct task *t, pthread_cond_t *cond, pthread_mutex_t *mutex,
		   const struct timespec *deadline);

/* Wake t if it sleeps in task_poll_host or task_wait_cond. */
void task_wake(struct task *t);

/* Deliver a signal from the kernel to a task (SIGPIPE on EPIPE, etc.). */
int send_signal_to_task(struct task *t, int sig, int code);

#endif
