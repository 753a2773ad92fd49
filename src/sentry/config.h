/* What the supervisor tells the sentry at start: options on the sentry's
 * command line, and the guest's command and environment in a memfd whose
 * FD is one of those options (see config.c for both formats). */
#ifndef MOAT_SENTRY_CONFIG_H
#define MOAT_SENTRY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The exec file (--exec-fd) holds, in host byte order:
 *
 *   uint32_t magic (SENTRY_EXEC_MAGIC)
 *   uint32_t argc, envc
 *   argc + envc strings, each a uint32_t length and that many bytes
 *   without a terminating NUL, argv first
 *
 * The supervisor writes it (src/supervisor/args.c). */
#define SENTRY_EXEC_MAGIC 0x3158454du /* "MEX1" read as little-endian */
/* Max size of the whole exec file. Linux allows argv plus envp up to
 * 3/4 of _STK_LIM, 6 MiB (bprm_stack_limits in fs/exec.c). The
 * supervisor may add --env values of that size again, and this leaves
 * room for both. */
#define SENTRY_EXEC_MAX_SIZE (32u << 20)
/* Max length of one string, without its NUL: Linux's MAX_ARG_STRLEN
 * (32 pages of 4 KiB) minus the NUL. */
#define SENTRY_EXEC_MAX_STRLEN (32u * 4096 - 1)

struct sentry_mount {
	char *guest_path; /* absolute path inside the sandbox */
	int gofer_index;  /* index of the gofer mount that backs it */
	bool readonly;	  /* writes fail with EROFS */
	bool overlay;	  /* in-memory writable overlay over a read-only
			   * gofer mount (the root file system) */
};

struct sentry_config {
	int gofer_fd;	    /* unix socket to the gofer */
	int log_fd;	    /* --debug-log, or -1 */
	int strace_fd;	    /* --strace output, or -1 when tracing is off */
	char *cwd;	    /* initial working directory inside the sandbox */
	char **argv;	    /* NULL-terminated command and arguments */
	char **envp;	    /* NULL-terminated environment */
	char *exec_strings; /* storage of the argv and envp strings */
	struct sentry_mount *mounts; /* mounts[0] is "/" */
	int nmounts;
	const char *test_hook; /* test-only misbehaviour, or NULL */
};

/* Parse the sentry's command line, then read and close the exec file
 * named by --exec-fd. On error print a message and return a negative
 * errno. argv[0] is the role name ("__sentry") and is skipped. cwd and
 * test_hook point into argv; the rest is allocated. */
int sentry_config_parse(struct sentry_config *cfg, int argc, char **argv);

/* Decode an exec file's content into cfg->argv, cfg->envp and
 * cfg->exec_strings, checking every count and length against len. On
 * error print a message and return -EINVAL; cfg is then unchanged. */
int sentry_config_decode_exec(struct sentry_config *cfg, const void *data,
			      size_t len);

/* Free what sentry_config_parse() allocated. */
void sentry_config_free(struct sentry_config *cfg);

#endif
