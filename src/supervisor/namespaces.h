/* Namespaces of the sandbox processes. */
#ifndef MOAT_SUPERVISOR_NAMESPACES_H
#define MOAT_SUPERVISOR_NAMESPACES_H

#include <stddef.h>
#include <sys/types.h>

/* Namespaces of the sentry: it is PID 1 of a new PID namespace, has no
 * network and gets its own mount, IPC and UTS namespaces. */
#define SENTRY_CLONE_FLAGS                                                     \
	(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS |            \
	 CLONE_NEWNET)
/* The gofer sets up the contents of its own mount namespace. */
#define GOFER_CLONE_FLAGS (CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC)

/* When not running as root, move the calling (single-threaded) process
 * into a new user namespace where the caller's uid and gid map to 0, so
 * it may create the other namespaces. Does nothing as root. */
int userns_enter_if_needed(char *err, size_t errlen);

/* Fork with extra CLONE_NEW* flags, like fork(): returns the child's PID
 * in the parent, 0 in the child, or a negative errno. The child shares
 * glibc's cached thread state with the parent, so it must only make
 * plain system calls and then execve() or _exit(). */
pid_t clone_process(unsigned long flags);

#endif
