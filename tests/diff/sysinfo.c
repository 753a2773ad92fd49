/* sysinfo(2), getrusage(2) and times(2) sanity. */
#include "check.h"
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/times.h>

int main(void)
{
	struct sysinfo si;
	struct rusage ru;
	struct tms t;

	CHECK(sysinfo(&si));
	EXPECT(si.uptime > 0);
	EXPECT(si.totalram > 0);
	EXPECT(si.freeram <= si.totalram);
	EXPECT(si.mem_unit >= 1);
	EXPECT(si.procs > 0);
	CHECK(sysinfo((struct sysinfo *)1));

	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < 100000000; i++)
		x += i;
	CHECK(getrusage(RUSAGE_SELF, &ru));
	EXPECT(ru.ru_maxrss > 0);
	EXPECT(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0);
	CHECK(getrusage(RUSAGE_CHILDREN, &ru));
	CHECK(getrusage(RUSAGE_THREAD, &ru));
	CHECK(getrusage(42, &ru));

	pid_t pid = fork();
	if (pid == 0) {
		for (unsigned long i = 0; i < 100000000; i++)
			x += i;
		_exit(0);
	}
	wait_and_print(pid, "child");
	CHECK(getrusage(RUSAGE_CHILDREN, &ru));
	EXPECT(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0);
	clock_t ticks = times(&t);
	EXPECT(ticks != (clock_t)-1);
	EXPECT(t.tms_utime + t.tms_stime > 0);
	EXPECT(sysconf(_SC_CLK_TCK) == 100);
	EXPECT(sysconf(_SC_PAGESIZE) == 4096);
	EXPECT(sysconf(_SC_NPROCESSORS_ONLN) >= 1);
	return 0;
}
