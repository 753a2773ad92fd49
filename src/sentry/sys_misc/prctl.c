/* prctl: the options below, with Linux's argument checks. Unknown
 * options fail with EINVAL. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/sys_misc/cred_rules.h"
#include "sentry/sys_misc/task_misc.h"
#include "sentry/task.h"

#define TASK_COMM_LEN 16

static long put_int(struct task *t, uint64_t addr, int value)
{
	return copy_to_user(t, addr, &value, sizeof(value)) < 0 ? -EFAULT : 0;
}

/* Copy at most TASK_COMM_LEN - 1 bytes, stopping at a NUL: longer names
 * are truncated, as in Linux. */
static long prctl_set_name(struct task *t, uint64_t addr)
{
	char name[TASK_COMM_LEN] = {0};

	for (int i = 0; i < TASK_COMM_LEN - 1; i++) {
		if (copy_from_user(t, &name[i], addr + i, 1) < 0)
			return -EFAULT;
		if (!name[i])
			break;
	}
	pthread_mutex_lock(&tasklist_lock);
	memcpy(t->comm, name, sizeof(name));
	pthread_mutex_unlock(&tasklist_lock);
	return 0;
}

static long prctl_get_name(struct task *t, uint64_t addr)
{
	char name[TASK_COMM_LEN];

	pthread_mutex_lock(&tasklist_lock);
	memcpy(name, t->comm, sizeof(name));
	pthread_mutex_unlock(&tasklist_lock);
	name[TASK_COMM_LEN - 1] = '\0';
	if (copy_to_user(t, addr, name, sizeof(name)) < 0)
		return -EFAULT;
	return 0;
}

/* Options that only read or write the side tables (misc_lock held). */
static long prctl_misc_locked(struct task *t, int option, const uint64_t *a,
			      bool *handled)
{
	struct task_misc *m = task_misc(t);
	struct tg_misc *g = tg_misc(t->tg);

	*handled = true;
	switch (option) {
	case PR_SET_PDEATHSIG:
		if (a[1] > MOAT_NSIG)
			return -EINVAL;
		m->pdeathsig = (int)a[1];
		return 0;
	case PR_GET_DUMPABLE:
		return g->dumpable;
	case PR_SET_DUMPABLE:
		/* 2 (SUID_DUMP_ROOT) is for the kernel only. */
		if (a[1] > 1)
			return -EINVAL;
		g->dumpable = (int)a[1];
		return 0;
	case PR_SET_NO_NEW_PRIVS:
		if (a[1] != 1 || a[2] || a[3] || a[4])
			return -EINVAL;
		m->no_new_privs = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (a[1] || a[2] || a[3] || a[4])
			return -EINVAL;
		return m->no_new_privs;
	case PR_SET_CHILD_SUBREAPER:
		g->child_subreaper = a[1] != 0;
		return 0;
	case PR_SET_KEEPCAPS:
		if (a[1] > 1)
			return -EINVAL;
		m->keep_caps = a[1] != 0;
		return 0;
	case PR_GET_KEEPCAPS:
		return m->keep_caps;
	case PR_GET_TIMERSLACK:
		return (long)m->timer_slack_ns;
	case PR_SET_TIMERSLACK:
		/* 0 restores the default. */
		m->timer_slack_ns = a[1] ? a[1] : DEFAULT_TIMER_SLACK_NS;
		return 0;
	}
	*handled = false;
	return 0;
}

/* Options that write an int to guest memory. */
static long prctl_get_int(struct task *t, int option, uint64_t addr)
{
	int value;

	pthread_mutex_lock(&misc_lock);
	if (option == PR_GET_PDEATHSIG)
		value = task_misc(t)->pdeathsig;
	else
		value = tg_misc(t->tg)->child_subreaper;
	pthread_mutex_unlock(&misc_lock);
	return put_int(t, addr, value);
}

SYSCALL_DEFINE(SYS_prctl, prctl)
{
	int option = (int)args[0];
	bool handled;
	long r;

	switch (option) {
	case PR_SET_NAME:
		return prctl_set_name(t, args[1]);
	case PR_GET_NAME:
		return prctl_get_name(t, args[1]);
	case PR_GET_PDEATHSIG:
	case PR_GET_CHILD_SUBREAPER:
		return prctl_get_int(t, option, args[1]);
	case PR_GET_SECCOMP:
		/* Guests cannot install seccomp filters here. */
		return 0;
	case PR_CAPBSET_READ:
		/* The bounding set is always full. */
		return args[1] <= MOAT_CAP_LAST_CAP ? 1 : -EINVAL;
	}

	pthread_mutex_lock(&misc_lock);
	r = prctl_misc_locked(t, option, args, &handled);
	pthread_mutex_unlock(&misc_lock);
	return handled ? r : -EINVAL;
}
