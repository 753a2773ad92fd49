/* Nice values (getpriority, setpriority) and I/O priorities (ioprio_get,
 * ioprio_set). Both are stored per task and read back; the host keeps
 * running the stubs at its own priorities. */
#include <errno.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "sentry/syscall.h"
#include "sentry/sys_misc/cred_rules.h"
#include "sentry/sys_misc/lookup.h"
#include "sentry/sys_misc/task_misc.h"
#include "sentry/task.h"

#define NICE_MIN (-20)
#define NICE_MAX 19

/* A getpriority or setpriority request and its result so far. */
struct prio_match {
	struct task *caller;
	int which;
	id_t who;
	int nice;   /* setpriority: the new value */
	int result; /* getpriority: best 20 - nice; setpriority: errno */
	bool found;
};

static bool prio_matches(const struct prio_match *pm, struct task *t)
{
	switch (pm->which) {
	case PRIO_PGRP:
		return (id_t)t->tg->pgid == pm->who;
	case PRIO_USER:
		return t->cred.uid == pm->who;
	}
	return false;
}

static void prio_get_one(struct task *t, struct prio_match *pm)
{
	/* The syscall returns 20 - nice (1..40) so that it is never
	 * negative; glibc converts it back. */
	int value = 20 - task_misc(t)->nice;

	if (!pm->found || value > pm->result)
		pm->result = value;
	pm->found = true;
}

/* Linux's set_one_prio(): same user or CAP_SYS_NICE, and lowering the
 * nice value only within RLIMIT_NICE. */
static void prio_set_one(struct task *t, struct prio_match *pm)
{
	const struct cred *c = &pm->caller->cred;
	bool privileged = c->cap_effective & CAP_BIT(CAP_SYS_NICE);
	struct task_misc *m = task_misc(t);
	struct rlimit limit = t->tg->rlim[RLIMIT_NICE];

	if (!pm->found)
		pm->result = 0;
	pm->found = true;
	if (t->cred.uid != c->euid && t->cred.euid != c->euid && !privileged) {
		pm->result = -EPERM;
		return;
	}
	if (pm->nice < m->nice && !privileged &&
	    (rlim_t)(20 - pm->nice) > limit.rlim_cur) {
		pm->result = -EACCES;
		return;
	}
	m->nice = pm->nice;
}

/* Called for each task with tasklist_lock held. */
static void prio_visit(struct task *t, void *arg)
{
	struct prio_match *pm = arg;

	if (!prio_matches(pm, t))
		return;
	if (pm->nice == INT32_MIN)
		prio_get_one(t, pm);
	else
		prio_set_one(t, pm);
}

/* Run pm over the tasks it names (tasklist_lock held). */
static int prio_walk(struct prio_match *pm)
{
	struct task *t = pm->caller;

	switch (pm->which) {
	case PRIO_PROCESS: {
		struct task *target = lookup_task(t, (pid_t)pm->who);

		if (target) {
			pthread_mutex_lock(&misc_lock);
			pm->which = -1;
			if (pm->nice == INT32_MIN)
				prio_get_one(target, pm);
			else
				prio_set_one(target, pm);
			pthread_mutex_unlock(&misc_lock);
		}
		break;
	}
	case PRIO_PGRP:
		if (pm->who == 0)
			pm->who = t->tg->pgid;
		goto walk_all;
	case PRIO_USER:
		if (pm->who == 0)
			pm->who = t->cred.uid;
	walk_all:
		pthread_mutex_lock(&misc_lock);
		for_each_live_task(prio_visit, pm);
		pthread_mutex_unlock(&misc_lock);
		break;
	default:
		return -EINVAL;
	}
	return pm->found ? pm->result : -ESRCH;
}

SYSCALL_DEFINE(SYS_getpriority, getpriority)
{
	struct prio_match pm = {.caller = t,
				.which = (int)args[0],
				.who = (id_t)args[1],
				.nice = INT32_MIN};
	int r;

	pthread_mutex_lock(&tasklist_lock);
	r = prio_walk(&pm);
	pthread_mutex_unlock(&tasklist_lock);
	return r;
}

SYSCALL_DEFINE(SYS_setpriority, setpriority)
{
	int nice = (int)args[2];
	struct prio_match pm = {
	    .caller = t, .which = (int)args[0], .who = (id_t)args[1]};
	int r;

	if (nice < NICE_MIN)
		nice = NICE_MIN;
	if (nice > NICE_MAX)
		nice = NICE_MAX;
	pm.nice = nice;
	pthread_mutex_lock(&tasklist_lock);
	r = prio_walk(&pm);
	pthread_mutex_unlock(&tasklist_lock);
	return r;
}

/* I/O priority encoding (include/uapi/linux/ioprio.h). */
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_PRIO_MASK   ((1 << IOPRIO_CLASS_SHIFT) - 1)
#define IOPRIO_CLASS_NONE  0
#define IOPRIO_CLASS_RT	   1
#define IOPRIO_CLASS_BE	   2
#define IOPRIO_CLASS_IDLE  3
#define IOPRIO_NR_LEVELS   8
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP	   2
#define IOPRIO_WHO_USER	   3

/* Linux's ioprio_check_cap(). */
static int ioprio_check(struct task *t, int ioprio)
{
	int class = ioprio >> IOPRIO_CLASS_SHIFT;
	int level = ioprio & IOPRIO_PRIO_MASK;

	switch (class) {
	case IOPRIO_CLASS_RT:
		if (!(t->cred.cap_effective &
		      (CAP_BIT(CAP_SYS_ADMIN) | CAP_BIT(CAP_SYS_NICE))))
			return -EPERM;
		/* fall through */
	case IOPRIO_CLASS_BE:
		return level >= IOPRIO_NR_LEVELS ? -EINVAL : 0;
	case IOPRIO_CLASS_IDLE:
		return 0;
	case IOPRIO_CLASS_NONE:
		return level ? -EINVAL : 0;
	}
	return -EINVAL;
}

/* ioprio_get and ioprio_set on the calling task or one PID.
 * NOTE: process-group and user targets are accepted but only the calling
 * task's value is stored and read. */
static int ioprio_target(struct task *t, int which, int who,
			 struct task **target)
{
	if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
		return -EINVAL;
	*target = t;
	if (which == IOPRIO_WHO_PROCESS) {
		*target = lookup_task(t, who);
		if (!*target)
			return -ESRCH;
	}
	return 0;
}

SYSCALL_DEFINE(SYS_ioprio_get, ioprio_get)
{
	struct task *target;
	int r;

	pthread_mutex_lock(&tasklist_lock);
	r = ioprio_target(t, (int)args[0], (int)args[1], &target);
	if (r == 0) {
		pthread_mutex_lock(&misc_lock);
		r = task_misc(target)->ioprio;
		pthread_mutex_unlock(&misc_lock);
	}
	pthread_mutex_unlock(&tasklist_lock);
	return r;
}

SYSCALL_DEFINE(SYS_ioprio_set, ioprio_set)
{
	int ioprio = (int)args[2];
	struct task *target;
	int r = ioprio_check(t, ioprio);

	if (r < 0)
		return r;
	pthread_mutex_lock(&tasklist_lock);
	r = ioprio_target(t, (int)args[0], (int)args[1], &target);
	if (r == 0) {
		pthread_mutex_lock(&misc_lock);
		task_misc(target)->ioprio = ioprio;
		pthread_mutex_unlock(&misc_lock);
	}
	pthread_mutex_unlock(&tasklist_lock);
	return r;
}
