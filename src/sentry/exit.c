/* Process exit, zombies and reaping: exit, exit_group, wait4, waitid.
 *
 * A thread group becomes a zombie when its last task exits. It keeps its
 * PID until the parent reaps it with wait4/waitid, or at once when the
 * parent ignores SIGCHLD. Orphans are reparented to the init process.
 * All of this state is under tasklist_lock (see task.h).
 */
#include "sentry/fdtable.h"
#include "sentry/mm.h"
#include "sentry/signal.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"
#include "sentry/wait.h"
#include "sentry/sys_misc/cputime.h"
#include "sentry/sys_misc/misc.h"
#include "common/log.h"
#include "common/util.h"

#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

void do_group_exit(struct task *t, int wstatus)
{
	struct thread_group *tg = t->tg;

	pthread_mutex_lock(&tasklist_lock);
	if (!tg->group_exit) {
		tg->group_exit = true;
		tg->exit_status = wstatus;
	} else if (!tg->exit_status) {
		tg->exit_status = wstatus;
	}
	pthread_mutex_unlock(&tasklist_lock);
	__atomic_store_n(&t->exiting, true, __ATOMIC_SEQ_CST);
	tg_wake_threads(tg, t);
}

/* Give the children of tg to init (tasklist_lock held). */
static void reparent_children(struct thread_group *tg)
{
	struct thread_group *c = tg->children, *next;

	for (; c; c = next) {
		next = c->sibling;
		c->parent = init_tg;
		if (init_tg && init_tg != tg) {
			c->sibling = init_tg->children;
			init_tg->children = c;
		} else {
			c->parent = NULL;
		}
	}
	tg->children = NULL;
}

static bool parent_autoreaps(struct thread_group *parent)
{
	struct k_sigaction *ka = &parent->leader->sighand->action[SIGCHLD - 1];

	return ka->handler == (uint64_t)SIG_IGN || (ka->flags & SA_NOCLDWAIT);
}

static void timespec_add_ns(struct timespec *ts, int64_t ns)
{
	int64_t total = ts->tv_nsec + ns % 1000000000L;

	ts->tv_sec += ns / 1000000000L + total / 1000000000L;
	ts->tv_nsec = total % 1000000000L;
}

/* A reaped child's own times and its reaped children's count towards
 * its parent's (tasklist_lock held). */
static void add_child_times(struct thread_group *parent, struct thread_group *c)
{
	timespec_add_ns(&parent->cutime, c->final_utime_ns);
	timespec_add_ns(&parent->cstime, c->final_stime_ns);
	timespec_add_ns(&parent->cutime,
			c->cutime.tv_sec * 1000000000L + c->cutime.tv_nsec);
	timespec_add_ns(&parent->cstime,
			c->cstime.tv_sec * 1000000000L + c->cstime.tv_nsec);
}

/* Remove a zombie from its parent's list and free its PID
 * (tasklist_lock held). */
static void release_thread_group(struct thread_group *tg)
{
	struct thread_group **pp;

	if (tg->parent) {
		for (pp = &tg->parent->children; *pp; pp = &(*pp)->sibling) {
			if (*pp == tg) {
				*pp = tg->sibling;
				break;
			}
		}
	}
	if (tg->parent)
		add_child_times(tg->parent, tg);
	pid_free(tg->tgid);
	tg->leader->state = TASK_DEAD;
	/* Drop the process tree's reference. The group itself stays
	 * allocated (a few hundred bytes): sibling pointers elsewhere may
	 * still name it. */
	if (--tg->leader->refcount == 0)
		task_free_locked(tg->leader);
}

static void notify_parent(struct task *t, struct thread_group *tg)
{
	struct task *parent_leader = NULL;
	siginfo_t si;

	/* The parent may be exiting too: read it and pin its leader under
	 * tasklist_lock, or it could be reaped and freed under us. */
	pthread_mutex_lock(&tasklist_lock);
	if (tg->parent && tg->exit_signal) {
		parent_leader = tg->parent->leader;
		parent_leader->refcount++;
	}
	pthread_mutex_unlock(&tasklist_lock);
	if (!parent_leader)
		return;
	memset(&si, 0, sizeof(si));
	si.si_signo = tg->exit_signal;
	si.si_pid = tg->tgid;
	si.si_uid = t->cred.uid;
	if (WIFEXITED(tg->exit_status)) {
		si.si_code = CLD_EXITED;
		si.si_status = WEXITSTATUS(tg->exit_status);
	} else {
		si.si_code = CLD_KILLED;
		si.si_status = WTERMSIG(tg->exit_status);
	}
	send_signal_info(parent_leader, tg->exit_signal, &si, true);
	task_put(parent_leader);
}

