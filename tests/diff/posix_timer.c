/* POSIX timers: creation, IDs, arming, signals, overruns and deletion. */
// build: -pthread
#include "check.h"
#include <pthread.h>
#include <stdint.h>
#include <time.h>

static volatile sig_atomic_t alarm_count;
static volatile int last_timerid = -1, last_code, last_value;

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	alarm_count++;
	last_code = si->si_code;
	last_timerid = si->si_timerid;
	last_value = si->si_value.sival_int;
}

static timer_t make_timer(clockid_t clock, int notify, int sig, int value)
{
	struct sigevent ev = {.sigev_notify = notify, .sigev_signo = sig};
	timer_t id;

	ev.sigev_value.sival_int = value;
	if (timer_create(clock, &ev, &id) < 0) {
		printf("timer_create: %s\n", errno_name(errno));
		return (timer_t)-1;
	}
	return id;
}

static void check_create(void)
{
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = 0};
	timer_t ids[4];

	/* IDs count up from 0 and are not reused. */
	for (int i = 0; i < 3; i++)
		CHECK(timer_create(CLOCK_MONOTONIC, NULL, &ids[i]));
	SAY("ids = %ld %ld %ld\n", (long)ids[0], (long)ids[1], (long)ids[2]);
	CHECK(timer_delete(ids[1]));
	CHECK(timer_delete(ids[1]));
	CHECK(timer_create(CLOCK_REALTIME, NULL, &ids[3]));
	SAY("next id = %ld\n", (long)ids[3]);
	CHECK(timer_create(CLOCK_BOOTTIME, NULL, &ids[1]));
	CHECK(timer_create(CLOCK_MONOTONIC_RAW, NULL, &ids[1]));
	CHECK(timer_create(CLOCK_REALTIME_COARSE, NULL, &ids[1]));
	CHECK(timer_create(1234, NULL, &ids[1]));
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &ids[1]));
	ev.sigev_signo = 65;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &ids[1]));
	ev.sigev_signo = SIGUSR1;
	ev.sigev_notify = 77;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &ids[1]));
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev._sigev_un._tid = 999999;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &ids[1]));
	CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, (void *)8));
	CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, (void *)8, &ids[1]));
	CHECK(syscall(SYS_timer_delete, 12345));
	CHECK(syscall(SYS_timer_getoverrun, 12345));
	for (int i = 0; i < 4; i++)
		if (i != 1)
			timer_delete(ids[i]);
}

static void check_settime(void)
{
	/* SIGUSR2 stays at its default action, but this timer is disarmed
	 * long before it expires. */
	timer_t id = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR2, 0);
	struct itimerspec its = {0}, cur;

	CHECK(timer_gettime(id, &cur));
	SAY("disarmed = %ld %ld\n", (long)cur.it_value.tv_sec,
	    (long)cur.it_interval.tv_sec);
	its.it_value.tv_sec = 100;
	its.it_interval.tv_sec = 7;
	CHECK(timer_settime(id, 0, &its, NULL));
	CHECK(timer_gettime(id, &cur));
	EXPECT(cur.it_value.tv_sec >= 99 && cur.it_value.tv_sec <= 100);
	SAY("interval = %ld\n", (long)cur.it_interval.tv_sec);
	its.it_value.tv_sec = 0;
	CHECK(timer_settime(id, 0, &its, &cur));
	EXPECT(cur.it_value.tv_sec >= 99 && cur.it_value.tv_sec <= 100);
	CHECK(timer_gettime(id, &cur));
	SAY("after disarm = %ld %ld\n", (long)cur.it_value.tv_sec,
	    (long)cur.it_interval.tv_sec);
	its.it_value.tv_nsec = 1000000000;
	CHECK(timer_settime(id, 0, &its, NULL));
	its.it_value.tv_nsec = -1;
	CHECK(timer_settime(id, 0, &its, NULL));
	CHECK(syscall(SYS_timer_settime, id, 0, (void *)8, NULL));
	CHECK(syscall(SYS_timer_gettime, id, (void *)8));

	CHECK(timer_delete(id));

	/* SIGEV_NONE: the timer expires silently. */
	id = make_timer(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
	its = (struct itimerspec){.it_value = {0, 20000000}};
	CHECK(timer_settime(id, 0, &its, NULL));
	usleep(60000);
	CHECK(timer_gettime(id, &cur));
	SAY("expired = %ld %ld\n", (long)cur.it_value.tv_sec,
	    (long)cur.it_value.tv_nsec);
	CHECK(timer_delete(id));
}

