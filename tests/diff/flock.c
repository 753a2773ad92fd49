/* flock(2) and POSIX record locks between processes. */
#include "check.h"
#include <sys/file.h>

int main(void)
{
	enter_tmpdir();
	write_file("f", "data", 0644);
	int a = CHECK(open("f", O_RDWR));
	int b = CHECK(open("f", O_RDWR));

	CHECK(flock(a, LOCK_EX));
	CHECK(flock(b, LOCK_EX | LOCK_NB));
	CHECK(flock(b, LOCK_SH | LOCK_NB));
	CHECK(flock(a, LOCK_UN));
	CHECK(flock(b, LOCK_SH | LOCK_NB));
	CHECK(flock(a, LOCK_SH | LOCK_NB));
	CHECK(flock(a, 12345));
	CHECK(flock(999, LOCK_EX));

	/* A POSIX lock held by the parent blocks a child's F_SETLK. */
	struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 2};
	CHECK(fcntl(a, F_SETLK, &lk));
	pid_t pid = fork();
	if (pid == 0) {
		int c = open("f", O_RDWR);
		struct flock mine = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 1};
		CHECK(fcntl(c, F_SETLK, &mine));
		mine.l_start = 2;
		CHECK(fcntl(c, F_SETLK, &mine));
		struct flock probe = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 1};
		CHECK(fcntl(c, F_GETLK, &probe));
		printf("conflict type is F_WRLCK: %s, owner is parent: %s\n",
		       probe.l_type == F_WRLCK ? "yes" : "no",
		       probe.l_pid == getppid() ? "yes" : "no");
		_exit(0);
	}
	wait_and_print(pid, "child");
	lk.l_type = F_UNLCK;
	CHECK(fcntl(a, F_SETLK, &lk));
	lk.l_type = 99;
	CHECK(fcntl(a, F_SETLK, &lk));
	return 0;
}
