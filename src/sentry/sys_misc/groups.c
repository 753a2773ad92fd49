/* Supplementary groups: getgroups and setgroups. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/sys_misc/cred_rules.h"
#include "sentry/task.h"

SYSCALL_DEFINE(SYS_getgroups, getgroups)
{
	int size = (int)args[0];
	const struct cred *c = &t->cred;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(t, args[1], c->groups, c->ngroups * sizeof(gid_t)) < 0)
		return -EFAULT;
	return c->ngroups;
}

static int compare_gid(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return x < y ? -1 : x > y;
}

SYSCALL_DEFINE(SYS_setgroups, setgroups)
{
	/* Linux compares the int size as unsigned, so a negative size is
	 * also too large. */
	unsigned int size = (unsigned int)args[0];
	gid_t *groups = NULL;
	gid_t *old;

	if (!(t->cred.cap_effective & CAP_BIT(CAP_SETGID)))
		return -EPERM;
	if (size > MOAT_NGROUPS_MAX)
		return -EINVAL;
	if (size > 0) {
		groups = xmalloc(size * sizeof(gid_t));
		if (copy_from_user(t, groups, args[1], size * sizeof(gid_t)) <
		    0) {
			free(groups);
			return -EFAULT;
		}
	}
	for (unsigned int i = 0; i < size; i++) {
		if (groups[i] == (gid_t)-1) {
			free(groups);
			return -EINVAL;
		}
	}
	/* Linux keeps the list sorted, and getgroups returns it that way. */
	if (size > 1)
		qsort(groups, size, sizeof(gid_t), compare_gid);

	pthread_mutex_lock(&tasklist_lock);
	old = t->cred.groups;
	t->cred.groups = groups;
	t->cred.ngroups = size;
	pthread_mutex_unlock(&tasklist_lock);
	free(old);
	return 0;
}
