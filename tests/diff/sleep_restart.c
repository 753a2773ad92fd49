/* restart_syscall: a sleep stopped and continued resumes to its original
 * deadline, and a handler makes it fail with EINTR. */
#include "check.h"
#include <time.h>

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_usr1(int sig)
{
}

/* Sleep 400 ms in a child that is stopped for 100 ms after 100 ms. The
 * child exits 0 if the sleep returned 0 in about 400 ms (a restart from
 * the start would take about 500 ms). */
static void check_stop_continue(const char *what, int use_clock)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec req = {0, 400000000}, rem = {0, 0};
		int64_t start = now_ms();
		int r = use_clock
			    ? clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem)
			    : nanosleep(&req, &rem);
		int64_t elapsed = now_ms() - start;

		if (use_clock ? r != 0 : r < 0)
			_exit(10);
		_exit(elapsed >= 390 && elapsed < 480 ? 0 : 11);
	}
	usleep(100000);
	kill(pid, SIGSTOP);
	usleep(100000);
	kill(pid, SIGCONT);
	wait_and_print(pid, what);
}

static void check_handler(void)
{
	struct sigaction sa = {.sa_handler = on_usr1};
	struct timespec req = {5, 0}, rem = {0, 0};
	pid_t pid = fork();

	if (pid == 0) {
		sigaction(SIGUSR1, &sa, NULL);
		int r = nanosleep(&req, &rem);

		printf("nanosleep with handler = %d errno=%s\n", r,
		       errno_name(errno));
		printf("rem > 4 s: %s\n", rem.tv_sec >= 4 ? "yes" : "no");
		fflush(stdout);
		_exit(0);
	}
	usleep(100000);
	kill(pid, SIGUSR1);
	wait_and_print(pid, "handler child");
}

int main(void)
{
	check_stop_continue("nanosleep", 0);
	check_stop_continue("clock_nanosleep", 1);
	check_handler();
	/* Nothing to restart. */
	CHECK(syscall(SYS_restart_syscall));
	return 0;
}
