/* Snapshots of a task's identity, signal state and memory for
 * /proc/PID/status, stat and statm. Each field is copied under the lock
 * that protects it, one lock at a time, so a snapshot may mix states of
 * a task that changes meanwhile, as Linux's does. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/file.h"
#include "sentry/fs/procfs.h"
#include "sentry/mm.h"
#include "sentry/signal.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

static uint64_t timespec_to_ticks(struct timespec ts)
{
	long hz = sysconf(_SC_CLK_TCK);

	return ts.tv_sec * hz + ts.tv_nsec / (1000000000L / hz);
}

static void timespec_add(struct timespec *sum, struct timespec ts)
{
	sum->tv_sec += ts.tv_sec;
	sum->tv_nsec += ts.tv_nsec;
	if (sum->tv_nsec >= 1000000000L) {
		sum->tv_sec++;
		sum->tv_nsec -= 1000000000L;
	}
}

/* Process-tree fields, state and times (tasklist_lock held). For a whole
 * thread group (id->tid 0) the times add up every thread's. */
static void get_tree_info(struct task *reader, struct task *t,
			  const struct procfs_pid *id,
			  struct procfs_task_info *info)
{
	struct thread_group *tg = t->tg;
	struct timespec utime = {0}, stime = {0};

	info->tgid = tg->tgid;
	info->tid = t->tid;
	info->ppid = tg->parent ? tg->parent->tgid : 0;
	info->pgid = tg->pgid;
	info->sid = tg->sid;
	memcpy(info->comm, t->comm, sizeof(info->comm));
	info->comm[sizeof(info->comm) - 1] = '\0';
	info->nr_threads = tg->nr_threads;
	info->exit_signal = tg->exit_signal;
	info->exit_status = tg->exited ? tg->exit_status : 0;
	if (tg->exited)
		info->state = 'Z';
	else if (tg->stopped)
		info->state = 'T';
	else if (reader == t || (!id->tid && reader && reader->tg == tg))
		info->state = 'R';
	else
		/* NOTE: other tasks are assumed to be blocked in a syscall,
		 * as they are most of the time. */
		info->state = 'S';

	if (id->tid) {
		utime = t->utime;
		stime = t->stime;
	} else {
		for (struct task *th = tg->leader; th; th = th->next_thread) {
			timespec_add(&utime, th->utime);
			timespec_add(&stime, th->stime);
		}
	}
	info->utime = timespec_to_ticks(utime);
	info->stime = timespec_to_ticks(stime);
	info->cutime = timespec_to_ticks(tg->cutime);
	info->cstime = timespec_to_ticks(tg->cstime);
	info->start_time = timespec_to_ticks(tg->start_time);
	info->rlim_sigpending = tg->rlim[RLIMIT_SIGPENDING].rlim_cur;
	info->rlim_rss = tg->rlim[RLIMIT_RSS].rlim_cur;
}

/* Credentials are written only by the task itself, without a lock, so a
 * concurrent setuid() may show half-updated IDs. */
static void get_cred_info(struct task *t, struct procfs_task_info *info)
{
	const struct cred *c = &t->cred;

	info->uid = c->uid;
	info->euid = c->euid;
	info->suid = c->suid;
	info->fsuid = c->fsuid;
	info->gid = c->gid;
	info->egid = c->egid;
	info->sgid = c->sgid;
	info->fsgid = c->fsgid;
	info->cap_effective = c->cap_effective;
	info->ngroups = c->ngroups;
	info->groups = xmalloc((c->ngroups + 1) * sizeof(gid_t));
	if (c->ngroups)
		memcpy(info->groups, c->groups, c->ngroups * sizeof(gid_t));
}

static void get_signal_info(struct task *t, struct procfs_task_info *info)
{
	struct sighand *sh = t->sighand;

	if (!sh)
		return;
	pthread_mutex_lock(&sh->lock);
	info->sig_pending = t->pending.set;
	info->sig_shared_pending = t->tg->shared_pending.set;
	info->sig_blocked = t->blocked;
	for (int sig = 1; sig <= MOAT_NSIG; sig++) {
		uint64_t handler = sh->action[sig - 1].handler;

		if (handler == (uint64_t)(uintptr_t)SIG_IGN)
			info->sig_ignored |= SIGMASK(sig);
		else if (handler != (uint64_t)(uintptr_t)SIG_DFL)
			info->sig_caught |= SIGMASK(sig);
	}
	pthread_mutex_unlock(&sh->lock);
	info->sig_queued = __builtin_popcountll(info->sig_pending) +
			   __builtin_popcountll(info->sig_shared_pending);
}

static void get_fs_info(struct task *t, struct procfs_task_info *info)
{
	struct fs_struct *fs = procfs_task_fs(t);
	struct fdtable *files = procfs_task_files(t);

	if (fs) {
		pthread_mutex_lock(&fs->lock);
		info->umask = fs->umask;
		pthread_mutex_unlock(&fs->lock);
		fs_struct_put(fs);
	}
	if (files) {
		pthread_mutex_lock(&files->lock);
		info->fd_slots = files->size;
		pthread_mutex_unlock(&files->lock);
		fdtable_put(files);
	}
}

int procfs_get_task_info(struct task *reader, const struct procfs_pid *id,
			 struct procfs_task_info *info)
{
	struct task *t = procfs_get_task(id);

	memset(info, 0, sizeof(*info));
	if (!t)
		return -ESRCH;
	pthread_mutex_lock(&tasklist_lock);
	get_tree_info(reader, t, id, info);
	pthread_mutex_unlock(&tasklist_lock);
	get_cred_info(t, info);
	get_signal_info(t, info);
	get_fs_info(t, info);
	task_put(t);
	return 0;
}

/* Sum the VMAs (mm->lock held). */
static void sum_vmas(struct mm *mm, struct file *exe, struct procfs_vm_info *vm)
{
	for (struct vma *v = mm->vmas; v; v = v->next) {
		uint64_t len = v->end - v->start;
		bool private = (v->flags & MAP_TYPE) == MAP_PRIVATE;

		vm->size += len;
		if (v->prot != PROT_NONE)
			vm->accessible += len;
		if (private && (v->prot & PROT_WRITE))
			vm->data += len;
		if (v->flags & MAP_GROWSDOWN ||
		    (v->name && strcmp(v->name, "[stack]") == 0))
			vm->stack += len;
		if (exe && v->file == exe && (v->prot & PROT_EXEC)) {
			vm->text += len;
			if (!vm->start_code)
				vm->start_code = v->start;
			vm->end_code = v->end;
		}
	}
}

void procfs_get_vm_info(const struct procfs_pid *id, struct procfs_vm_info *vm)
{
	struct task *t = procfs_get_task(id);
	struct mm *mm = t ? procfs_task_mm(t) : NULL;

	memset(vm, 0, sizeof(*vm));
	if (t)
		task_put(t);
	if (!mm)
		return;
	pthread_mutex_lock(&mm->lock);
	sum_vmas(mm, mm->exe_file, vm);
	vm->start_stack = mm->stack_top;
	vm->start_brk = mm->brk_start;
	vm->arg_start = mm->arg_start;
	vm->arg_end = mm->arg_end;
	vm->env_start = mm->env_start;
	vm->env_end = mm->env_end;
	pthread_mutex_unlock(&mm->lock);
	mm_put(mm);
}
