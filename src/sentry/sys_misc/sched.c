/* Scheduling syscalls. The host schedules the stub threads; these calls
 * keep Linux's checks and store the guest's policy and priority so they
 * read back, without changing how the host runs the guest. */
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/sys_misc/cred_rules.h"
#include "sentry/sys_misc/lookup.h"
#include "sentry/sys_misc/task_misc.h"
#include "sentry/task.h"

/* The largest CPU mask we pass to the host, in bytes (8192 CPUs). Longer
 * guest buffers get the same result, since Linux copies at most its own
 * mask size. */
#define MAX_CPUMASK_BYTES 1024

#define SCHED_PRIO_MAX_RT 99

SYSCALL_DEFINE(SYS_sched_yield, sched_yield)
{
	sched_yield();
	return 0;
}

/* The stubs run wherever the sentry may run, so the host's affinity of
 * the sentry is the guest's. */
SYSCALL_DEFINE(SYS_sched_getaffinity, sched_getaffinity)
{
	pid_t pid = (pid_t)args[0];
	size_t len = MIN(args[1], MAX_CPUMASK_BYTES);
	unsigned char mask[MAX_CPUMASK_BYTES];
	long n;

	bool found;

	/* The raw syscall makes the host check len (EINVAL when too short
	 * or not a multiple of 8) and returns how many bytes it wrote. */
	n = syscall(SYS_sched_getaffinity, 0, len, mask);
	if (n < 0)
		return neg_errno();
	pthread_mutex_lock(&tasklist_lock);
	found = lookup_task(t, pid) != NULL;
	pthread_mutex_unlock(&tasklist_lock);
	if (!found)
		return -ESRCH;
	if (copy_to_user(t, args[2], mask, n) < 0)
		return -EFAULT;
	return n;
}

/* Linux's check_same_owner() or CAP_SYS_NICE. */
static bool may_change_sched(const struct task *t, const struct task *target)
{
	const struct cred *c = &t->cred, *tc = &target->cred;

	return c->euid == tc->euid || c->euid == tc->uid ||
	       (c->cap_effective & CAP_BIT(CAP_SYS_NICE));
}

/* Accept any mask that shares a CPU with the host's, as Linux requires,
 * and store nothing: the host keeps placing the stubs. */
SYSCALL_DEFINE(SYS_sched_setaffinity, sched_setaffinity)
{
	pid_t pid = (pid_t)args[0];
	size_t len = MIN(args[1], MAX_CPUMASK_BYTES);
	unsigned char mask[MAX_CPUMASK_BYTES] = {0};
	unsigned char host[MAX_CPUMASK_BYTES] = {0};
	struct task *target;
	bool allowed;
	long n;

	if (copy_from_user(t, mask, args[2], len) < 0)
		return -EFAULT;
	pthread_mutex_lock(&tasklist_lock);
	target = lookup_task(t, pid);
	allowed = target && may_change_sched(t, target);
	pthread_mutex_unlock(&tasklist_lock);
	if (!target)
		return -ESRCH;
	if (!allowed)
		return -EPERM;

	n = syscall(SYS_sched_getaffinity, 0, sizeof(host), host);
	if (n < 0)
		return neg_errno();
	for (long i = 0; i < n; i++)
		if (mask[i] & host[i])
			return 0;
	return -EINVAL;
}

/* Policy and priority of pid, with Linux's errors. */
static int read_sched(struct task *t, pid_t pid, int *policy, int *priority)
{
	struct task *target;

	if (pid < 0)
		return -EINVAL;
	pthread_mutex_lock(&tasklist_lock);
	target = lookup_task(t, pid);
	if (target) {
		pthread_mutex_lock(&misc_lock);
		struct task_misc *m = task_misc(target);
		*policy = m->sched_policy |
			  (m->sched_reset_on_fork ? SCHED_RESET_ON_FORK : 0);
		*priority = m->sched_priority;
		pthread_mutex_unlock(&misc_lock);
	}
	pthread_mutex_unlock(&tasklist_lock);
	return target ? 0 : -ESRCH;
}

SYSCALL_DEFINE(SYS_sched_getscheduler, sched_getscheduler)
{
	int policy, priority;
	int r = read_sched(t, (pid_t)args[0], &policy, &priority);

	return r < 0 ? r : policy;
}

SYSCALL_DEFINE(SYS_sched_getparam, sched_getparam)
{
	struct sched_param param = {0};
	int policy;
	int r;

	if (!args[1])
		return -EINVAL;
	r = read_sched(t, (pid_t)args[0], &policy, &param.sched_priority);
	if (r < 0)
		return r;
	if (copy_to_user(t, args[1], &param, sizeof(param)) < 0)
		return -EFAULT;
	return 0;
}