/* Before a task lets go of its mm: clear and wake its clear_child_tid
 * (pthread_join waits on it), and end its own stub thread if others
 * still use the address space. */
static void release_thread_memory(struct task *t)
{
	struct mm *mm = t->mm;
	uint32_t zero = 0;

	if (!mm)
		return;
	if (t->clear_child_tid &&
	    __atomic_load_n(&mm->users, __ATOMIC_SEQ_CST) > 1 &&
	    copy_to_user(t, t->clear_child_tid, &zero, sizeof(zero)) == 0)
		futex_wake_tid_addr(mm, t->clear_child_tid);
	if (__atomic_load_n(&mm->users, __ATOMIC_SEQ_CST) > 1)
		platform_thread_exit(mm->as);
}

void task_exit(struct task *t)
{
	struct thread_group *tg = t->tg;
	struct thread_group *parent;
	bool last;

	struct fdtable *files = t->files;
	struct fs_struct *fs = t->fs;
	struct mm *mm = t->mm;

	release_thread_memory(t);
	pthread_mutex_lock(&tasklist_lock);
	t->files = NULL;
	t->fs = NULL;
	t->mm = NULL;
	pthread_mutex_unlock(&tasklist_lock);
	fdtable_put(files);
	fs_struct_put(fs);

	pthread_mutex_lock(&tasklist_lock);
	if (t->vfork_parent) {
		t->vfork_done = true;
		t->vfork_parent = NULL;
	}
	last = --tg->nr_threads == 0;
	if (t != tg->leader) {
		/* A thread's TID is free at once; only the group leader's
		 * stays until the process is reaped. */
		for (struct task **pp = &tg->leader->next_thread; *pp;
		     pp = &(*pp)->next_thread) {
			if (*pp == t) {
				*pp = t->next_thread;
				break;
			}
		}
		pid_free(t->tid);
		t->state = TASK_DEAD;
		t->refcount--;
	}
	if (last) {
		if (!tg->group_exit)
			tg->exit_status = wstatus_exited(t->exit_code);
		tg->leader->state = TASK_ZOMBIE;
		reparent_children(tg);
	}
	pthread_cond_broadcast(&tasklist_cond);
	pthread_mutex_unlock(&tasklist_lock);

	/* The stub's CPU clock dies with it: keep the total for the parent's
	 * RUSAGE_CHILDREN. */
	if (last) {
		struct cpu_times ct = {0};
		t->mm = mm;
		process_cpu_times(t, &ct);
		t->mm = NULL;
		tg->final_utime_ns = ct.user_ns;
		tg->final_stime_ns = ct.system_ns;
	}
	/* Dropping the mm kills the stub when this was its last user. */
	mm_put(mm);
	if (!last)
		return;
	/* A dead process's timers must not fire any more. */
	misc_thread_group_free(tg);

	/* Queue SIGCHLD before the zombie becomes visible to wait4, so a
	 * parent that reaps the child always finds the signal pending, as
	 * on Linux. */
	notify_parent(t, tg);
	pthread_mutex_lock(&tasklist_lock);
	tg->exited = true;
	parent = tg->parent;
	if (parent && parent_autoreaps(parent))
		release_thread_group(tg);
	pthread_cond_broadcast(&tasklist_cond);
	pthread_mutex_unlock(&tasklist_lock);
}

SYSCALL_DEFINE(SYS_exit, exit)
{
	/* Only the calling thread ends; the process ends with its last
	 * thread, with this code if it is the last. */
	t->exit_code = (int)(args[0] & 0xff);
	__atomic_store_n(&t->exiting, true, __ATOMIC_SEQ_CST);
	return 0;
}

SYSCALL_DEFINE(SYS_exit_group, exit_group)
{
	t->exit_code = (int)(args[0] & 0xff);
	do_group_exit(t, wstatus_exited(t->exit_code));
	return 0;
}

/* The selection and results of one wait4 or waitid call. */
struct wait_opts {
	int type; /* P_PID, P_PGID, P_ALL */
	pid_t id;
	int options;
	/* Results. */
	pid_t pid;
	int status;
	int code; /* CLD_* for waitid */
	uid_t uid;
	struct rusage ru;
};

static bool wait_matches(struct task *t, struct wait_opts *wo,
			 struct thread_group *c)
{
	bool clone_child = c->exit_signal != SIGCHLD;

