// Measures process creation: N rounds of fork(), execv(PROGRAM) and
// waitpid(), reported as microseconds per round.
//
// Usage: forkexec N PROGRAM
// Output: one line, "<microseconds per round>".
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: forkexec N PROGRAM\n");
		return 2;
	}
	long n = atol(argv[1]);
	char *program = argv[2];

	if (n <= 0) {
		fprintf(stderr, "forkexec: invalid round count '%s': expected a positive integer\n", argv[1]);
		return 2;
	}

	double start = now_us();
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("forkexec: fork failed");
			return 1;
		}
		if (pid == 0) {
			char *child_argv[] = { program, NULL };
			execv(program, child_argv);
			_exit(127);
		}

		int status;
		if (waitpid(pid, &status, 0) != pid) {
			perror("forkexec: waitpid failed");
			return 1;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "forkexec: round %ld: %s exited with status 0x%x, expected 0\n", i, program, status);
			return 1;
		}
	}
	double elapsed = now_us() - start;

	printf("%.1f\n", elapsed / n);
	return 0;
}
