/* Queueing guest signals and choosing what happens to them.
 *
 * See signal.h for locking. Delivery (building the handler frame) is in
 * signal_frame.c; the signal syscalls are in sys_signal.c.
 */
#include "sentry/signal.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/wait.h"
#include "common/log.h"
#include "common/util.h"

#include <string.h>

#define SIGRT_FIRST  32
#define SIGQUEUE_MAX 1024 /* like a small RLIMIT_SIGPENDING */

bool sigpending_add(struct sigpending *p, int sig, const siginfo_t *info)
{
	struct sigqueue *q, **pp;

	if (sig < SIGRT_FIRST) {
		if (!(p->set & SIGMASK(sig))) {
			p->set |= SIGMASK(sig);
			p->info[sig - 1] = *info;
			p->info[sig - 1].si_signo = sig;
		}
		return true;
	}
	if (p->rt_count >= SIGQUEUE_MAX)
		return false;
	q = xcalloc(1, sizeof(*q));
	q->info = *info;
	q->info.si_signo = sig;
	for (pp = &p->rt_head[sig - 1]; *pp; pp = &(*pp)->next)
		;
	*pp = q;
	p->rt_count++;
	p->set |= SIGMASK(sig);
	return true;
}

void sigpending_take(struct sigpending *p, int sig, siginfo_t *info)
{
	struct sigqueue *q = p->rt_head[sig - 1];

	if (sig < SIGRT_FIRST || !q) {
		*info = p->info[sig - 1];
		p->set &= ~SIGMASK(sig);
		return;
	}
	*info = q->info;
	p->rt_head[sig - 1] = q->next;
	p->rt_count--;
	free(q);
	if (!p->rt_head[sig - 1])
		p->set &= ~SIGMASK(sig);
}

void sigpending_flush(struct sigpending *p, int sig)
{
	siginfo_t info;

	while (p->set & SIGMASK(sig))
		sigpending_take(p, sig, &info);
}

struct sighand *sighand_create(void)
{
	struct sighand *sh = xcalloc(1, sizeof(*sh));

	pthread_mutex_init(&sh->lock, NULL);
	sh->users = 1;
	return sh;
}

struct sighand *sighand_copy(struct sighand *old)
{
	struct sighand *sh = sighand_create();

	pthread_mutex_lock(&old->lock);
	memcpy(sh->action, old->action, sizeof(sh->action));
	pthread_mutex_unlock(&old->lock);
	return sh;
}

void sighand_put(struct sighand *sh)
{
	if (!sh || __atomic_sub_fetch(&sh->users, 1, __ATOMIC_SEQ_CST) > 0)
		return;
	pthread_mutex_destroy(&sh->lock);
	free(sh);
}

void sighand_reset_for_exec(struct sighand *sh)
{
	pthread_mutex_lock(&sh->lock);
	for (int i = 0; i < MOAT_NSIG; i++) {
		struct k_sigaction *ka = &sh->action[i];
		if (ka->handler != (uint64_t)SIG_IGN)
			ka->handler = (uint64_t)SIG_DFL;
		ka->flags = 0;
		ka->mask = 0;
		ka->restorer = 0;
	}
	pthread_mutex_unlock(&sh->lock);
}

enum sig_default {
	SIGDFL_TERM,
	SIGDFL_CORE,
	SIGDFL_IGN,
	SIGDFL_STOP,
	SIGDFL_CONT
};

static enum sig_default sig_default_action(int sig);

int sig_default_action_of(int sig)
{
	return (int)sig_default_action(sig);
}

static enum sig_default sig_default_action(int sig)
{
	switch (sig) {
	case SIGQUIT:
	case SIGILL:
	case SIGTRAP:
	case SIGABRT:
	case SIGBUS:
	case SIGFPE:
	case SIGSEGV:
	case SIGXCPU:
	case SIGXFSZ:
	case SIGSYS:
		return SIGDFL_CORE;
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
		return SIGDFL_IGN;
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return SIGDFL_STOP;
	case SIGCONT:
		return SIGDFL_CONT;
	}
	return SIGDFL_TERM;
}

/* Would the signal be dropped on arrival? (sighand->lock held) */
static bool sig_ignored(struct task *t, int sig)
{
	const struct k_sigaction *ka = &t->sighand->action[sig - 1];

	if (t->blocked & SIGMASK(sig))
		return false;
	if (ka->handler == (uint64_t)SIG_IGN)
		return sig != SIGKILL && sig != SIGSTOP;
	return ka->handler == (uint64_t)SIG_DFL &&
	       sig_default_action(sig) == SIGDFL_IGN;
}