	if (!(wo->options & __WALL) &&
	    clone_child != !!(wo->options & __WCLONE))
		return false;
	switch (wo->type) {
	case P_PID:
		return c->tgid == wo->id;
	case P_PGID:
		return c->pgid == wo->id;
	default:
		return true;
	}
}

/* Look for a child to report (tasklist_lock held). Returns the PID, 0 if
 * there are matching children but none ready, -ECHILD if none match. */
static pid_t wait_scan(struct task *t, struct wait_opts *wo)
{
	bool any = false;

	for (struct thread_group *c = t->tg->children; c; c = c->sibling) {
		if (!wait_matches(t, wo, c))
			continue;
		any = true;
		if (c->exited && (wo->options & WEXITED)) {
			wo->pid = c->tgid;
			wo->status = c->exit_status;
			wo->code =
			    WIFEXITED(c->exit_status) ? CLD_EXITED : CLD_KILLED;
			wo->uid = c->leader->cred.uid;
			if (!(wo->options & WNOWAIT))
				release_thread_group(c);
			return wo->pid;
		}
		if (c->stopped && !c->stop_reported &&
		    (wo->options & WUNTRACED)) {
			wo->pid = c->tgid;
			wo->status = (c->stop_sig << 8) | 0x7f;
			wo->code = CLD_STOPPED;
			wo->uid = c->leader->cred.uid;
			if (!(wo->options & WNOWAIT))
				c->stop_reported = true;
			return wo->pid;
		}
		if (c->continued_report && (wo->options & WCONTINUED)) {
			wo->pid = c->tgid;
			wo->status = 0xffff;
			wo->code = CLD_CONTINUED;
			wo->uid = c->leader->cred.uid;
			if (!(wo->options & WNOWAIT))
				c->continued_report = false;
			return wo->pid;
		}
	}
	return any ? 0 : -ECHILD;
}

static long do_wait(struct task *t, struct wait_opts *wo)
{
	long r;

	pthread_mutex_lock(&tasklist_lock);
	for (;;) {
		r = wait_scan(t, wo);
		if (r != 0 || (wo->options & WNOHANG))
			break;
		r = task_wait_cond(t, &tasklist_cond, &tasklist_lock, NULL);
		if (r == -ERESTARTSYS)
			break;
	}
	pthread_mutex_unlock(&tasklist_lock);
	return r;
}

SYSCALL_DEFINE(SYS_wait4, wait4)
{
	pid_t pid = (pid_t)args[0];
	int options = (int)args[2];
	struct wait_opts wo = {0};
	long r;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	wo.options = options | WEXITED;
	if (pid > 0) {
		wo.type = P_PID;
		wo.id = pid;
	} else if (pid == 0) {
		wo.type = P_PGID;
		wo.id = t->tg->pgid;
	} else if (pid < -1) {
		wo.type = P_PGID;
		wo.id = -pid;
	} else {
		wo.type = P_ALL;
	}
	r = do_wait(t, &wo);
	if (r > 0 && args[1] &&
	    copy_to_user(t, args[1], &wo.status, sizeof(int)))
		return -EFAULT;
	if (r > 0 && args[3] && copy_to_user(t, args[3], &wo.ru, sizeof(wo.ru)))
		return -EFAULT;
	return r;
}

SYSCALL_DEFINE(SYS_waitid, waitid)
{
	int type = (int)args[0];
	struct wait_opts wo = {0};
	siginfo_t si;
	long r;

	wo.options = (int)args[3];
	if (wo.options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
			   __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (!(wo.options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (type) {
	case P_PID:
	case P_PGID:
		if ((pid_t)args[1] <= 0)
			return -EINVAL;
		wo.type = type;
		wo.id = (pid_t)args[1];
		break;
	case P_ALL:
		wo.type = P_ALL;
		break;
	default:
		return -EINVAL;
	}
	r = do_wait(t, &wo);
	if (r < 0)
		return r;
	memset(&si, 0, sizeof(si));
	if (r > 0) {
		si.si_signo = SIGCHLD;
		si.si_code = wo.code;
		si.si_pid = wo.pid;
		si.si_uid = wo.uid;
		si.si_status = wo.code == CLD_EXITED   ? WEXITSTATUS(wo.status)
			       : wo.code == CLD_KILLED ? WTERMSIG(wo.status)
			       : wo.code == CLD_STOPPED
				   ? (wo.status >> 8) & 0xff
				   : SIGCONT;
	}
	if (args[2] && copy_to_user(t, args[2], &si, sizeof(si)))
		return -EFAULT;
	if (args[4] && copy_to_user(t, args[4], &wo.ru, sizeof(wo.ru)))
		return -EFAULT;
	return 0;
}
