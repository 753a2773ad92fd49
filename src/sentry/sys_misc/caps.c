/* capget and capset on the effective and permitted sets of cred_rules.h.
 * The inheritable set always reads as empty. */
#include <errno.h>
#include <linux/capability.h>
#include <sys/syscall.h>

#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/sys_misc/cred_rules.h"
#include "sentry/sys_misc/lookup.h"
#include "sentry/sys_misc/task_misc.h"
#include "sentry/task.h"

/* The version Linux writes back when the caller's is unknown. */
#define KERNEL_CAP_VERSION _LINUX_CAPABILITY_VERSION_3

/* Check the header's version and return how many 32-bit data structs it
 * uses (1 or 2); unknown versions get the kernel's version written back
 * and -EINVAL, as Linux does so libcap can probe it. */
static int cap_validate_version(struct task *t, uint64_t header)
{
	uint32_t version;

	if (copy_from_user(t, &version, header, sizeof(version)) < 0)
		return -EFAULT;
	switch (version) {
	case _LINUX_CAPABILITY_VERSION_1:
		return 1;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		return 2;
	}
	version = KERNEL_CAP_VERSION;
	if (copy_to_user(t, header, &version, sizeof(version)) < 0)
		return -EFAULT;
	return -EINVAL;
}

static int read_header_pid(struct task *t, uint64_t header, pid_t *pid)
{
	int32_t value;

	if (copy_from_user(t, &value,
			   header +
			       offsetof(struct __user_cap_header_struct, pid),
			   sizeof(value)) < 0)
		return -EFAULT;
	*pid = value;
	return 0;
}

SYSCALL_DEFINE(SYS_capget, capget)
{
	struct __user_cap_data_struct data[2] = {0};
	uint64_t effective, permitted;
	struct task *target;
	pid_t pid;
	int words = cap_validate_version(t, args[0]);
	int r;

	/* A NULL data pointer probes the version: an unknown version is
	 * then a success, with the kernel's version written back. */
	if (args[1] == 0 || words < 0)
		return (args[1] == 0 && words == -EINVAL) ? 0 : words;
	r = read_header_pid(t, args[0], &pid);
	if (r < 0)
		return r;
	if (pid < 0)
		return -EINVAL;

	pthread_mutex_lock(&tasklist_lock);
	target = lookup_task(t, pid);
	if (!target) {
		pthread_mutex_unlock(&tasklist_lock);
		return -ESRCH;
	}
	effective = target->cred.cap_effective & CAP_FULL_SET;
	pthread_mutex_lock(&misc_lock);
	permitted = task_misc(target)->cap_permitted & CAP_FULL_SET;
	pthread_mutex_unlock(&misc_lock);
	pthread_mutex_unlock(&tasklist_lock);

	data[0].effective = (uint32_t)effective;
	data[0].permitted = (uint32_t)permitted;
	data[1].effective = (uint32_t)(effective >> 32);
	data[1].permitted = (uint32_t)(permitted >> 32);
	if (copy_to_user(t, args[1], data, words * sizeof(data[0])) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_capset, capset)
{
	struct __user_cap_data_struct data[2] = {0};
	struct cred_state s;
	pid_t pid;
	int words = cap_validate_version(t, args[0]);
	int r;

	if (words < 0)
		return words;
	r = read_header_pid(t, args[0], &pid);
	if (r < 0)
		return r;
	/* Linux lets a task set only its own capabilities. */
	if (pid != 0 && pid != t->tid)
		return -EPERM;
	if (copy_from_user(t, data, args[1], words * sizeof(data[0])) < 0)
		return -EFAULT;

	s.cred = t->cred;
	pthread_mutex_lock(&misc_lock);
	s.cap_permitted = task_misc(t)->cap_permitted;
	pthread_mutex_unlock(&misc_lock);
	r = cred_capset(
	    &s, data[0].effective | (uint64_t)data[1].effective << 32,
	    data[0].permitted | (uint64_t)data[1].permitted << 32,
	    data[0].inheritable | (uint64_t)data[1].inheritable << 32);
	if (r < 0)
		return r;

	pthread_mutex_lock(&tasklist_lock);
	t->cred.cap_effective = s.cred.cap_effective;
	pthread_mutex_lock(&misc_lock);
	task_misc(t)->cap_permitted = s.cap_permitted;
	pthread_mutex_unlock(&misc_lock);
	pthread_mutex_unlock(&tasklist_lock);
	return 0;
}
