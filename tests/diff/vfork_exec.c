/* vfork(2) followed by execve(2) or _exit(2). */
#include "check.h"

int main(int argc, char **argv)
{
	if (argc > 1) {
		printf("exec'd child: %s\n", argv[1]);
		return 5;
	}

	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		die("readlink /proc/self/exe");
	self[n] = '\0';

	/* The parent is suspended until the child execs. */
	volatile int shared = 0;
	pid_t pid = vfork();
	if (pid == 0) {
		shared = 42;
		char *args[] = {self, "hello", NULL};
		execv(self, args);
		_exit(127);
	}
	wait_and_print(pid, "vfork+exec");
	SAY("shared after vfork = %d\n", shared);

	pid = vfork();
	if (pid == 0)
		_exit(3);
	wait_and_print(pid, "vfork+_exit");

	pid = vfork();
	if (pid == 0) {
		execl("/nonexistent", "x", NULL);
		_exit(errno == ENOENT ? 11 : 12);
	}
	wait_and_print(pid, "vfork+failed exec");

	/* posix_spawn uses vfork-like clone internally in glibc. */
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "echo from sh; exit 6", NULL);
		_exit(127);
	}
	wait_and_print(pid, "fork+exec sh");
	return 0;
}
