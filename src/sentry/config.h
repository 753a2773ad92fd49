/* What the supervisor tells the sentry at start, passed as the sentry's
 * command line (see config.c for the syntax). */
#ifndef MOAT_SENTRY_CONFIG_H
#define MOAT_SENTRY_CONFIG_H

#include <stdbool.h>

struct sentry_mount {
	char *guest_path; /* absolute path inside the sandbox */
	int gofer_index;  /* index of the gofer mount that backs it */
	bool readonly;	  /* writes fail with EROFS */
	bool overlay;	  /* in-memory writable overlay over a read-only
			   * gofer mount (the root file system) */
};

struct sentry_config {
	int gofer_fd;  /* unix socket to the gofer */
	int log_fd;    /* --debug-log, or -1 */
	int strace_fd; /* --strace output, or -1 when tracing is off */
	char *cwd;     /* initial working directory inside the sandbox */
	char **argv;   /* NULL-terminated command and arguments */
	char **envp;   /* NULL-terminated environment */
	struct sentry_mount *mounts; /* mounts[0] is "/" */
	int nmounts;
	const char *test_hook; /* test-only misbehaviour, or NULL */
};

/* Parse the sentry's command line; on error print a message and return a
 * negative errno. argv[0] is the role name ("__sentry") and is skipped.
 * Strings in cfg point into argv, except guest_path, which is allocated. */
int sentry_config_parse(struct sentry_config *cfg, int argc, char **argv);
/* Free what sentry_config_parse() allocated. */
void sentry_config_free(struct sentry_config *cfg);

#endif
