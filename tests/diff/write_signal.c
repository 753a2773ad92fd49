/* A write that needs no wait, to a regular file or to a pipe with room,
 * is not interrupted by a signal, even one whose handler lacks SA_RESTART.
 * Another thread signals the writer while it writes to stdout (often a
 * regular file of the caller), a file in /tmp and a pipe. */
// build: -pthread
#include "check.h"
#include <pthread.h>

#define WRITES 400

static volatile int done;
static volatile long handled;
static pid_t writer_tid;

static void on_signal(int sig)
{
	(void)sig;
	handled++;
}

static void *signaller(void *arg)
{
	(void)arg;
	while (!done) {
		syscall(SYS_tgkill, getpid(), writer_tid, SIGUSR1);
		sched_yield();
	}
	return NULL;
}

/* Write WRITES single bytes to fd and print how many failed. */
static void write_bytes(const char *label, int fd, int drain)
{
	int eintr = 0, other = 0;
	char c;

	for (int i = 0; i < WRITES; i++) {
		char byte = (i + 1) % 50 ? '.' : '\n';
		ssize_t n = write(fd, &byte, 1);

		if (n < 0 && errno == EINTR)
			eintr++;
		else if (n != 1)
			other++;
		if (drain >= 0)
			read(drain, &c, 1);
	}
	printf("%s: %d interrupted, %d failed\n", label, eintr, other);
	fflush(stdout);
}

int main(void)
{
	struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART */
	pthread_t thread;
	int p[2];

	setvbuf(stdout, NULL, _IONBF, 0);
	sigaction(SIGUSR1, &sa, NULL);
	writer_tid = gettid();
	pthread_create(&thread, NULL, signaller, NULL);
	while (!handled)
		sched_yield();

	write_bytes("stdout", 1, -1);

	int fd =
	    open("/tmp/moat-write-signal", O_RDWR | O_CREAT | O_TRUNC, 0600);
	unlink("/tmp/moat-write-signal");
	write_bytes("tmp file", fd, -1);
	close(fd);

	pipe(p);
	write_bytes("pipe", p[1], p[0]);

	done = 1;
	pthread_join(thread, NULL);
	EXPECT(handled > 0);
	return 0;
}
