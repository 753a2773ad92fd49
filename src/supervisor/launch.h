/* Start of the gofer and the sentry. */
#ifndef MOAT_SUPERVISOR_LAUNCH_H
#define MOAT_SUPERVISOR_LAUNCH_H

#include "supervisor/cli.h"

#include <sys/types.h>

struct sandbox {
	pid_t gofer_pid;  /* -1 once reaped */
	pid_t sentry_pid; /* -1 once reaped */
};

/* Start the gofer, then the sentry, by re-executing /proc/self/exe.
 * log_fd and strace_fd are -1 when absent. On failure nothing is left
 * running, err contains the reason and a negative errno is returned. */
int sandbox_start(const struct cli_options *opts, int log_fd, int strace_fd,
		  struct sandbox *sb, char *err, size_t errlen);

#endif