static void wake_group(struct thread_group *tg)
{
	tg_wake_threads(tg, NULL);
}

/* SIGCONT resumes a stopped group; a stop signal cancels a pending
 * SIGCONT and vice versa (tasklist_lock and sighand->lock held). */
static void prepare_signal(struct thread_group *tg, int sig)
{
	const ksigset_t stops = SIGMASK(SIGSTOP) | SIGMASK(SIGTSTP) |
				SIGMASK(SIGTTIN) | SIGMASK(SIGTTOU);

	if (sig == SIGCONT) {
		tg->shared_pending.set &= ~stops;
		for (struct task *th = tg->leader; th; th = th->next_thread)
			th->pending.set &= ~stops;
		if (tg->stopped) {
			tg->stopped = false;
			tg->continued_report = true;
			pthread_cond_broadcast(&tasklist_cond);
		}
	} else if (stops & SIGMASK(sig)) {
		tg->shared_pending.set &= ~SIGMASK(SIGCONT);
		for (struct task *th = tg->leader; th; th = th->next_thread)
			th->pending.set &= ~SIGMASK(SIGCONT);
	}
}

static void fill_kernel_info(siginfo_t *si, int sig)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = SI_KERNEL;
}

int send_signal_info(struct task *t, int sig, const siginfo_t *info, bool group)
{
	struct thread_group *tg = t->tg;
	struct sighand *sh = t->sighand;
	struct sigpending *p = group ? &tg->shared_pending : &t->pending;
	siginfo_t kinfo;

	if (sig < 1 || sig > MOAT_NSIG)
		return -EINVAL;
	if (!info) {
		fill_kernel_info(&kinfo, sig);
		info = &kinfo;
	}
	pthread_mutex_lock(&tasklist_lock);
	if (tg->exited) {
		pthread_mutex_unlock(&tasklist_lock);
		return 0;
	}
	pthread_mutex_lock(&sh->lock);
	prepare_signal(tg, sig);
	if (sig_ignored(t, sig) && !(sig == SIGCONT)) {
		pthread_mutex_unlock(&sh->lock);
		pthread_mutex_unlock(&tasklist_lock);
		return 0;
	}
	if (!sigpending_add(p, sig, info)) {
		pthread_mutex_unlock(&sh->lock);
		pthread_mutex_unlock(&tasklist_lock);
		return -EAGAIN;
	}
	if (sig == SIGKILL) {
		if (!tg->group_exit)
			tg->exit_status = wstatus_signaled(SIGKILL, false);
		tg->group_exit = true;
		tg->stopped = false;
		pthread_cond_broadcast(&tasklist_cond);
	}
	pthread_mutex_unlock(&sh->lock);
	pthread_mutex_unlock(&tasklist_lock);
	if (group)
		wake_group(tg);
	else
		task_wake(t);
	return 0;
}

int send_signal_to_task(struct task *t, int sig, int code)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = code;
	return send_signal_info(t, sig, &si, false);
}

int send_signal_to_tg(struct thread_group *tg, int sig)
{
	return send_signal_info(tg->leader, sig, NULL, true);
}

void force_signal(struct task *t, const siginfo_t *info)
{
	struct sighand *sh = t->sighand;
	int sig = info->si_signo;
	struct k_sigaction *ka = &sh->action[sig - 1];

	pthread_mutex_lock(&sh->lock);
	if ((t->blocked & SIGMASK(sig)) || ka->handler == (uint64_t)SIG_IGN) {
		t->blocked &= ~SIGMASK(sig);
		if (ka->handler == (uint64_t)SIG_IGN)
			ka->handler = (uint64_t)SIG_DFL;
	}
	sigpending_add(&t->pending, sig, info);
	pthread_mutex_unlock(&sh->lock);
}

static bool may_signal(struct task *sender, struct task *target, int sig)
{
	const struct cred *s = &sender->cred, *d = &target->cred;

	if (capable(sender))
		return true;
	if (s->euid == d->suid || s->euid == d->uid || s->uid == d->suid ||
	    s->uid == d->uid)
		return true;
	/* SIGCONT within the same session is always allowed. */
	return sig == SIGCONT && sender->tg->sid == target->tg->sid;
}

static void fill_user_info(siginfo_t *si, struct task *sender, int sig)
{
	memset(si, 0, sizeof(si[0]));
	si->si_signo = sig;
	si->si_code = SI_USER;
	si->si_pid = sender->tg->tgid;
	si->si_uid = sender->cred.uid;
}

