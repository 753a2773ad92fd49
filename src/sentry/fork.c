/* fork, vfork and clone: creating processes and threads.
 *
 * A new process gets a copy-on-write duplicate of the parent's stub
 * (platform_as_fork); a thread, or a vfork child that shares memory, gets
 * a new stub thread or process in the same address space
 * (platform_clone). Either way the new task has its own sentry thread,
 * which attaches to its stub before running it.
 */
#include "sentry/fdtable.h"
#include "sentry/mm.h"
#include "sentry/signal.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"
#include "sentry/sys_misc/misc.h"
#include "common/log.h"
#include "common/util.h"

#include <sched.h>
#include <string.h>
#include <sys/syscall.h>

#define CLONE_SUPPORTED                                                        \
	(CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |         \
	 CLONE_PTRACE | CLONE_VFORK | CLONE_PARENT | CLONE_THREAD |            \
	 CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |                  \
	 CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_UNTRACED |              \
	 CLONE_CHILD_SETTID | CLONE_IO)

static void cred_copy(struct cred *dst, const struct cred *src)
{
	*dst = *src;
	if (src->ngroups) {
		dst->groups = xcalloc(src->ngroups, sizeof(gid_t));
		memcpy(dst->groups, src->groups, src->ngroups * sizeof(gid_t));
	} else {
		dst->groups = NULL;
	}
}

static int clone_check_flags(uint64_t flags)
{
	if (flags & ~(uint64_t)CLONE_SUPPORTED)
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	return 0;
}

/* Link child into the process tree (tasklist_lock held). */
static void link_child(struct task *parent, struct task *child, uint64_t flags)
{
	struct thread_group *ptg = parent->tg, *tg = child->tg;

	tg->parent = (flags & CLONE_PARENT) && ptg->parent ? ptg->parent : ptg;
	tg->sibling = tg->parent->children;
	tg->parent->children = tg;
	tg->pgid = ptg->pgid;
	tg->sid = ptg->sid;
	memcpy(tg->rlim, ptg->rlim, sizeof(tg->rlim));
	tg->exit_signal = flags & CSIGNAL;
	memcpy(child->comm, parent->comm, sizeof(child->comm));
}

/* Add child to the parent's thread group (tasklist_lock held). */
static void join_thread_group(struct task *parent, struct task *child)
{
	struct thread_group *tg = parent->tg;
	struct task **pp = &tg->leader->next_thread;

	child->tg = tg;
	tg->nr_threads++;
	while (*pp)
		pp = &(*pp)->next_thread;
	*pp = child;
	memcpy(child->comm, parent->comm, sizeof(child->comm));
}

static struct task *copy_process(struct task *parent, uint64_t flags,
				 struct platform_as *as, pid_t stub_tid,
				 long *err)
{
	struct task *child = task_alloc();

	if (flags & CLONE_VM) {
		mm_get(parent->mm);
		child->mm = parent->mm;
		child->stub_tid = stub_tid;
	} else {
		child->mm = mm_fork(parent->mm, as);
	}
	child->files =
	    (flags & CLONE_FILES) ? parent->files : fdtable_copy(parent->files);
	if (flags & CLONE_FILES)
		__atomic_add_fetch(&parent->files->users, 1, __ATOMIC_SEQ_CST);
	child->fs =
	    (flags & CLONE_FS) ? parent->fs : fs_struct_copy(parent->fs);
	if (flags & CLONE_FS)
		__atomic_add_fetch(&parent->fs->users, 1, __ATOMIC_SEQ_CST);
	child->sighand = (flags & CLONE_SIGHAND)
			     ? parent->sighand
			     : sighand_copy(parent->sighand);
	if (flags & CLONE_SIGHAND)
		__atomic_add_fetch(&parent->sighand->users, 1,
				   __ATOMIC_SEQ_CST);
	cred_copy(&child->cred, &parent->cred);
	child->blocked = parent->blocked;
	child->altstack = parent->altstack;
	/* A new thread starts without the parent's alternate stack. */
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
		child->altstack.ss_sp = NULL;
		child->altstack.ss_size = 0;
		child->altstack.ss_flags = SS_DISABLE;
	}
	child->regs = parent->regs;
	child->regs.fpregs_valid = 0;
	child->attach_pending = true;

	pthread_mutex_lock(&tasklist_lock);
	*err = pid_alloc(child);
	if (*err >= 0 && (flags & CLONE_THREAD)) {
		join_thread_group(parent, child);
	} else if (*err >= 0) {
		thread_group_alloc(child);
		link_child(parent, child, flags);
	}
	pthread_mutex_unlock(&tasklist_lock);
	if (*err >= 0)
		misc_task_fork(parent, child, !(flags & CLONE_THREAD));
	if (*err < 0) {
		mm_put(child->mm);
		fdtable_put(child->files);
		fs_struct_put(child->fs);
		sighand_put(child->sighand);
		task_put(child);
		return NULL;
	}
	return child;
}

