/* Process groups and sessions: getpgrp/setpgid/setsid/getsid. */
#include "check.h"

int main(void)
{
	int p[2];

	EXPECT(getpgrp() == getpgid(0));
	/*
	 * getsid(0) is 0 when the session leader lives outside our PID
	 * namespace (as under some CI runners), so only its agreement with
	 * getsid(getpid()) is portable.
	 */
	EXPECT(getsid(0) >= 0);
	EXPECT(getsid(0) == getsid(getpid()));
	CHECK(getpgid(999999999));
	CHECK(getsid(999999999));

	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		/* A new child is in its parent's group and session. */
		EXPECT(getpgrp() == getpgid(getppid()));
		CHECK(setpgid(0, 0));
		EXPECT(getpgrp() == getpid());
		/* A group leader cannot start a session. */
		CHECK(setsid());
		pid_t g = fork();
		if (g == 0) {
			pid_t sid = CHECK(setsid() == getpid());
			(void)sid;
			EXPECT(getsid(0) == getpid());
			EXPECT(getpgrp() == getpid());
			CHECK(setpgid(0, getppid()));
			_exit(0);
		}
		wait_and_print(g, "session leader");
		_exit(0);
	}
	wait_and_print(pid, "group leader");

	/* The parent can move its child into a new group before exec. */
	pid = fork();
	if (pid == 0) {
		char c;
		read(p[0], &c, 1);
		EXPECT(getpgrp() == getpid());
		_exit(0);
	}
	CHECK(setpgid(pid, pid));
	EXPECT(getpgid(pid) == pid);
	CHECK(setpgid(pid, -1));
	/* Signalling a process group reaches its members. */
	CHECK(kill(-pid, 0));
	write(p[1], "x", 1);
	wait_and_print(pid, "moved child");
	CHECK(setpgid(pid, pid));
	CHECK(kill(-999999999, 0));
	return 0;
}
