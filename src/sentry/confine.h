/* The sentry's self-confinement. */
#ifndef MOAT_SENTRY_CONFINE_H
#define MOAT_SENTRY_CONFINE_H

#include "sentry/config.h"

/* Confine the calling sentry process, in this order:
 *  1. replace its root with an empty read-only tmpfs (pivot_root) and
 *     detach the host's mounts, so no host path resolves any more;
 *  2. drop every capability (effective, permitted, inheritable, bounding
 *     and ambient) and lock the securebits so none comes back;
 *  3. set no_new_privs and load the seccomp allowlist (seccomp.c);
 *  4. run cfg->test_hook "sentry-openat" if set: it calls openat(), which
 *     the filter must answer by killing the sentry with SIGSYS.
 *
 * Call it once, after the gofer connection is set up and before any
 * sentry thread exists or any guest code runs: the seccomp filter applies
 * only to the calling thread and to the threads and processes it creates
 * afterwards. Returns 0, or a negative errno after logging what failed.
 */
int sentry_confine(const struct sentry_config *cfg);

#endif
