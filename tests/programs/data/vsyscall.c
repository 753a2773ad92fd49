/* Calls gettimeofday and time through the legacy vsyscall page. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
int main(void)
{
	struct timeval tv;
	long r =
	    ((long (*)(struct timeval *, void *))0xffffffffff600000)(&tv, 0);
	long t = ((long (*)(time_t *))0xffffffffff600400)(0);
	printf("vsyscall gettimeofday -> %ld, time -> %s\n", r,
	       t > 1000 ? "a time" : "an error");
	return 0;
}