static void set_child_regs(struct task *child, uint64_t flags, uint64_t newsp,
			   uint64_t tls)
{
	struct user_regs_struct *r = &child->regs.regs;

	r->rax = 0;
	if (newsp)
		r->rsp = newsp;
	if (flags & CLONE_SETTLS)
		r->fs_base = tls;
}

/* vfork: sleep until the child execs or exits. Only SIGKILL ends the wait
 * early, as in Linux. */
static void wait_vfork_done(struct task *parent, struct task *child)
{
	pthread_mutex_lock(&tasklist_lock);
	while (!child->vfork_done && !parent->tg->group_exit)
		pthread_cond_wait(&tasklist_cond, &tasklist_lock);
	pthread_mutex_unlock(&tasklist_lock);
}

long do_fork(struct task *t, uint64_t flags, uint64_t newsp,
	     uint64_t parent_tid, uint64_t child_tid, uint64_t tls)
{
	struct platform_as *as = NULL;
	struct task *child;
	pid_t stub_tid = 0;
	long err;
	pid_t pid;

	err = clone_check_flags(flags);
	if (err)
		return err;
	/* Shared memory (threads, vfork) needs a new stub thread or process
	 * in the same address space; a fork copies the stub copy-on-write. */
	if (flags & CLONE_VM)
		err =
		    platform_clone(t->mm->as, flags & CLONE_THREAD, &stub_tid);
	else
		err = platform_as_fork(t->mm->as, &as);
	if (err)
		return err;
	/* NOTE: if copy_process fails after platform_clone, the parked stub
	 * thread stays until the address space is destroyed. */
	child = copy_process(t, flags, as, stub_tid, &err);
	if (!child)
		return err;
	pid = child->tid;
	set_child_regs(child, flags, newsp, tls);
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(t, parent_tid, &pid, sizeof(pid));
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = child_tid;
	if (flags & CLONE_VFORK)
		child->vfork_parent = t;
	child->set_child_tid = (flags & CLONE_CHILD_SETTID) ? child_tid : 0;

	task_get(child);
	err = task_start_thread(child);
	if (err) {
		log_error("cannot start a thread for task %d: %s", pid,
			  strerror((int)-err));
		task_put(child);
		return err;
	}
	if (flags & CLONE_VFORK)
		wait_vfork_done(t, child);
	task_put(child);
	return pid;
}

SYSCALL_DEFINE(SYS_clone, clone)
{
	/* x86-64 argument order: flags, newsp, parent_tid, child_tid, tls. */
	return do_fork(t, args[0], args[1], args[2], args[3], args[4]);
}

SYSCALL_DEFINE(SYS_fork, fork)
{
	return do_fork(t, SIGCHLD, 0, 0, 0, 0);
}

SYSCALL_DEFINE(SYS_vfork, vfork)
{
	return do_fork(t, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

SYSCALL_DEFINE(SYS_clone3, clone3)
{
	/* glibc falls back to clone() on ENOSYS. */
	return -ENOSYS;
}
