/* The run loop of a task's sentry thread: run application code until it
 * stops, handle the stop (a syscall or a fault), deliver signals, repeat.
 */
#include "sentry/mm.h"
#include "sentry/signal.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/wait.h"
#include "common/log.h"
#include "common/util.h"

#include <string.h>

void setup_crash_stack(void);
void release_crash_stack(void);

static bool is_fault_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE ||
	       sig == SIGILL || sig == SIGTRAP || sig == SIGSYS;
}

/* A host signal stopped the stub: faults become guest signals; anything
 * else (sent from outside the sandbox) is dropped. */
static void handle_host_signal(struct task *t, const siginfo_t *info)
{
	siginfo_t si = *info;

	if (!is_fault_signal(info->si_signo) || info->si_code == SI_USER ||
	    info->si_code == SI_TKILL)
		return;
	force_signal(t, &si);
}

static void task_first_run(struct task *t)
{
	pid_t tid = t->tid;

	if (t->set_child_tid)
		copy_to_user(t, t->set_child_tid, &tid, sizeof(tid));
	t->set_child_tid = 0;
}

void task_loop(struct task *t)
{
	siginfo_t info;

	task_first_run(t);
	while (handle_signals(t, false)) {
		switch (platform_run(t->mm->as, &t->regs, &info)) {
		case STOP_SYSCALL:
			syscall_dispatch(t);
			if (!handle_signals(t, true))
				goto out;
			break;
		case STOP_SIGNAL:
			handle_host_signal(t, &info);
			break;
		case STOP_INTERRUPT:
			break;
		case STOP_EXITED:
			log_debug("task %d: stub died", t->tid);
			do_group_exit(t, wstatus_signaled(SIGKILL, false));
			goto out;
		}
	}
out:
	task_exit(t);
}

static void task_thread_done(struct task *t)
{
	release_crash_stack();
	pthread_mutex_lock(&t->wait_lock);
	t->thread_done = true;
	pthread_mutex_unlock(&t->wait_lock);
}

static void *task_thread(void *arg)
{
	struct task *t = arg;
	int err;

	current = t;
	setup_crash_stack();
	if (t->attach_pending) {
		/* A new process attaches to its forked stub; a thread or a
		 * vfork-style child to the stub thread made for it. */
		if (t->stub_tid)
			err = platform_thread_attach(t->mm->as, t->stub_tid);
		else
			err = platform_as_attach(t->mm->as);
		__atomic_store_n(&t->stub_tid, platform_current_tid(),
				 __ATOMIC_SEQ_CST);
		t->attach_pending = false;
		if (err) {
			log_error("task %d: cannot attach to its stub: %s",
				  t->tid, strerror(-err));
			do_group_exit(t, wstatus_signaled(SIGKILL, false));
			task_exit(t);
			task_thread_done(t);
			task_put(t);
			return NULL;
		}
	}
	task_loop(t);
	task_thread_done(t);
	task_put(t);
	return NULL;
}

int task_start_thread(struct task *t)
{
	pthread_attr_t attr;
	sigset_t all, old;
	int err;

	/* Task threads start with every host signal blocked; wait.c
	 * unblocks its wake-up signal only while sleeping. */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGABRT);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 8 << 20);
	err = -pthread_create(&t->thread, &attr, task_thread, t);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}
