#include "supervisor/namespaces.h"
#include "common/log.h"
#include "common/util.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int write_proc_file(const char *path, const char *text)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return neg_errno();
	return write_all(fd, text, strlen(text));
}

int userns_enter_if_needed(char *err, size_t errlen)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];
	int r;

	if (uid == 0)
		return 0;
	if (unshare(CLONE_NEWUSER) < 0) {
		int e = errno;
		snprintf(err, errlen,
			 "not root and user namespaces are unavailable "
			 "(unshare(CLONE_NEWUSER): %s): run as root or enable "
			 "kernel.unprivileged_userns_clone",
			 strerror(e));
		return -e;
	}

	/* An unprivileged process may write gid_map only after denying
	 * setgroups(2) (user_namespaces(7)). */
	r = write_proc_file("/proc/self/setgroups", "deny");
	if (r == 0) {
		snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
		r = write_proc_file("/proc/self/uid_map", map);
	}
	if (r == 0) {
		snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
		r = write_proc_file("/proc/self/gid_map", map);
	}
	if (r < 0) {
		snprintf(err, errlen,
			 "cannot map uid %u and gid %u to root in the new "
			 "user namespace: %s",
			 (unsigned)uid, (unsigned)gid, strerror(-r));
		return r;
	}
	log_info("entered a user namespace as uid %u gid %u", (unsigned)uid,
		 (unsigned)gid);
	return 0;
}

pid_t clone_process(unsigned long flags)
{
	/* The raw system call: with a NULL stack the child continues on a
	 * copy of the parent's stack, like fork(), which glibc's clone()
	 * wrapper does not allow. */
	long pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);

	if (pid < 0)
		return neg_errno();
	return pid;
}