static void check_signal(void)
{
	struct sigaction sa = {.sa_sigaction = on_signal,
			       .sa_flags = SA_SIGINFO};
	struct itimerspec its = {.it_value = {0, 10000000}};
	struct timespec now;
	timer_t id;

	sigaction(SIGUSR1, &sa, NULL);
	id = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 42);
	CHECK(timer_settime(id, 0, &its, NULL));
	while (!alarm_count)
		pause();
	SAY("signal: code SI_TIMER %s, id %s, value %d\n",
	    last_code == SI_TIMER ? "yes" : "no",
	    last_timerid == (long)id ? "yes" : "no", last_value);
	CHECK(timer_getoverrun(id));

	/* An absolute time on CLOCK_REALTIME. */
	alarm_count = 0;
	timer_t rt = make_timer(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR1, 7);
	clock_gettime(CLOCK_REALTIME, &now);
	its.it_value = now;
	its.it_value.tv_nsec += 20000000;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	CHECK(timer_settime(rt, TIMER_ABSTIME, &its, NULL));
	while (!alarm_count)
		pause();
	SAY("absolute: value %d\n", last_value);
	/* A time in the past expires at once. */
	alarm_count = 0;
	its.it_value.tv_sec = 1;
	CHECK(timer_settime(rt, TIMER_ABSTIME, &its, NULL));
	while (!alarm_count)
		pause();
	SAY("past: value %d\n", last_value);
	CHECK(timer_delete(rt));

	/* A periodic timer whose signal stays blocked overruns. */
	sigset_t set, old;
	siginfo_t si;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	its = (struct itimerspec){.it_value = {0, 5000000},
				  .it_interval = {0, 5000000}};
	CHECK(timer_settime(id, 0, &its, NULL));
	usleep(100000);
	CHECK(sigwaitinfo(&set, &si));
	EXPECT(si.si_overrun >= 5);
	EXPECT(timer_getoverrun(id) >= 5);
	its = (struct itimerspec){0};
	CHECK(timer_settime(id, 0, &its, NULL));
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(timer_delete(id));
}

static volatile pid_t thread_tid, signalled_tid;

static void on_thread_signal(int sig)
{
	signalled_tid = gettid();
}

static void *thread_main(void *arg)
{
	thread_tid = gettid();
	while (!signalled_tid)
		usleep(1000);
	return NULL;
}

static void check_thread_id(void)
{
	struct sigevent ev = {.sigev_notify = SIGEV_THREAD_ID,
			      .sigev_signo = SIGUSR2};
	struct itimerspec its = {.it_value = {0, 10000000}};
	pthread_t thread;
	timer_t id;

	signal(SIGUSR2, on_thread_signal);
	pthread_create(&thread, NULL, thread_main, NULL);
	while (!thread_tid)
		usleep(1000);
	ev._sigev_un._tid = thread_tid;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &id));
	CHECK(timer_settime(id, 0, &its, NULL));
	pthread_join(thread, NULL);
	EXPECT(signalled_tid == thread_tid);
	CHECK(timer_delete(id));
}

static volatile int thread_notified;

static void on_notify(union sigval value)
{
	thread_notified = value.sival_int;
}

static void check_sigev_thread(void)
{
	struct sigevent ev = {.sigev_notify = SIGEV_THREAD,
			      .sigev_notify_function = on_notify};
	struct itimerspec its = {.it_value = {0, 10000000}};
	timer_t id;

	ev.sigev_value.sival_int = 5;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &id));
	CHECK(timer_settime(id, 0, &its, NULL));
	for (int i = 0; i < 500 && !thread_notified; i++)
		usleep(2000);
	SAY("SIGEV_THREAD value = %d\n", thread_notified);
	CHECK(timer_delete(id));
}

/* Run in a child before any thread exists: a forked child starts with
 * no timers and execve deletes the timers of the process. */
static void check_fork_exec(const char *self)
{
	timer_t id = make_timer(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
	pid_t pid = fork();

	if (pid == 0) {
		struct itimerspec cur;

		printf("child gettime = %d\n", timer_gettime(id, &cur));
		id = make_timer(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
		printf("child id = %ld\n", (long)id);
		fflush(stdout);
		execl("/proc/self/exe", self, "exec", NULL);
		_exit(1);
	}
	wait_and_print(pid, "child");
	timer_delete(id);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		struct itimerspec cur;

		CHECK(syscall(SYS_timer_gettime, 0, &cur));
		return 0;
	}
	check_fork_exec(argv[0]);
	check_create();
	check_settime();
	check_signal();
	check_thread_id();
	check_sigev_thread();
	return 0;
}
