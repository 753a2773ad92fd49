/* eventfd(2), timerfd(2) and signalfd(2). */
#include "check.h"
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

int main(void)
{
	uint64_t v;

	int efd = CHECK(eventfd(3, EFD_NONBLOCK));
	CHECK(read(efd, &v, sizeof(v)));
	SAY("value = %llu\n", (unsigned long long)v);
	CHECK(read(efd, &v, sizeof(v)));
	v = 5;
	CHECK(write(efd, &v, sizeof(v)));
	CHECK(write(efd, &v, 4));
	CHECK(read(efd, &v, 4));
	v = UINT64_MAX;
	CHECK(write(efd, &v, sizeof(v)));
	close(efd);
	efd = CHECK(eventfd(2, EFD_SEMAPHORE));
	CHECK(read(efd, &v, sizeof(v)));
	SAY("semaphore value = %llu\n", (unsigned long long)v);
	CHECK(eventfd(0, 0x12345));

	int tfd = CHECK(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	struct itimerspec its = {.it_value = {0, 20000000}, .it_interval = {0, 0}};
	CHECK(timerfd_settime(tfd, 0, &its, NULL));
	CHECK(read(tfd, &v, sizeof(v)));
	SAY("expirations = %llu\n", (unsigned long long)v);
	struct itimerspec cur;
	CHECK(timerfd_gettime(tfd, &cur));
	SAY("disarmed: %s\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0 ? "yes" : "no");
	its.it_value.tv_nsec = 1000000000;
	CHECK(timerfd_settime(tfd, 0, &its, NULL));
	CHECK(timerfd_create(12345, 0));
	struct pollfd pfd = {.fd = tfd, .events = POLLIN};
	its.it_value.tv_nsec = 0;
	its.it_value.tv_sec = 10;
	CHECK(timerfd_settime(tfd, 0, &its, NULL));
	CHECK(poll(&pfd, 1, 10));

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sfd = CHECK(signalfd(-1, &set, SFD_NONBLOCK));
	struct signalfd_siginfo si;
	CHECK(read(sfd, &si, sizeof(si)));
	raise(SIGUSR1);
	CHECK(read(sfd, &si, sizeof(si)));
	SAY("signalfd signo = %s\n", sigabbrev_np(si.ssi_signo));
	CHECK(read(sfd, &si, 8));
	return 0;
}
