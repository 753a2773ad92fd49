/* Process IDs, process groups and sessions: getpid, gettid, getppid,
 * getpgrp, getpgid, getsid, setpgid and setsid. The thread-group links
 * and IDs are protected by tasklist_lock. */
#include <errno.h>
#include <sys/syscall.h>

#include "sentry/syscall.h"
#include "sentry/sys_misc/lookup.h"
#include "sentry/sys_misc/task_misc.h"
#include "sentry/task.h"

SYSCALL_DEFINE(SYS_getpid, getpid)
{
	return t->tg->tgid;
}

SYSCALL_DEFINE(SYS_gettid, gettid)
{
	return t->tid;
}

SYSCALL_DEFINE(SYS_getppid, getppid)
{
	pid_t ppid;

	pthread_mutex_lock(&tasklist_lock);
	ppid = t->tg->parent ? t->tg->parent->tgid : 0;
	pthread_mutex_unlock(&tasklist_lock);
	return ppid;
}

SYSCALL_DEFINE(SYS_getpgrp, getpgrp)
{
	pid_t pgid;

	pthread_mutex_lock(&tasklist_lock);
	pgid = t->tg->pgid;
	pthread_mutex_unlock(&tasklist_lock);
	return pgid;
}

/* The process group (or session) of the task with ID pid, any thread of
 * a process included, as in Linux. */
static long get_group_id(struct task *t, pid_t pid, bool session)
{
	struct task *target;
	long r;

	pthread_mutex_lock(&tasklist_lock);
	target = lookup_task(t, pid);
	if (!target)
		r = -ESRCH;
	else
		r = session ? target->tg->sid : target->tg->pgid;
	pthread_mutex_unlock(&tasklist_lock);
	return r;
}

SYSCALL_DEFINE(SYS_getpgid, getpgid)
{
	return get_group_id(t, (pid_t)args[0], false);
}

SYSCALL_DEFINE(SYS_getsid, getsid)
{
	return get_group_id(t, (pid_t)args[0], true);
}

/* Is there a live process in process group pgid, optionally only in
 * session sid (0: any)? */
struct pgrp_search {
	pid_t pgid, sid;
	bool found;
};

static void find_pgrp_member(struct thread_group *tg, void *arg)
{
	struct pgrp_search *s = arg;

	if (!tg->exited && tg->pgid == s->pgid &&
	    (!s->sid || tg->sid == s->sid))
		s->found = true;
}

static bool pgrp_exists(pid_t pgid, pid_t sid)
{
	struct pgrp_search s = {.pgid = pgid, .sid = sid};

	for_each_thread_group(find_pgrp_member, &s);
	return s.found;
}

static bool did_exec(struct thread_group *tg)
{
	bool r;

	pthread_mutex_lock(&misc_lock);
	r = tg_misc(tg)->did_exec;
	pthread_mutex_unlock(&misc_lock);
	return r;
}

/* Linux's setpgid() checks, in its order (tasklist_lock held). */
static int do_setpgid(struct task *t, pid_t pid, pid_t pgid)
{
	struct thread_group *self = t->tg;
	struct task *target = lookup_task(t, pid);
	struct thread_group *tg;

	if (!target)
		return -ESRCH;
	tg = target->tg;
	/* Only a whole process, named by its leader's ID, moves. */
	if (target->tid != tg->tgid)
		return -EINVAL;
	if (tg->parent == self) {
		if (tg->sid != self->sid)
			return -EPERM;
		/* A child may be moved only until it calls execve. */
		if (did_exec(tg))
			return -EACCES;
	} else if (tg != self) {
		return -ESRCH;
	}
	if (tg->sid == tg->tgid)
		return -EPERM; /* a session leader */
	if (pgid != pid && !pgrp_exists(pgid, self->sid))
		return -EPERM;
	tg->pgid = pgid;
	return 0;
}

SYSCALL_DEFINE(SYS_setpgid, setpgid)
{
	pid_t pid = (pid_t)args[0];
	pid_t pgid = (pid_t)args[1];
	int r;

	if (!pid)
		pid = t->tg->tgid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	pthread_mutex_lock(&tasklist_lock);
	r = do_setpgid(t, pid, pgid);
	pthread_mutex_unlock(&tasklist_lock);
	return r;
}

/* NOTE: the new session has no controlling terminal; detaching from the
 * old one is the TTY code's job. */
SYSCALL_DEFINE(SYS_setsid, setsid)
{
	struct thread_group *tg = t->tg;
	long r;

	pthread_mutex_lock(&tasklist_lock);
	/* Fails when a process group with our ID exists, which includes
	 * being a process group leader already. */
	if (pgrp_exists(tg->tgid, 0)) {
		r = -EPERM;
	} else {
		tg->sid = tg->tgid;
		tg->pgid = tg->tgid;
		r = tg->sid;
	}
	pthread_mutex_unlock(&tasklist_lock);
	return r;
}
