/* fork(2), wait4(2) and waitpid(2). */
// build: -static
#include "check.h"
#include <sys/resource.h>

int main(void)
{
	int status;
	pid_t pid, a, b;

	pid = fork();
	if (pid == 0)
		_exit(7);
	CHECK(waitpid(pid, &status, 0) == pid);
	print_status("exit 7", status);

	pid = fork();
	if (pid == 0) {
		raise(SIGKILL);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	print_status("SIGKILL", status);
	SAY("WIFSIGNALED = %d WTERMSIG = %d\n", WIFSIGNALED(status),
	    WTERMSIG(status));

	CHECK(waitpid(-1, &status, 0));
	CHECK(waitpid(-1, &status, WNOHANG));
	CHECK(wait(&status));

	/* WNOHANG returns 0 while the child runs. */
	int p[2];
	pipe(p);
	pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		read(p[0], &c, 1);
		_exit(3);
	}
	close(p[0]);
	CHECK(waitpid(pid, &status, WNOHANG));
	close(p[1]);
	CHECK(waitpid(pid, &status, 0) == pid);
	print_status("after WNOHANG", status);

	/* Waiting for a specific child among several. */
	a = fork();
	if (a == 0)
		_exit(1);
	b = fork();
	if (b == 0)
		_exit(2);
	CHECK(waitpid(b, &status, 0) == b);
	print_status("b", status);
	struct rusage ru;
	CHECK(wait4(a, &status, 0, &ru) == a);
	print_status("a", status);
	CHECK(waitpid(a, &status, 0));
	CHECK(waitpid(pid, &status, 0x40000000));

	/* waitid with P_PID. */
	pid = fork();
	if (pid == 0)
		_exit(9);
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	CHECK(waitid(P_PID, pid, &info, WEXITED));
	SAY("waitid: code is CLD_EXITED: %s status=%d pid matches: %s\n",
	    info.si_code == CLD_EXITED ? "yes" : "no", info.si_status,
	    info.si_pid == pid ? "yes" : "no");

	/* A grandchild is not ours to wait for. */
	pid = fork();
	if (pid == 0) {
		pid_t g = fork();
		if (g == 0)
			_exit(4);
		int st;
		waitpid(g, &st, 0);
		_exit(WEXITSTATUS(st) + 10);
	}
	wait_and_print(pid, "grandparent");

	/* Many children. */
	for (int i = 0; i < 20; i++) {
		if (fork() == 0)
			_exit(i);
	}
	int sum = 0;
	while (wait(&status) > 0)
		sum += WEXITSTATUS(status);
	SAY("sum of 20 exit codes = %d, then errno=%s\n", sum,
	    errno_name(errno));
	return 0;
}