static bool is_rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static bool policy_valid(int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_BATCH ||
	       policy == SCHED_IDLE || is_rt_policy(policy);
}

/* Linux's __sched_setscheduler() checks for an unprivileged caller: a
 * real-time priority within RLIMIT_RTPRIO, and no leaving SCHED_IDLE
 * unless RLIMIT_NICE would allow nice 0. */
static int check_sched_permission(struct task *t, const struct task_misc *m,
				  int policy, int priority)
{
	struct rlimit rtprio, nice;

	if (t->cred.cap_effective & CAP_BIT(CAP_SYS_NICE))
		return 0;
	rtprio = t->tg->rlim[RLIMIT_RTPRIO];
	nice = t->tg->rlim[RLIMIT_NICE];
	if (is_rt_policy(policy)) {
		if (policy != m->sched_policy && !rtprio.rlim_cur)
			return -EPERM;
		if (priority > m->sched_priority &&
		    priority > (long)rtprio.rlim_cur)
			return -EPERM;
	}
	if (m->sched_policy == SCHED_IDLE && policy != SCHED_IDLE &&
	    20 - m->nice > (long)nice.rlim_cur)
		return -EPERM;
	if (m->sched_reset_on_fork && !(policy & SCHED_RESET_ON_FORK))
		return -EPERM;
	return 0;
}

/* Set the policy (or keep it, for policy -1) and priority of pid. */
static int write_sched(struct task *t, pid_t pid, int policy, uint64_t addr)
{
	struct sched_param param;
	struct task *target;
	bool reset_on_fork;
	int r = 0;

	if (pid < 0 || !addr)
		return -EINVAL;
	if (copy_from_user(t, &param, addr, sizeof(param)) < 0)
		return -EFAULT;

	pthread_mutex_lock(&tasklist_lock);
	target = lookup_task(t, pid);
	if (!target) {
		pthread_mutex_unlock(&tasklist_lock);
		return -ESRCH;
	}
	pthread_mutex_lock(&misc_lock);
	struct task_misc *m = task_misc(target);
	if (policy < 0) {
		policy = m->sched_policy;
		reset_on_fork = m->sched_reset_on_fork;
	} else {
		reset_on_fork = (policy & SCHED_RESET_ON_FORK) != 0;
		policy &= ~SCHED_RESET_ON_FORK;
	}
	if (!policy_valid(policy))
		r = -EINVAL;
	else if (param.sched_priority < 0 ||
		 param.sched_priority > SCHED_PRIO_MAX_RT ||
		 is_rt_policy(policy) != (param.sched_priority != 0))
		r = -EINVAL;
	else if (!may_change_sched(t, target))
		r = -EPERM;
	else
		r = check_sched_permission(
		    t, m, policy | (reset_on_fork ? SCHED_RESET_ON_FORK : 0),
		    param.sched_priority);
	if (r == 0) {
		m->sched_policy = policy;
		m->sched_priority = param.sched_priority;
		m->sched_reset_on_fork = reset_on_fork;
	}
	pthread_mutex_unlock(&misc_lock);
	pthread_mutex_unlock(&tasklist_lock);
	return r;
}

SYSCALL_DEFINE(SYS_sched_setscheduler, sched_setscheduler)
{
	int policy = (int)args[1];

	if (policy < 0)
		return -EINVAL;
	return write_sched(t, (pid_t)args[0], policy, args[2]);
}

SYSCALL_DEFINE(SYS_sched_setparam, sched_setparam)
{
	return write_sched(t, (pid_t)args[0], -1, args[1]);
}

SYSCALL_DEFINE(SYS_sched_get_priority_max, sched_get_priority_max)
{
	int policy = (int)args[0];

	if (is_rt_policy(policy))
		return SCHED_PRIO_MAX_RT;
	if (policy_valid(policy) || policy == SCHED_DEADLINE)
		return 0;
	return -EINVAL;
}

SYSCALL_DEFINE(SYS_sched_get_priority_min, sched_get_priority_min)
{
	int policy = (int)args[0];

	if (is_rt_policy(policy))
		return 1;
	if (policy_valid(policy) || policy == SCHED_DEADLINE)
		return 0;
	return -EINVAL;
}

/* The host CPU the sentry thread runs on: the stub thread of this task
 * ran moments ago, most likely on the same CPU. NOTE: the NUMA node is
 * always reported as 0. */
SYSCALL_DEFINE(SYS_getcpu, getcpu)
{
	int cpu = sched_getcpu();
	unsigned int value = cpu < 0 ? 0 : (unsigned int)cpu;
	unsigned int node = 0;

	if (args[0] && copy_to_user(t, args[0], &value, sizeof(value)) < 0)
		return -EFAULT;
	if (args[1] && copy_to_user(t, args[1], &node, sizeof(node)) < 0)
		return -EFAULT;
	return 0;
}
