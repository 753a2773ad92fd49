/* Default signal actions, SIG_IGN, SIGCHLD delivery and stop/continue. */
// build: -static
#include "check.h"
#include <sys/resource.h>

static volatile sig_atomic_t chld_count, chld_code;

static void on_chld(int sig, siginfo_t *info, void *context)
{
	chld_count++;
	chld_code = info->si_code;
}

/* Fork a child that raises SIG with action ACTION. */
static void raise_in_child(int sig, void (*action)(int))
{
	pid_t pid = fork();

	if (pid == 0) {
		signal(sig, action);
		raise(sig);
		_exit(0);
	}
	char what[64];
	snprintf(what, sizeof(what), "raise %s %s", sigabbrev_np(sig),
		 action == SIG_IGN ? "ignored" : "default");
	wait_and_print(pid, what);
}

int main(void)
{
	raise_in_child(SIGTERM, SIG_DFL);
	raise_in_child(SIGTERM, SIG_IGN);
	raise_in_child(SIGINT, SIG_DFL);
	raise_in_child(SIGHUP, SIG_DFL);
	raise_in_child(SIGUSR1, SIG_DFL);
	raise_in_child(SIGALRM, SIG_DFL);
	raise_in_child(SIGCHLD, SIG_DFL);
	raise_in_child(SIGURG, SIG_DFL);
	raise_in_child(SIGWINCH, SIG_DFL);
	raise_in_child(SIGUSR2, SIG_IGN);

	/* abort() raises SIGABRT. The core limit is 0 so no core file is
	 * written into the cwd. */
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		abort();
	}
	wait_and_print(pid, "abort");

	/* SIG_IGN survives exec: a child that ignores SIGTERM is not killed
	 * by it after exec of sh. */
	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_IGN);
		execl("/bin/sh", "sh", "-c", "kill -TERM $$; exit 8", NULL);
		_exit(127);
	}
	wait_and_print(pid, "ignored TERM across exec");

	/* SIGCHLD is delivered when a child exits. */
	struct sigaction sa = {.sa_sigaction = on_chld, .sa_flags = SA_SIGINFO};
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid = fork();
	if (pid == 0)
		_exit(0);
	wait_and_print(pid, "child");
	sigprocmask(SIG_SETMASK, &old, NULL);
	SAY("SIGCHLD count = %d, CLD_EXITED = %s\n", (int)chld_count,
	    chld_code == CLD_EXITED ? "yes" : "no");

	/* Stop and continue a child. */
	signal(SIGCHLD, SIG_DFL);
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	int status;
	CHECK(kill(pid, SIGSTOP));
	CHECK(waitpid(pid, &status, WUNTRACED) == pid);
	print_status("after SIGSTOP", status);
	CHECK(kill(pid, SIGCONT));
	CHECK(waitpid(pid, &status, WCONTINUED) == pid);
	print_status("after SIGCONT", status);
	CHECK(kill(pid, SIGKILL));
	wait_and_print(pid, "after SIGKILL");
	CHECK(kill(pid, SIGTERM));

	/* SIGCHLD set to SIG_IGN reaps children automatically. */
	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(wait(&status));
	signal(SIGCHLD, SIG_DFL);
	return 0;
}
