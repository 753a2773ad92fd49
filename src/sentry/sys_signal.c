/* The signal system calls. */
#include "sentry/mm.h"
#include "sentry/signal.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/wait.h"
#include "common/util.h"

#include <string.h>
#include <sys/syscall.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

static bool sig_valid(int sig)
{
	return sig >= 1 && sig <= MOAT_NSIG;
}

SYSCALL_DEFINE(SYS_rt_sigaction, rt_sigaction)
{
	int sig = (int)args[0];
	struct k_sigaction act, old;
	struct sighand *sh = t->sighand;

	if (args[3] != sizeof(ksigset_t) || !sig_valid(sig))
		return -EINVAL;
	if (args[1] && copy_from_user(t, &act, args[1], sizeof(act)))
		return -EFAULT;
	if (args[1] && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	/* tasklist_lock keeps the thread list stable for the flush below. */
	pthread_mutex_lock(&tasklist_lock);
	pthread_mutex_lock(&sh->lock);
	old = sh->action[sig - 1];
	if (args[1]) {
		act.mask &= ~SIG_KERNEL_ONLY_MASK;
		sh->action[sig - 1] = act;
		/* Setting SIG_IGN (or SIG_DFL of an ignored-by-default
		 * signal) discards it if pending. */
		if (act.handler == (uint64_t)SIG_IGN ||
		    (act.handler == (uint64_t)SIG_DFL &&
		     sig_default_action_of(sig) == 2)) {
			sigpending_flush(&t->tg->shared_pending, sig);
			for (struct task *th = t->tg->leader; th;
			     th = th->next_thread)
				sigpending_flush(&th->pending, sig);
		}
	}
	pthread_mutex_unlock(&sh->lock);
	pthread_mutex_unlock(&tasklist_lock);
	if (args[2] && copy_to_user(t, args[2], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_rt_sigprocmask, rt_sigprocmask)
{
	int how = (int)args[0];
	ksigset_t set, old;

	if (args[3] != sizeof(ksigset_t))
		return -EINVAL;
	if (args[1] && copy_from_user(t, &set, args[1], sizeof(set)))
		return -EFAULT;
	pthread_mutex_lock(&t->sighand->lock);
	old = t->blocked;
	if (args[1]) {
		switch (how) {
		case SIG_BLOCK:
			t->blocked |= set;
			break;
		case SIG_UNBLOCK:
			t->blocked &= ~set;
			break;
		case SIG_SETMASK:
			t->blocked = set;
			break;
		default:
			pthread_mutex_unlock(&t->sighand->lock);
			return -EINVAL;
		}
		t->blocked &= ~SIG_KERNEL_ONLY_MASK;
	}
	pthread_mutex_unlock(&t->sighand->lock);
	if (args[2] && copy_to_user(t, args[2], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_rt_sigreturn, rt_sigreturn)
{
	return do_rt_sigreturn(t);
}

SYSCALL_DEFINE(SYS_sigaltstack, sigaltstack)
{
	stack_t ss, old = t->altstack;
	uint64_t sp = t->regs.regs.rsp;
	uint64_t base = (uint64_t)t->altstack.ss_sp;
	bool on = !(t->altstack.ss_flags & SS_DISABLE) && sp > base &&
		  sp <= base + t->altstack.ss_size;

	old.ss_flags =
	    on ? SS_ONSTACK
	       : (t->altstack.ss_size ? t->altstack.ss_flags : SS_DISABLE);
	if (args[0]) {
		if (copy_from_user(t, &ss, args[0], sizeof(ss)))
			return -EFAULT;
		if (on)
			return -EPERM;
		if (ss.ss_flags & ~(SS_DISABLE | SS_AUTODISARM))
			return -EINVAL;
		if (ss.ss_flags & SS_DISABLE) {
			t->altstack.ss_sp = NULL;
			t->altstack.ss_size = 0;
			t->altstack.ss_flags = SS_DISABLE;
		} else {
			if (ss.ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			t->altstack = ss;
			t->altstack.ss_flags = 0;
		}
	}
	if (args[1] && copy_to_user(t, args[1], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_kill, kill)
{
	return kill_pid(t, (pid_t)args[0], (int)args[1], NULL);
}

static long do_tkill(struct task *t, pid_t tgid, pid_t tid, int sig)
{
	struct task *target;
	siginfo_t si;
	int err = 0;

	if (tid <= 0 || sig < 0 || sig > MOAT_NSIG)
		return -EINVAL;
	pthread_mutex_lock(&tasklist_lock);
	target = pid_task(tid);
	if (!target || target->state != TASK_RUNNING ||
	    (tgid > 0 && target->tg->tgid != tgid))
		target = NULL;
	else
		target->refcount++;
	pthread_mutex_unlock(&tasklist_lock);
	if (!target)
		return -ESRCH;
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = SI_TKILL;
	si.si_pid = t->tg->tgid;
	si.si_uid = t->cred.uid;
	if (sig)
		err = send_signal_info(target, sig, &si, false);
	task_put(target);
	return err;
}

SYSCALL_DEFINE(SYS_tkill, tkill)
{
	return do_tkill(t, 0, (pid_t)args[0], (int)args[1]);
}

SYSCALL_DEFINE(SYS_tgkill, tgkill)
{
	if ((pid_t)args[0] <= 0)
		return -EINVAL;
	return do_tkill(t, (pid_t)args[0], (pid_t)args[1], (int)args[2]);
}

SYSCALL_DEFINE(SYS_rt_sigpending, rt_sigpending)
{
	ksigset_t set;

	if (args[1] > sizeof(ksigset_t))
		return -EINVAL;
	pthread_mutex_lock(&t->sighand->lock);
	set = (t->pending.set | t->tg->shared_pending.set) & t->blocked;
	pthread_mutex_unlock(&t->sighand->lock);
	return copy_to_user(t, args[0], &set, args[1]);
}

/* Sleep until a signal arrives (for pause and sigsuspend). */
static long sleep_for_signal(struct task *t)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;

	pthread_mutex_lock(&m);
	while (task_wait_cond(t, &c, &m, NULL) != -ERESTARTSYS)
		;
	pthread_mutex_unlock(&m);
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE(SYS_pause, pause)
{
	return sleep_for_signal(t);
}

SYSCALL_DEFINE(SYS_rt_sigsuspend, rt_sigsuspend)
{
	ksigset_t set;

	if (args[1] != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(t, &set, args[0], sizeof(set)))
		return -EFAULT;
	pthread_mutex_lock(&t->sighand->lock);
	t->saved_mask = t->blocked;
	t->restore_saved_mask = true;
	t->blocked = set & ~SIG_KERNEL_ONLY_MASK;
	pthread_mutex_unlock(&t->sighand->lock);
	sleep_for_signal(t);
	return -EINTR;
}

SYSCALL_DEFINE(SYS_rt_sigtimedwait, rt_sigtimedwait)
{
	ksigset_t set;
	struct timespec ts, deadline;
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	struct sigpending *p;
	siginfo_t info;
	long r = -EAGAIN;

	if (args[3] != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(t, &set, args[0], sizeof(set)))
		return -EFAULT;
	set &= ~SIG_KERNEL_ONLY_MASK;
	if (args[2]) {
		if (copy_from_user(t, &ts, args[2], sizeof(ts)))
			return -EFAULT;
		if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L ||
		    ts.tv_sec < 0)
			return -EINVAL;
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += ts.tv_sec;
		deadline.tv_nsec += ts.tv_nsec;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_nsec -= 1000000000L;
			deadline.tv_sec++;
		}
	}
	for (;;) {
		ksigset_t ready;
		pthread_mutex_lock(&t->sighand->lock);
		p = &t->pending;
		ready = p->set & set;
		if (!ready) {
			p = &t->tg->shared_pending;
			ready = p->set & set;
		}
		if (ready) {
			int sig = __builtin_ctzll(ready) + 1;
			sigpending_take(p, sig, &info);
			pthread_mutex_unlock(&t->sighand->lock);
			if (args[1] &&
			    copy_to_user(t, args[1], &info, sizeof(info)))
				return -EFAULT;
			return sig;
		}
		/* Let the awaited signals through the pending check while
		 * sleeping, so their arrival wakes this task. */
		ksigset_t saved = t->blocked;
		t->blocked &= ~set;
		pthread_mutex_unlock(&t->sighand->lock);
		pthread_mutex_lock(&m);
		r = task_wait_cond(t, &c, &m, args[2] ? &deadline : NULL);
		pthread_mutex_unlock(&m);
		pthread_mutex_lock(&t->sighand->lock);
		t->blocked = saved;
		pthread_mutex_unlock(&t->sighand->lock);
		if (r == -ETIMEDOUT)
			return -EAGAIN;
		if (r == -ERESTARTSYS) {
			/* Was it one of ours? Loop to take it; otherwise the
			 * signal interrupts the wait. */
			pthread_mutex_lock(&t->sighand->lock);
			ready =
			    (t->pending.set | t->tg->shared_pending.set) & set;
			pthread_mutex_unlock(&t->sighand->lock);
			if (!ready)
				return -EINTR;
		}
	}
}

SYSCALL_DEFINE(SYS_rt_sigqueueinfo, rt_sigqueueinfo)
{
	siginfo_t si;

	if (copy_from_user(t, &si, args[2], sizeof(si)))
		return -EFAULT;
	if ((si.si_code >= 0 || si.si_code == SI_TKILL) &&
	    (pid_t)args[0] != t->tg->tgid)
		return -EPERM;
	si.si_signo = (int)args[1];
	return kill_pid(t, (pid_t)args[0], (int)args[1], &si);
}
