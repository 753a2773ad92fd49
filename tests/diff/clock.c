/* Clocks and sleeping: only relations between values are printed. */
// build: -static
#include "check.h"
#include <sys/time.h>
#include <time.h>

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(void)
{
	struct timespec a, b, res;
	struct timeval tv;

	CHECK(clock_gettime(CLOCK_MONOTONIC, &a));
	int decreased = 0;
	for (int i = 0; i < 1000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (ns(&b) < ns(&a))
			decreased = 1;
		a = b;
	}
	SAY("monotonic decreased: %s\n", decreased ? "yes" : "no");
	CHECK(clock_gettime(CLOCK_REALTIME, &a));
	EXPECT(a.tv_sec > 1600000000);
	CHECK(gettimeofday(&tv, NULL));
	EXPECT(tv.tv_sec >= a.tv_sec && tv.tv_sec - a.tv_sec < 5);
	EXPECT(time(NULL) >= a.tv_sec);
	CHECK(clock_gettime(CLOCK_BOOTTIME, &a));
	CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
	CHECK(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a));
	CHECK(clock_gettime(CLOCK_MONOTONIC_COARSE, &a));
	CHECK(clock_gettime(12345, &a));
	CHECK(clock_getres(CLOCK_MONOTONIC, &res));
	EXPECT(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000);
	CHECK(clock_getres(12345, &res));
	CHECK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a));

	/* Sleeps last at least as long as requested. */
	struct timespec req = {0, 20000000};
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK(nanosleep(&req, NULL));
	clock_gettime(CLOCK_MONOTONIC, &b);
	EXPECT(ns(&b) - ns(&a) >= 20000000);
	clock_gettime(CLOCK_MONOTONIC, &a);
	struct timespec until = a;
	until.tv_nsec += 10000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL));
	clock_gettime(CLOCK_MONOTONIC, &b);
	EXPECT(ns(&b) >= ns(&until));
	req.tv_nsec = 1000000000;
	CHECK(nanosleep(&req, NULL));
	req.tv_sec = -1;
	req.tv_nsec = 0;
	CHECK(nanosleep(&req, NULL));
	CHECK(usleep(1000));

	/* CPU time advances when the process computes. */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < 50000000; i++)
		x += i;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	EXPECT(ns(&b) > ns(&a));
	return 0;
}
