/* The PID table, task allocation and reference counting.
 *
 * PIDs are allocated in [1, PID_TABLE_SIZE) with wrap-around, like Linux's
 * pid_max; the table is protected by tasklist_lock. A PID stays allocated
 * until its thread group is reaped, so a zombie's PID is never reused.
 */
#include "sentry/task.h"
#include "common/log.h"
#include "sentry/wait.h"
#include "common/util.h"
#include "sentry/sys_misc/misc.h"

#include <string.h>

#define PID_TABLE_SIZE 32768

pthread_mutex_t tasklist_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t tasklist_cond = PTHREAD_COND_INITIALIZER;
__thread struct task *current;
struct thread_group *init_tg;

static struct task *pid_table[PID_TABLE_SIZE];
static pid_t last_pid;

struct task *pid_task(pid_t pid)
{
	if (pid <= 0 || pid >= PID_TABLE_SIZE)
		return NULL;
	return pid_table[pid];
}

struct thread_group *pid_thread_group(pid_t tgid)
{
	struct task *t = pid_task(tgid);

	if (!t || t->tg->tgid != tgid)
		return NULL;
	return t->tg;
}

int pid_alloc(struct task *t)
{
	for (int i = 0; i < PID_TABLE_SIZE - 1; i++) {
		pid_t pid = last_pid + 1;
		if (pid >= PID_TABLE_SIZE)
			pid = 1;
		last_pid = pid;
		if (!pid_table[pid]) {
			pid_table[pid] = t;
			t->tid = pid;
			return pid;
		}
	}
	return -EAGAIN;
}

void replace_pid_task(pid_t pid, struct task *t)
{
	if (pid > 0 && pid < PID_TABLE_SIZE)
		pid_table[pid] = t;
}

void pid_free(pid_t pid)
{
	if (pid > 0 && pid < PID_TABLE_SIZE)
		pid_table[pid] = NULL;
}

void for_each_thread_group(void (*fn)(struct thread_group *, void *), void *arg)
{
	for (int pid = 1; pid < PID_TABLE_SIZE; pid++) {
		struct task *t = pid_table[pid];
		if (t && t->tg->tgid == pid)
			fn(t->tg, arg);
	}
}

struct task *task_alloc(void)
{
	struct task *t = xcalloc(1, sizeof(*t));

	pthread_mutex_init(&t->wait_lock, NULL);
	/* One reference for the task's own thread, dropped when the thread
	 * ends, and one for the process tree, dropped when the task is
	 * reaped (release_thread_group). */
	t->refcount = 2;
	t->state = TASK_RUNNING;
	return t;
}

struct thread_group *thread_group_alloc(struct task *leader)
{
	struct thread_group *tg = xcalloc(1, sizeof(*tg));

	tg->leader = leader;
	tg->tgid = leader->tid;
	tg->nr_threads = 1;
	tg->exit_signal = SIGCHLD;
	tg->refcount = 1;
	clock_gettime(CLOCK_MONOTONIC, &tg->start_time);
	leader->tg = tg;
	return tg;
}

void task_get(struct task *t)
{
	pthread_mutex_lock(&tasklist_lock);
	t->refcount++;
	pthread_mutex_unlock(&tasklist_lock);
}

static void cred_free(struct cred *c)
{
	free(c->groups);
	c->groups = NULL;
}

void task_free_locked(struct task *t)
{
	misc_task_free(t);
	cred_free(&t->cred);
	pthread_mutex_destroy(&t->wait_lock);
	free(t);
}

void task_put(struct task *t)
{
	bool last;

	pthread_mutex_lock(&tasklist_lock);
	last = --t->refcount == 0;
	pthread_mutex_unlock(&tasklist_lock);
	if (last)
		task_free_locked(t);
}

bool capable(const struct task *t)
{
	return t->cred.euid == 0 && t->cred.cap_effective != 0;
}

void tg_wake_threads(struct thread_group *tg, struct task *except)
{
	struct task *list[256];
	int n = 0;

	/* Take references under tasklist_lock, then wake without it: a
	 * woken task's wait may itself be on tasklist_lock. */
	pthread_mutex_lock(&tasklist_lock);
	for (struct task *th = tg->leader; th && n < (int)ARRAY_SIZE(list);
	     th = th->next_thread) {
		if (th == except || th->state != TASK_RUNNING)
			continue;
		th->refcount++;
		list[n++] = th;
	}
	pthread_mutex_unlock(&tasklist_lock);
	for (int i = 0; i < n; i++) {
		task_wake(list[i]);
		task_put(list[i]);
	}
}
