/* Signal forwarding from the supervisor to the sentry. */
#ifndef MOAT_SUPERVISOR_SIGNALS_H
#define MOAT_SUPERVISOR_SIGNALS_H

#include "supervisor/launch.h"

/* Block the forwarded signals and SIGCHLD, so that none is lost or acts
 * on the supervisor before signals_wait() handles it. Call before
 * starting the children. */
int signals_block(void);

/* In a new child before execve(): unblock every signal. */
void signals_reset_child(void);

/* Forward signals to the sentry until it exits, then kill and reap the
 * gofer. Returns moat's exit status: the sentry's exit status, or
 * 128 + N when the sentry was killed by signal N. */
int signals_wait(struct sandbox *sb);

#endif
