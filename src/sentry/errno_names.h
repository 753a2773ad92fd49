/* Symbolic names and descriptions of errno values, for strace and logs.
 * Both functions are thread-safe and return static strings. */
#ifndef MOAT_SENTRY_ERRNO_NAMES_H
#define MOAT_SENTRY_ERRNO_NAMES_H

/* The symbol of errno e ("ENOENT"), including the kernel-internal
 * restart codes of syscall.h ("ERESTARTSYS"); NULL if e has none. */
const char *errno_name(int e);
/* The description strace prints after the name ("No such file or
 * directory"); NULL if e has none. */
const char *errno_description(int e);

#endif
