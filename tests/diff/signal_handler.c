/* sigaction(2) handlers, SA_SIGINFO, SA_RESETHAND and invalid signals. */
#include "check.h"

static volatile sig_atomic_t usr1_count, last_code, last_signo, mask_had_usr2;

static void on_usr1(int sig)
{
	usr1_count++;
}

static void on_info(int sig, siginfo_t *info, void *context)
{
	sigset_t current;

	last_signo = info->si_signo;
	last_code = info->si_code;
	sigprocmask(SIG_BLOCK, NULL, &current);
	mask_had_usr2 = sigismember(&current, SIGUSR2);
}

static const char *code_name(int code)
{
	switch (code) {
	case SI_USER: return "SI_USER";
	case SI_TKILL: return "SI_TKILL";
	case SI_QUEUE: return "SI_QUEUE";
	default: return "other";
	}
}

int main(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	CHECK(sigaction(SIGUSR1, &sa, NULL));
	CHECK(raise(SIGUSR1));
	CHECK(kill(getpid(), SIGUSR1));
	SAY("usr1 count = %d\n", (int)usr1_count);
	CHECK(sigaction(SIGUSR1, NULL, &old));
	SAY("old handler is on_usr1: %s\n",
	    old.sa_handler == on_usr1 ? "yes" : "no");

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	CHECK(sigaction(SIGUSR2, &sa, NULL));
	CHECK(sigaction(SIGHUP, &sa, NULL));
	CHECK(kill(getpid(), SIGHUP));
	SAY("signo = %s code = %s mask had SIGUSR2 = %d\n",
	    sigabbrev_np(last_signo), code_name(last_code), (int)mask_had_usr2);
	CHECK(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2));
	SAY("signo = %s code = %s mask had SIGUSR2 = %d\n",
	    sigabbrev_np(last_signo), code_name(last_code), (int)mask_had_usr2);
	union sigval value = {.sival_int = 7};
	CHECK(sigqueue(getpid(), SIGHUP, value));
	SAY("signo = %s code = %s\n", sigabbrev_np(last_signo),
	    code_name(last_code));

	/* SA_RESETHAND restores the default after one delivery. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESETHAND;
	CHECK(sigaction(SIGURG, &sa, NULL));
	CHECK(raise(SIGURG));
	CHECK(sigaction(SIGURG, NULL, &old));
	SAY("after SA_RESETHAND handler is SIG_DFL: %s\n",
	    old.sa_handler == SIG_DFL ? "yes" : "no");

	/* Invalid signals and unchangeable actions. */
	CHECK(sigaction(SIGKILL, &sa, NULL));
	CHECK(sigaction(SIGSTOP, &sa, NULL));
	CHECK(sigaction(SIGKILL, NULL, &old));
	CHECK(sigaction(0, &sa, NULL));
	CHECK(sigaction(65, &sa, NULL));
	CHECK(kill(getpid(), 99));
	CHECK(kill(getpid(), -1));
	CHECK(kill(getpid(), 0));
	CHECK(syscall(SYS_tgkill, getpid(), gettid(), 99));
	CHECK(signal(SIGKILL, SIG_IGN) == SIG_ERR);

	/* Real-time signals queue, standard signals coalesce. */
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGRTMIN);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	usr1_count = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGRTMIN, &sa, NULL);
	for (int i = 0; i < 3; i++) {
		sigqueue(getpid(), SIGRTMIN, value);
		raise(SIGUSR1);
	}
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	SAY("handler runs for 3 SIGRTMIN + 3 SIGUSR1 = %d\n", (int)usr1_count);

	/* A handler runs on an alternate stack when asked. */
	static char altstack[65536];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
	CHECK(sigaltstack(&ss, NULL));
	stack_t tiny = {.ss_sp = altstack, .ss_size = 16};
	CHECK(sigaltstack(&tiny, NULL));
	return 0;
}
