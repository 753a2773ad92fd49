/* exit(3), _exit(2) and exit_group with threads. */
// build: -static
#include "check.h"
#include <pthread.h>

static void handler(void)
{
	printf("atexit handler ran\n");
}

static void *spin(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

static void *exit_from_thread(void *arg)
{
	exit(12);
}

int main(void)
{
	int codes[] = {0, 1, 42, 255, 256, 257, -1};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(codes[i]);
		char what[32];
		snprintf(what, sizeof(what), "_exit(%d)", codes[i]);
		wait_and_print(pid, what);
	}

	/* exit() runs atexit handlers and flushes stdio, _exit() does not. */
	pid_t pid = fork();
	if (pid == 0) {
		setvbuf(stdout, NULL, _IOFBF, 4096);
		atexit(handler);
		printf("buffered text\n");
		exit(3);
	}
	wait_and_print(pid, "exit with atexit");
	pid = fork();
	if (pid == 0) {
		setvbuf(stdout, NULL, _IOFBF, 4096);
		atexit(handler);
		printf("lost buffered text\n");
		_exit(4);
	}
	wait_and_print(pid, "_exit skips atexit");

	/* exit_group ends every thread. */
	pid = fork();
	if (pid == 0) {
		pthread_t t;
		pthread_create(&t, NULL, spin, NULL);
		pthread_create(&t, NULL, spin, NULL);
		syscall(SYS_exit_group, 5);
		_exit(99);
	}
	wait_and_print(pid, "exit_group with threads");
	pid = fork();
	if (pid == 0) {
		pthread_t t, s;
		pthread_create(&s, NULL, spin, NULL);
		pthread_create(&t, NULL, exit_from_thread, NULL);
		pthread_join(t, NULL);
		_exit(98);
	}
	wait_and_print(pid, "exit from a thread");

	/* The main thread exiting alone leaves the process running. */
	pid = fork();
	if (pid == 0) {
		pthread_t t;
		pthread_create(&t, NULL, exit_from_thread, NULL);
		syscall(SYS_exit, 0);
	}
	wait_and_print(pid, "main thread SYS_exit");
	return 7;
}
