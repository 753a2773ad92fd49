/* Resource limits: getrlimit, setrlimit and prlimit64, stored per
 * process in thread_group->rlim under tasklist_lock. The core sets the
 * first process's limits (sandbox.c) and fork copies them. */
#include <errno.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/sys_misc/cred_rules.h"
#include "sentry/sys_misc/lookup.h"
#include "sentry/task.h"

/* Linux's default fs.nr_open: RLIMIT_NOFILE may not exceed it.
 * NOTE: the host's sysctl may differ; the sentry cannot read /proc. */
#define NR_OPEN_MAX 1048576

/* Linux's check_prlimit_permission(): a task may change its own limits,
 * or those of a process whose real, effective and saved IDs all equal
 * its real IDs, or any with CAP_SYS_RESOURCE. */
static bool may_access_limits(const struct task *t, const struct task *target)
{
	const struct cred *c = &t->cred, *tc = &target->cred;

	if (t == target)
		return true;
	if (c->uid == tc->euid && c->uid == tc->suid && c->uid == tc->uid &&
	    c->gid == tc->egid && c->gid == tc->sgid && c->gid == tc->gid)
		return true;
	return (c->cap_effective & CAP_BIT(CAP_SYS_RESOURCE)) != 0;
}

/* Linux's do_prlimit() on target's process (tasklist_lock held). */
static int do_prlimit(struct task *t, struct task *target,
		      unsigned int resource, const struct rlimit *new_limit,
		      struct rlimit *old_limit)
{
	struct rlimit *limit;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new_limit) {
		if (new_limit->rlim_cur > new_limit->rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE &&
		    new_limit->rlim_max > NR_OPEN_MAX)
			return -EPERM;
	}
	limit = &target->tg->rlim[resource];
	if (new_limit && new_limit->rlim_max > limit->rlim_max &&
	    !(t->cred.cap_effective & CAP_BIT(CAP_SYS_RESOURCE)))
		return -EPERM;
	if (old_limit)
		*old_limit = *limit;
	if (new_limit)
		*limit = *new_limit;
	return 0;
}

SYSCALL_DEFINE(SYS_getrlimit, getrlimit)
{
	struct rlimit old;
	int r;

	pthread_mutex_lock(&tasklist_lock);
	r = do_prlimit(t, t, (unsigned int)args[0], NULL, &old);
	pthread_mutex_unlock(&tasklist_lock);
	if (r < 0)
		return r;
	if (copy_to_user(t, args[1], &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_setrlimit, setrlimit)
{
	struct rlimit new_limit;
	int r;

	if (copy_from_user(t, &new_limit, args[1], sizeof(new_limit)) < 0)
		return -EFAULT;
	pthread_mutex_lock(&tasklist_lock);
	r = do_prlimit(t, t, (unsigned int)args[0], &new_limit, NULL);
	pthread_mutex_unlock(&tasklist_lock);
	return r;
}

SYSCALL_DEFINE(SYS_prlimit64, prlimit64)
{
	pid_t pid = (pid_t)args[0];
	struct rlimit new_limit, old;
	struct task *target;
	int r;

	if (args[2] &&
	    copy_from_user(t, &new_limit, args[2], sizeof(new_limit)) < 0)
		return -EFAULT;

	pthread_mutex_lock(&tasklist_lock);
	target = lookup_task(t, pid);
	if (!target)
		r = -ESRCH;
	else if (!may_access_limits(t, target))
		r = -EPERM;
	else
		r = do_prlimit(t, target, (unsigned int)args[1],
			       args[2] ? &new_limit : NULL,
			       args[3] ? &old : NULL);
	pthread_mutex_unlock(&tasklist_lock);
	if (r < 0)
		return r;
	if (args[3] && copy_to_user(t, args[3], &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}