struct kill_walk {
	struct task *sender;
	pid_t pgid;
	bool all;
	int sig;
	int found;
	int sent;
	int err;
	struct thread_group *targets[1024];
	int ntargets;
};

static void collect_target(struct thread_group *tg, void *arg)
{
	struct kill_walk *w = arg;

	if (tg->exited || w->ntargets >= (int)ARRAY_SIZE(w->targets))
		return;
	if (w->all) {
		if (tg == init_tg || tg == w->sender->tg)
			return;
	} else if (tg->pgid != w->pgid) {
		return;
	}
	w->targets[w->ntargets++] = tg;
}

static int kill_many(struct task *sender, pid_t pgid, bool all, int sig,
		     const siginfo_t *info)
{
	struct kill_walk *w = xcalloc(1, sizeof(*w));
	int err = -ESRCH, found = 0;

	w->sender = sender;
	w->pgid = pgid;
	w->all = all;
	pthread_mutex_lock(&tasklist_lock);
	for_each_thread_group(collect_target, w);
	for (int i = 0; i < w->ntargets; i++)
		w->targets[i]->refcount++;
	pthread_mutex_unlock(&tasklist_lock);
	for (int i = 0; i < w->ntargets; i++) {
		struct task *target = w->targets[i]->leader;
		found++;
		if (!may_signal(sender, target, sig)) {
			if (err == -ESRCH)
				err = -EPERM;
			continue;
		}
		err = 0;
		if (sig)
			send_signal_info(target, sig, info, true);
	}
	pthread_mutex_lock(&tasklist_lock);
	for (int i = 0; i < w->ntargets; i++)
		w->targets[i]->refcount--;
	pthread_mutex_unlock(&tasklist_lock);
	free(w);
	return found ? err : -ESRCH;
}

int kill_pgrp(struct task *sender, pid_t pgrp, int sig, const siginfo_t *info)
{
	return kill_many(sender, pgrp, false, sig, info);
}

int kill_pid(struct task *sender, pid_t pid, int sig, const siginfo_t *info)
{
	siginfo_t si;
	struct thread_group *tg;
	struct task *target = NULL;

	if (sig < 0 || sig > MOAT_NSIG)
		return -EINVAL;
	if (!info) {
		fill_user_info(&si, sender, sig);
		info = &si;
	}
	if (pid == -1)
		return kill_many(sender, 0, true, sig, info);
	if (pid <= 0)
		return kill_many(sender, pid == 0 ? sender->tg->pgid : -pid,
				 false, sig, info);
	pthread_mutex_lock(&tasklist_lock);
	tg = pid_thread_group(pid);
	if (tg && !tg->exited) {
		target = tg->leader;
		target->refcount++;
	}
	pthread_mutex_unlock(&tasklist_lock);
	if (!target)
		return -ESRCH;
	int err = 0;
	if (!may_signal(sender, target, sig))
		err = -EPERM;
	else if (sig)
		err = send_signal_info(target, sig, info, true);
	task_put(target);
	return err;
}

void do_group_stop(struct task *t, int sig)
{
	struct thread_group *tg = t->tg;
	struct task *parent_leader = NULL;

	pthread_mutex_lock(&tasklist_lock);
	tg->stopped = true;
	tg->stop_sig = sig;
	tg->stop_reported = false;
	/* Pin the parent's leader: the parent may be exiting and reaped. */
	if (tg->parent) {
		parent_leader = tg->parent->leader;
		parent_leader->refcount++;
	}
	pthread_cond_broadcast(&tasklist_cond);
	pthread_mutex_unlock(&tasklist_lock);

	if (parent_leader) {
		struct k_sigaction *ka =
		    &parent_leader->sighand->action[SIGCHLD - 1];
		if (!(ka->flags & SA_NOCLDSTOP)) {
			siginfo_t si = {0};
			si.si_signo = SIGCHLD;
			si.si_code = CLD_STOPPED;
			si.si_pid = tg->tgid;
			si.si_uid = t->cred.uid;
			si.si_status = sig;
			send_signal_info(parent_leader, SIGCHLD, &si, true);
		}
		task_put(parent_leader);
	}

	pthread_mutex_lock(&tasklist_lock);
	while (tg->stopped && !tg->group_exit)
		pthread_cond_wait(&tasklist_cond, &tasklist_lock);
	pthread_mutex_unlock(&tasklist_lock);
}
