/* Command lines and environments of the sentry and the gofer. The syntax
 * they produce is defined in src/sentry/config.c (sentry) and the gofer's
 * option parser. */
#ifndef MOAT_SUPERVISOR_ARGS_H
#define MOAT_SUPERVISOR_ARGS_H

#include "supervisor/cli.h"

/* FDs the supervisor passes to its children; -1 when absent. */
struct child_fds {
	int gofer_sock;	 /* the gofer's end of the socketpair */
	int sentry_sock; /* the sentry's end */
	int log;	 /* --debug-log */
	int strace;	 /* --strace output */
	int exec;	 /* memfd from create_exec_memfd() */
};

/* Return the guest environment: base (the caller's environment) with
 * each NAME=VALUE of overrides replacing the first entry of the same NAME
 * in place, or appended in order when NAME is new. */
char **build_guest_env(char *const *base, char *const *overrides, int n);

/* moat __gofer --sock-fd N [--log-fd N] --mount HOSTPATH:ro|rw ...
 * Mount 0 is the rootfs (read-only), then one per --volume in order. */
char **build_gofer_argv(const struct cli_options *opts,
			const struct child_fds *fds);

/* moat __sentry --gofer-fd N [--log-fd N] [--strace-fd N] --cwd DIR
 *     --exec-fd N --mount /:0:overlay [--mount GUEST:INDEX:ro|rw ...]
 *     [--test-hook NAME]
 * The command and the environment go in the exec memfd instead. */
char **build_sentry_argv(const struct cli_options *opts,
			 const struct child_fds *fds, const char *cwd);

/* Encode command and env in the sentry's exec file format
 * (src/sentry/config.h) into *out (malloc'd). Fails with -E2BIG and a
 * message in err when a limit of that format is exceeded. */
int encode_exec_config(char *const *command, char *const *env, char **out,
		       size_t *outlen, char *err, size_t errlen);

/* Return a sealed close-on-exec memfd holding encode_exec_config()'s
 * output, or a negative errno with a message in err. */
int create_exec_memfd(char *const *command, char *const *env, char *err,
		      size_t errlen);

/* Return the host environment of the sentry and the gofer: empty, so no
 * host variable (LD_PRELOAD...) reaches them, except ASAN_OPTIONS with
 * detect_leaks=0 in AddressSanitizer builds. */
char **build_child_env(void);

#endif
