/* futex(2): FUTEX_WAIT, FUTEX_WAKE and their bitset forms.
 *
 * Waiters sleep on one global condition variable under futex_lock and
 * are matched by key: (mm, address) for private futexes. A shared futex
 * is keyed by address alone.
 * NOTE: shared futexes in different processes mapped at different
 * addresses are not matched; the key would need the backing object.
 */
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/wait.h"
#include "common/util.h"

#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>

struct futex_waiter {
	struct mm *mm; /* NULL for shared futexes */
	uint64_t addr;
	uint32_t bitset;
	bool woken;
	struct futex_waiter *next;
};

static pthread_mutex_t futex_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t futex_cond = PTHREAD_COND_INITIALIZER;
static struct futex_waiter *futex_waiters;

static void waiter_remove(struct futex_waiter *w)
{
	for (struct futex_waiter **pp = &futex_waiters; *pp;
	     pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			return;
		}
	}
}

static int timespec_deadline(struct task *t, uint64_t uts, bool absolute,
			     int clock, struct timespec *deadline)
{
	struct timespec ts, now_mono, now;

	if (copy_from_user(t, &ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
		return -EINVAL;
	clock_gettime(CLOCK_MONOTONIC, &now_mono);
	if (absolute) {
		/* Convert the absolute time on clock to CLOCK_MONOTONIC. */
		clock_gettime(clock, &now);
		ts.tv_sec -= now.tv_sec;
		ts.tv_nsec -= now.tv_nsec;
		if (ts.tv_nsec < 0) {
			ts.tv_nsec += 1000000000L;
			ts.tv_sec--;
		}
		if (ts.tv_sec < 0)
			ts.tv_sec = ts.tv_nsec = 0;
	}
	deadline->tv_sec = now_mono.tv_sec + ts.tv_sec;
	deadline->tv_nsec = now_mono.tv_nsec + ts.tv_nsec;
	if (deadline->tv_nsec >= 1000000000L) {
		deadline->tv_nsec -= 1000000000L;
		deadline->tv_sec++;
	}
	return 0;
}

static long futex_wait(struct task *t, struct mm *key_mm, uint64_t addr,
		       uint32_t val, const struct timespec *deadline,
		       uint32_t bitset)
{
	struct futex_waiter w = {key_mm, addr, bitset, false, NULL};
	uint32_t cur;
	long r = 0;

	if (!bitset)
		return -EINVAL;
	pthread_mutex_lock(&futex_lock);
	/* Read the value under futex_lock, so a waker that changes it and
	 * then calls FUTEX_WAKE cannot slip in before this task sleeps. */
	if (copy_from_user(t, &cur, addr, sizeof(cur))) {
		pthread_mutex_unlock(&futex_lock);
		return -EFAULT;
	}
	if (cur != val) {
		pthread_mutex_unlock(&futex_lock);
		return -EAGAIN;
	}
	w.next = futex_waiters;
	futex_waiters = &w;
	while (!w.woken) {
		r = task_wait_cond(t, &futex_cond, &futex_lock, deadline);
		if (w.woken) {
			r = 0;
			break;
		}
		if (r == -ETIMEDOUT || r == -ERESTARTSYS)
			break;
	}
	waiter_remove(&w);
	pthread_mutex_unlock(&futex_lock);
	return r;
}

static long futex_wake(struct mm *key_mm, uint64_t addr, int nr,
		       uint32_t bitset)
{
	int woken = 0;

	if (!bitset)
		return -EINVAL;
	pthread_mutex_lock(&futex_lock);
	for (struct futex_waiter *w = futex_waiters; w && woken < nr;
	     w = w->next) {
		if (w->mm == key_mm && w->addr == addr && !w->woken &&
		    (w->bitset & bitset)) {
			w->woken = true;
			woken++;
		}
	}
	if (woken)
		pthread_cond_broadcast(&futex_cond);
	pthread_mutex_unlock(&futex_lock);
	return woken;
}

void futex_wake_tid_addr(struct mm *mm, uint64_t addr)
{
	/* The waiter may have used a private or a shared futex. */
	futex_wake(mm, addr, 1, FUTEX_BITSET_MATCH_ANY);
	futex_wake(NULL, addr, 1, FUTEX_BITSET_MATCH_ANY);
}

SYSCALL_DEFINE(SYS_futex, futex)
{
	uint64_t addr = args[0];
	int op = (int)args[1];
	int cmd = op & FUTEX_CMD_MASK;
	struct mm *key = (op & FUTEX_PRIVATE_FLAG) ? t->mm : NULL;
	int clock =
	    (op & FUTEX_CLOCK_REALTIME) ? CLOCK_REALTIME : CLOCK_MONOTONIC;
	struct timespec deadline;
	int err;

	if (addr & 3)
		return -EINVAL;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if (args[3]) {
			err = timespec_deadline(t, args[3],
						cmd == FUTEX_WAIT_BITSET, clock,
						&deadline);
			if (err)
				return err;
		}
		return futex_wait(t, key, addr, (uint32_t)args[2],
				  args[3] ? &deadline : NULL,
				  cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY
						    : (uint32_t)args[5]);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		return futex_wake(key, addr, (int)args[2],
				  cmd == FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY
						    : (uint32_t)args[5]);
	}
	/* TODO: requeue, wake-op and PI futexes. */
	return -ENOSYS;
}
