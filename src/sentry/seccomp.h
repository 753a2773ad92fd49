/* The sentry's seccomp filter: an allowlist of the host system calls the
 * sentry and its stub processes make. Any other system call kills the
 * whole calling process with SIGSYS. The table and the reason for each
 * entry are in seccomp.c. */
#ifndef MOAT_SENTRY_SECCOMP_H
#define MOAT_SENTRY_SECCOMP_H

#include <seccomp.h>

/* Build the filter into a new libseccomp context in *out, which the
 * caller releases with seccomp_release(). Returns 0 or a negative errno;
 * the failing syscall rule is logged. */
int sentry_seccomp_build(scmp_filter_ctx *out);

/* Build the filter and load it into the calling process. The process
 * must already have no_new_privs set (see sentry_confine()) and must not
 * have other threads yet, since the filter applies only to the calling
 * thread and the threads and processes it creates later. */
int sentry_seccomp_install(void);

#endif
