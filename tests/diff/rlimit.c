/* getrlimit/setrlimit/prlimit, RLIMIT_NOFILE and RLIMIT_FSIZE effects. */
#include "check.h"
#include <sys/resource.h>

int main(void)
{
	struct rlimit rl, old;

	enter_tmpdir();
	CHECK(getrlimit(RLIMIT_NOFILE, &old));
	rl.rlim_cur = 16;
	rl.rlim_max = old.rlim_max;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl));
	CHECK(getrlimit(RLIMIT_NOFILE, &rl));
	SAY("nofile soft = %ld\n", (long)rl.rlim_cur);
	int last = -1, fd;
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		last = fd;
	SAY("last fd = %d, then errno=%s\n", last, errno_name(errno));
	CHECK(dup(0));
	CHECK(fcntl(0, F_DUPFD, 20));
	CHECK(dup2(0, 16));
	CHECK(dup2(0, 15) == 15);
	for (fd = 3; fd <= last; fd++)
		close(fd);

	rl.rlim_cur = old.rlim_max;
	rl.rlim_max = old.rlim_max + 1;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0 ||
	      errno == EPERM || errno == EINVAL);
	rl.rlim_cur = 10;
	rl.rlim_max = 5;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl));
	CHECK(getrlimit(1000, &rl));
	CHECK(setrlimit(-1, &rl));

	/* prlimit sets and returns the old value in one call. */
	struct rlimit stack = {8 << 20, RLIM_INFINITY}, prev;
	CHECK(prlimit(0, RLIMIT_STACK, &stack, NULL));
	CHECK(prlimit(0, RLIMIT_STACK, NULL, &prev));
	SAY("stack soft = %ld, hard infinite = %s\n", (long)prev.rlim_cur,
	    prev.rlim_max == RLIM_INFINITY ? "yes" : "no");
	CHECK(prlimit(999999999, RLIMIT_STACK, NULL, &prev));

	/* RLIMIT_FSIZE: writing past it raises SIGXFSZ or fails EFBIG. */
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit fsize = {10, 10};
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &fsize);
		int out = open("limited", O_WRONLY | O_CREAT, 0644);
		CHECK(write(out, "0123456789abc", 13));
		CHECK(write(out, "x", 1));
		CHECK(ftruncate(out, 100));
		_exit(0);
	}
	wait_and_print(pid, "fsize ignored");
	pid = fork();
	if (pid == 0) {
		struct rlimit fsize = {0, 0};
		setrlimit(RLIMIT_CORE, &fsize);
		setrlimit(RLIMIT_FSIZE, &fsize);
		int out = open("limited2", O_WRONLY | O_CREAT, 0644);
		write(out, "x", 1);
		_exit(0);
	}
	wait_and_print(pid, "fsize default");

	/* The limits are inherited across fork. */
	rl.rlim_cur = 32;
	rl.rlim_max = old.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	pid = fork();
	if (pid == 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		printf("child nofile soft = %ld\n", (long)rl.rlim_cur);
		_exit(0);
	}
	wait_and_print(pid, "child");
	return 0;
}
