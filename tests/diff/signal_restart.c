/* SA_RESTART restarts an interrupted read, without it read fails EINTR. */
#include "check.h"
#include <sys/time.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	alarms++;
}

/* Block in read on a pipe while SIGALRM arrives after 50 ms. A child
 * writes "x" after 400 ms when WRITER is set. */
static void interrupted_read(int flags, int writer)
{
	struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = flags};
	struct itimerval timer = {.it_value = {0, 50000}};
	int p[2];
	char c = '-';

	sigaction(SIGALRM, &sa, NULL);
	pipe(p);
	pid_t pid = -1;
	if (writer) {
		pid = fork();
		if (pid == 0) {
			usleep(400000);
			write(p[1], "x", 1);
			_exit(0);
		}
	}
	alarms = 0;
	setitimer(ITIMER_REAL, &timer, NULL);
	CHECK(read(p[0], &c, 1));
	SAY("alarms = %d, byte = %c\n", (int)alarms, c);
	if (pid > 0)
		wait_and_print(pid, "writer");
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	SAY("without SA_RESTART:\n");
	interrupted_read(0, 0);
	SAY("with SA_RESTART:\n");
	interrupted_read(SA_RESTART, 1);

	/* nanosleep is never restarted: it returns EINTR. */
	struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_RESTART};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval timer = {.it_value = {0, 50000}};
	setitimer(ITIMER_REAL, &timer, NULL);
	struct timespec ts = {5, 0}, rem;
	CHECK(nanosleep(&ts, &rem));
	SAY("remaining > 1 s: %s\n", rem.tv_sec >= 1 ? "yes" : "no");

	/* alarm() returns the seconds left of the previous alarm. */
	CHECK(alarm(100));
	CHECK(alarm(0) > 90);
	CHECK(alarm(0));
	/* pause() returns EINTR after a handled signal. */
	setitimer(ITIMER_REAL, &timer, NULL);
	CHECK(pause());
	return 0;
}
