/* Reading guest clocks, shared by clock_gettime and the sleeps. */
#ifndef MOAT_SENTRY_SYS_MISC_CLOCK_H
#define MOAT_SENTRY_SYS_MISC_CLOCK_H

#include <stdint.h>
#include <time.h>

struct task;

/* Read clock for the task t, in nanoseconds. Returns 0, or the errno
 * Linux gives for a rejected clock ID (-EINVAL in most cases). */
int clock_read(struct task *t, clockid_t clock, int64_t *ns);

#endif
