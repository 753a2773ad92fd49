/* sigprocmask(2) blocking, pending signals and sigpending(2). */
#include "check.h"

static volatile sig_atomic_t count;

static void on_signal(int sig)
{
	count++;
}

static void show_pending(void)
{
	sigset_t set;

	sigpending(&set);
	printf("pending: USR1=%d USR2=%d TERM=%d\n", sigismember(&set, SIGUSR1),
	       sigismember(&set, SIGUSR2), sigismember(&set, SIGTERM));
}

int main(void)
{
	sigset_t set, old;

	signal(SIGUSR1, on_signal);
	signal(SIGUSR2, on_signal);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, &old));
	SAY("old mask had USR1 = %d\n", sigismember(&old, SIGUSR1));
	CHECK(raise(SIGUSR1));
	CHECK(raise(SIGUSR1));
	SAY("count while blocked = %d\n", (int)count);
	show_pending();
	CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	SAY("count after unblock = %d\n", (int)count);
	show_pending();

	/* SIGKILL and SIGSTOP cannot be blocked. */
	sigfillset(&set);
	CHECK(sigprocmask(SIG_SETMASK, &set, NULL));
	CHECK(sigprocmask(SIG_SETMASK, NULL, &old));
	SAY("mask has KILL=%d STOP=%d USR2=%d\n", sigismember(&old, SIGKILL),
	    sigismember(&old, SIGSTOP), sigismember(&old, SIGUSR2));
	CHECK(sigprocmask(42, &set, NULL));
	CHECK(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (sigset_t *)1, NULL, 8));
	CHECK(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4));

	/* Ignoring a pending signal discards it. */
	count = 0;
	raise(SIGUSR2);
	raise(SIGTERM);
	show_pending();
	signal(SIGUSR2, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	show_pending();
	signal(SIGUSR2, on_signal);
	sigemptyset(&set);
	CHECK(sigprocmask(SIG_SETMASK, &set, NULL));
	SAY("count = %d\n", (int)count);

	/* sigsuspend waits with a temporary mask. */
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	sigset_t empty;
	sigemptyset(&empty);
	CHECK(sigsuspend(&empty));
	SAY("count after sigsuspend = %d\n", (int)count);

	/* sigwaitinfo takes a blocked signal without a handler. */
	raise(SIGUSR1);
	siginfo_t info;
	CHECK(sigwaitinfo(&set, &info));
	SAY("sigwaitinfo signo = %s count = %d\n", sigabbrev_np(info.si_signo),
	    (int)count);
	struct timespec zero = {0, 0};
	CHECK(sigtimedwait(&set, &info, &zero));

	/* The mask is inherited across fork, pending signals are not. */
	raise(SIGUSR1);
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t child_mask, child_pending;
		sigprocmask(SIG_BLOCK, NULL, &child_mask);
		sigpending(&child_pending);
		printf("child: USR1 blocked=%d pending=%d\n",
		       sigismember(&child_mask, SIGUSR1),
		       sigismember(&child_pending, SIGUSR1));
		_exit(0);
	}
	wait_and_print(pid, "child");
	return 0;
}
