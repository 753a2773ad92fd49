/* Side tables of per-task and per-process state (see misc.h), as small
 * hash tables keyed by TID and TGID. An entry also records the task or
 * thread group pointer, so a stale entry left by a missed free hook is
 * not mistaken for the state of a new task that reuses the ID. */
#include "sentry/sys_misc/task_misc.h"

#include <sched.h>
#include <stdlib.h>

#include "common/util.h"
#include "sentry/sys_misc/cred_rules.h"
#include "sentry/sys_misc/misc.h"
#include "sentry/task.h"

#define MISC_BUCKETS 256

pthread_mutex_t misc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct task_misc *task_buckets[MISC_BUCKETS];
static struct tg_misc *tg_buckets[MISC_BUCKETS];

/* Linux keeps the permitted set while any of uid, euid and suid is 0
 * (or keep_caps is set), so a task first seen here gets the full set in
 * that case and, for a non-root task, whatever it has in effect. */
static uint64_t default_permitted(const struct task *t)
{
	const struct cred *c = &t->cred;

	if (c->uid == 0 || c->euid == 0 || c->suid == 0)
		return CAP_FULL_SET;
	return c->cap_effective;
}

static struct task_misc **task_slot(pid_t tid)
{
	return &task_buckets[(unsigned int)tid % MISC_BUCKETS];
}

static struct tg_misc **tg_slot(pid_t tgid)
{
	return &tg_buckets[(unsigned int)tgid % MISC_BUCKETS];
}

static struct task_misc *task_misc_find(struct task *t)
{
	for (struct task_misc *m = *task_slot(t->tid); m; m = m->next)
		if (m->task == t && m->tid == t->tid)
			return m;
	return NULL;
}

static struct tg_misc *tg_misc_find(struct thread_group *tg)
{
	for (struct tg_misc *m = *tg_slot(tg->tgid); m; m = m->next)
		if (m->tg == tg && m->tgid == tg->tgid)
			return m;
	return NULL;
}

struct task_misc *task_misc(struct task *t)
{
	struct task_misc *m = task_misc_find(t);

	if (m)
		return m;
	m = xcalloc(1, sizeof(*m));
	m->task = t;
	m->tid = t->tid;
	m->cap_permitted = default_permitted(t);
	m->sched_policy = SCHED_OTHER;
	m->timer_slack_ns = DEFAULT_TIMER_SLACK_NS;
	m->next = *task_slot(t->tid);
	*task_slot(t->tid) = m;
	return m;
}

struct tg_misc *tg_misc(struct thread_group *tg)
{
	struct tg_misc *m = tg_misc_find(tg);

	if (m)
		return m;
	m = xcalloc(1, sizeof(*m));
	m->tg = tg;
	m->tgid = tg->tgid;
	m->dumpable = 1;
	m->next = *tg_slot(tg->tgid);
	*tg_slot(tg->tgid) = m;
	return m;
}

void misc_task_fork(struct task *parent, struct task *child, bool new_group)
{
	pthread_mutex_lock(&misc_lock);
	struct task_misc *p = task_misc(parent);
	struct task_misc *c = task_misc(child);
	struct task_misc *next = c->next;

	*c = *p;
	c->task = child;
	c->tid = child->tid;
	c->next = next;
	/* Linux clears the parent death signal of every new task and
	 * returns a SCHED_RESET_ON_FORK parent's child to the defaults. */
	c->pdeathsig = 0;
	if (p->sched_reset_on_fork) {
		c->sched_policy = SCHED_OTHER;
		c->sched_priority = 0;
		c->sched_reset_on_fork = false;
		if (c->nice < 0)
			c->nice = 0;
	}
	if (new_group) {
		struct tg_misc *ptg = tg_misc(parent->tg);
		struct tg_misc *ctg = tg_misc(child->tg);

		ctg->dumpable = ptg->dumpable;
		ctg->child_subreaper = false;
		ctg->did_exec = false;
	}
	pthread_mutex_unlock(&misc_lock);
}

void misc_task_exec(struct task *t)
{
	posix_timers_release(t->tg);
	pthread_mutex_lock(&misc_lock);
	task_misc(t)->keep_caps = false;
	tg_misc(t->tg)->did_exec = true;
	pthread_mutex_unlock(&misc_lock);
}

void misc_task_free(struct task *t)
{
	pthread_mutex_lock(&misc_lock);
	for (struct task_misc **pp = task_slot(t->tid); *pp;
	     pp = &(*pp)->next) {
		struct task_misc *m = *pp;

		if (m->task == t) {
			*pp = m->next;
			free(m);
			break;
		}
	}
	pthread_mutex_unlock(&misc_lock);
}

void misc_thread_group_free(struct thread_group *tg)
{
	itimer_release(tg);
	posix_timers_release(tg);
	pthread_mutex_lock(&misc_lock);
	for (struct tg_misc **pp = tg_slot(tg->tgid); *pp; pp = &(*pp)->next) {
		struct tg_misc *m = *pp;

		if (m->tg == tg) {
			*pp = m->next;
			free(m);
			break;
		}
	}
	pthread_mutex_unlock(&misc_lock);
}

int misc_pdeathsig(struct task *t)
{
	int sig;

	pthread_mutex_lock(&misc_lock);
	sig = task_misc(t)->pdeathsig;
	pthread_mutex_unlock(&misc_lock);
	return sig;
}

bool misc_is_child_subreaper(struct thread_group *tg)
{
	bool subreaper;

	pthread_mutex_lock(&misc_lock);
	subreaper = tg_misc(tg)->child_subreaper;
	pthread_mutex_unlock(&misc_lock);
	return subreaper;
}
