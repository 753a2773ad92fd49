/* Per-thread pointers registered with the kernel: set_tid_address and
 * the robust futex list, plus rseq and membarrier, which the sandbox
 * does not provide. */
#include <errno.h>
#include <sys/syscall.h>

#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/sys_misc/lookup.h"
#include "sentry/task.h"

/* sizeof(struct robust_list_head) on x86-64. */
#define ROBUST_LIST_HEAD_SIZE 24

SYSCALL_DEFINE(SYS_set_tid_address, set_tid_address)
{
	t->clear_child_tid = args[0];
	return t->tid;
}

SYSCALL_DEFINE(SYS_set_robust_list, set_robust_list)
{
	if (args[1] != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	t->robust_list = args[0];
	return 0;
}

/* Linux allows reading another task's list with ptrace read access; the
 * sandbox approximates that with the same check as kill(): the same
 * real or effective user, or root. */
SYSCALL_DEFINE(SYS_get_robust_list, get_robust_list)
{
	pid_t pid = (pid_t)args[0];
	uint64_t size = ROBUST_LIST_HEAD_SIZE;
	uint64_t head;
	struct task *target;
	bool allowed;

	pthread_mutex_lock(&tasklist_lock);
	target = lookup_task(t, pid);
	allowed = target && (target == t || capable(t) ||
			     (t->cred.uid == target->cred.uid &&
			      t->cred.uid == target->cred.euid &&
			      t->cred.uid == target->cred.suid));
	head = target ? target->robust_list : 0;
	pthread_mutex_unlock(&tasklist_lock);
	if (!target)
		return -ESRCH;
	if (!allowed)
		return -EPERM;
	if (copy_to_user(t, args[2], &size, sizeof(size)) < 0)
		return -EFAULT;
	if (copy_to_user(t, args[1], &head, sizeof(head)) < 0)
		return -EFAULT;
	return 0;
}

/* Restartable sequences need the kernel to rewrite the guest's
 * instruction pointer on preemption, which the sandbox cannot observe.
 * ENOSYS makes glibc run without rseq (sched_getcpu then uses getcpu). */
SYSCALL_DEFINE(SYS_rseq, rseq)
{
	return -ENOSYS;
}

/* ENOSYS, as on a kernel built without CONFIG_MEMBARRIER: callers
 * (liburcu, JIT runtimes) probe with MEMBARRIER_CMD_QUERY and fall back
 * to their own barriers. Reporting support would promise cross-thread
 * barriers the sentry does not implement. */
SYSCALL_DEFINE(SYS_membarrier, membarrier)
{
	return -ENOSYS;
}
