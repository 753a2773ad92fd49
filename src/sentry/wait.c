/* Interruptible sleeps of task threads.
 *
 * Every sentry task thread blocks all host signals but the faults, except
 * while it sleeps in ppoll() here, where ppoll's mask argument unblocks
 * SIG_TASK_WAKE atomically. A sender queues the guest signal first and
 * then calls task_wake(), which sends SIG_TASK_WAKE to the thread. If the
 * thread is about to sleep, the host signal stays pending until ppoll
 * unblocks it, so no wake-up is lost between the check and the sleep.
 */
#include "sentry/wait.h"
#include "sentry/signal.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/mm.h"
#include "common/util.h"

#include <errno.h>
#include <signal.h>
#include <time.h>

#define SIG_TASK_WAKE (SIGRTMIN + 2)

int sig_task_wake(void)
{
	return SIG_TASK_WAKE;
}

bool task_signal_pending(struct task *t)
{
	struct sighand *sh = t->sighand;
	bool pending;

	if (__atomic_load_n(&t->exiting, __ATOMIC_SEQ_CST) ||
	    __atomic_load_n(&t->tg->group_exit, __ATOMIC_SEQ_CST))
		return true;
	pthread_mutex_lock(&sh->lock);
	pending =
	    ((t->pending.set | t->tg->shared_pending.set) & ~t->blocked) != 0;
	pthread_mutex_unlock(&sh->lock);
	return pending;
}

static void deadline_to_timeout(const struct timespec *deadline,
				struct timespec *timeout)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	timeout->tv_sec = deadline->tv_sec - now.tv_sec;
	timeout->tv_nsec = deadline->tv_nsec - now.tv_nsec;
	if (timeout->tv_nsec < 0) {
		timeout->tv_nsec += 1000000000L;
		timeout->tv_sec--;
	}
	if (timeout->tv_sec < 0)
		timeout->tv_sec = timeout->tv_nsec = 0;
}

int task_poll_host(struct task *t, struct pollfd *fds, int nfds,
		   const struct timespec *deadline)
{
	sigset_t mask;
	struct timespec timeout;
	int n;

	sigfillset(&mask);
	sigdelset(&mask, SIG_TASK_WAKE);
	for (;;) {
		/* Readiness wins over a pending signal, as in Linux's
		 * poll(), so a write to a regular file or to a pipe with
		 * room goes through even with a signal pending. */
		if (nfds > 0) {
			n = ppoll(fds, nfds, &(struct timespec){0, 0}, NULL);
			if (n != 0)
				return n > 0 ? n : neg_errno();
		}
		if (task_signal_pending(t))
			return -ERESTARTSYS;
		if (deadline)
			deadline_to_timeout(deadline, &timeout);
		__atomic_store_n(&t->in_host_block, 1, __ATOMIC_SEQ_CST);
		n = ppoll(fds, nfds, deadline ? &timeout : NULL, &mask);
		__atomic_store_n(&t->in_host_block, 0, __ATOMIC_SEQ_CST);
		if (n >= 0)
			return n;
		if (errno != EINTR)
			return neg_errno();
	}
}

int task_wait_cond(struct task *t, pthread_cond_t *cond, pthread_mutex_t *mutex,
		   const struct timespec *deadline)
{
	int err = 0;

	pthread_mutex_lock(&t->wait_lock);
	t->wait_cond = cond;
	t->wait_mutex = mutex;
	pthread_mutex_unlock(&t->wait_lock);

	/* The caller holds mutex, and task_wake() takes mutex before it
	 * broadcasts, so a wake-up can't slip in between this check and
	 * the wait. */
	if (task_signal_pending(t)) {
		err = -ERESTARTSYS;
	} else if (deadline) {
		struct timespec abs;
		struct timespec now_mono, now_real;
		/* pthread condvars here use CLOCK_REALTIME: convert. */
		clock_gettime(CLOCK_MONOTONIC, &now_mono);
		clock_gettime(CLOCK_REALTIME, &now_real);
		abs.tv_sec =
		    now_real.tv_sec + (deadline->tv_sec - now_mono.tv_sec);
		abs.tv_nsec =
		    now_real.tv_nsec + (deadline->tv_nsec - now_mono.tv_nsec);
		while (abs.tv_nsec < 0) {
			abs.tv_nsec += 1000000000L;
			abs.tv_sec--;
		}
		while (abs.tv_nsec >= 1000000000L) {
			abs.tv_nsec -= 1000000000L;
			abs.tv_sec++;
		}
		if (pthread_cond_timedwait(cond, mutex, &abs) == ETIMEDOUT)
			err = -ETIMEDOUT;
	} else {
		pthread_cond_wait(cond, mutex);
	}

	pthread_mutex_lock(&t->wait_lock);
	t->wait_cond = NULL;
	t->wait_mutex = NULL;
	pthread_mutex_unlock(&t->wait_lock);
	if (!err && task_signal_pending(t))
		err = -ERESTARTSYS;
	return err;
}

void task_wake(struct task *t)
{
	pthread_mutex_t *m;
	pthread_cond_t *c;

	/* Read the sleep target under wait_lock, but lock the target mutex
	 * only after dropping wait_lock: the sleeper takes wait_lock while
	 * holding its mutex, so the other order would deadlock. */
	pthread_mutex_lock(&t->wait_lock);
	m = t->wait_mutex;
	c = t->wait_cond;
	pthread_mutex_unlock(&t->wait_lock);
	if (m && c) {
		pthread_mutex_lock(m);
		pthread_cond_broadcast(c);
		pthread_mutex_unlock(m);
	}
	/* wait_lock keeps the thread alive while it is signalled: the
	 * thread sets thread_done under it as its last act. */
	pthread_mutex_lock(&t->wait_lock);
	if (!t->thread_done) {
		if (t->thread)
			pthread_kill(t->thread, SIG_TASK_WAKE);
		/* A task running application code must come back to the
		 * sentry; a stop that arrives while it is already in the
		 * sentry is harmless. */
		pid_t tid = __atomic_load_n(&t->stub_tid, __ATOMIC_SEQ_CST);
		if (tid > 0 && !t->in_host_block && !m)
			platform_interrupt(NULL, tid);
	}
	pthread_mutex_unlock(&t->wait_lock);
}
