/* pipe(2) and pipe2(2): data flow, flags, EOF, EAGAIN and EPIPE. */
// build: -no-pie
#include "check.h"

static volatile sig_atomic_t sigpipe_count;

static void on_sigpipe(int sig)
{
	sigpipe_count++;
}

int main(void)
{
	int p[2], q[2];
	char buf[16] = {0};

	CHECK(pipe(p));
	SAY("fds = %d %d\n", p[0], p[1]);
	CHECK(write(p[1], "hello", 5));
	CHECK(read(p[0], buf, sizeof(buf)));
	SAY("read = %s\n", buf);
	CHECK(write(p[0], "x", 1));
	CHECK(read(p[1], buf, 1));
	CHECK(close(p[1]));
	CHECK(read(p[0], buf, sizeof(buf)));
	CHECK(close(p[0]));

	CHECK(pipe2(q, O_CLOEXEC));
	CHECK(fcntl(q[0], F_GETFD));
	CHECK(fcntl(q[1], F_GETFD));
	CHECK(close(q[0]));
	CHECK(close(q[1]));
	CHECK(pipe2(q, O_NONBLOCK));
	CHECK(fcntl(q[0], F_GETFL) & O_NONBLOCK);
	CHECK(read(q[0], buf, 1));
	CHECK(pipe2(p, 0x12345678));
	CHECK(pipe((int *)1));

	/* Fill a non-blocking pipe until EAGAIN. */
	static char chunk[4096];
	long total = 0;
	ssize_t n;
	while ((n = write(q[1], chunk, sizeof(chunk))) > 0)
		total += n;
	SAY("filled pipe, last write errno=%s, total>=4096: %s\n",
	    errno_name(errno), total >= 4096 ? "yes" : "no");
	long drained = 0;
	while ((n = read(q[0], chunk, sizeof(chunk))) > 0)
		drained += n;
	SAY("drained == filled: %s\n", drained == total ? "yes" : "no");

	/* Writing to a pipe without readers raises SIGPIPE, then EPIPE. */
	signal(SIGPIPE, on_sigpipe);
	CHECK(close(q[0]));
	CHECK(write(q[1], "x", 1));
	SAY("SIGPIPE count = %d\n", (int)sigpipe_count);
	signal(SIGPIPE, SIG_IGN);
	CHECK(write(q[1], "x", 1));
	SAY("SIGPIPE count = %d\n", (int)sigpipe_count);

	/* Default SIGPIPE kills the writer. */
	CHECK(pipe(p));
	CHECK(close(p[0]));
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(p[1], "x", 1);
		_exit(0);
	}
	wait_and_print(pid, "writer");

	/* Data crosses fork: the child writes, the parent reads to EOF. */
	CHECK(pipe(p));
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (int i = 0; i < 100; i++)
			dprintf(p[1], "line %d\n", i);
		_exit(0);
	}
	close(p[1]);
	long bytes = 0;
	while ((n = read(p[0], chunk, sizeof(chunk))) > 0)
		bytes += n;
	SAY("bytes from child = %ld\n", bytes);
	wait_and_print(pid, "child");
	return 0;
}
