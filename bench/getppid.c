// Measures the cost of a system call that needs no host work in Moat's
// sentry: N getppid() calls, reported as nanoseconds per call.
//
// Usage: getppid [N]   (default N = 100000)
// Output: one line, "<ns per call>".
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;

	if (n <= 0) {
		fprintf(stderr, "getppid: invalid call count '%s': expected a positive integer\n", argv[1]);
		return 2;
	}

	// Call through syscall() so that no C library can cache the result.
	double start = now_ns();
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	double elapsed = now_ns() - start;

	printf("%.1f\n", elapsed / n);
	return 0;
}
