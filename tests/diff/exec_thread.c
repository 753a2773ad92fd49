/* execve from a multi-threaded process: the other threads go away, and a
 * non-leader thread that execs takes over the process's PID. */
#include "check.h"

#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/wait.h>

static char pidbuf[32];

static void *blocked_in_sigwait(void *arg)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigwait(&set, &sig);
	return NULL;
}

static void *exec_from_thread(void *arg)
{
	execl("/bin/sh", "sh", "-c",
	      "test $$ -eq \"$1\" && echo same pid after exec from a thread",
	      "sh", pidbuf, (char *)NULL);
	return NULL;
}

static void run_child(bool from_thread)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		sigset_t set;
		pthread_t a, b;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		snprintf(pidbuf, sizeof(pidbuf), "%d", (int)getpid());
		pthread_create(&a, NULL, blocked_in_sigwait, NULL);
		if (from_thread) {
			pthread_create(&b, NULL, exec_from_thread, NULL);
			for (;;)
				pause();
		}
		execl("/bin/echo", "echo",
		      "exec from main with a thread in sigwait", (char *)NULL);
		_exit(127);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	printf("exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	fflush(stdout);
}

int main(void)
{
	run_child(false);
	run_child(true);
	return 0;
}
