/* The supervisor's command line:
 *
 *   moat run [OPTIONS] -- CMD [ARGS...]
 *   moat --help | moat run --help | moat --version
 *
 * The parsers below never print: they fill err with a one-line message
 * (without the "moat: " prefix) that names the bad value and what to do,
 * and return a negative errno.
 */
#ifndef MOAT_SUPERVISOR_CLI_H
#define MOAT_SUPERVISOR_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define MOAT_VERSION "0.1.0"
/* The gofer serves at most 64 mounts (GOFER_MAX_MOUNTS in
 * src/gofer/main.c), and mount 0 is the rootfs. */
#define MAX_VOLUMES 63
/* Exit status for moat's own errors, as runc and podman use. */
#define MOAT_EXIT_ERROR 125

/* One --volume HOST:GUEST[:ro|:rw]. */
struct volume {
	char *host;  /* canonical absolute host path (from realpath) */
	char *guest; /* normalized absolute path inside the sandbox */
	bool readonly;
};

enum cli_action {
	CLI_RUN,
	CLI_HELP,     /* moat --help */
	CLI_RUN_HELP, /* moat run --help */
	CLI_VERSION,
};

struct cli_options {
	enum cli_action action;
	char *rootfs; /* canonical host path of the root file system */
	struct volume *volumes;
	int nvolumes;
	char *cwd;  /* --cwd, or NULL for the caller's working directory */
	char **env; /* --env NAME=VALUE values in order (point into argv) */
	int nenv;
	bool strace;		/* --strace or --strace-log */
	const char *strace_log; /* --strace-log FILE, or NULL for stderr */
	const char *debug_log;	/* --debug-log FILE, or NULL */
	const char *test_hook;	/* hidden --test-hook NAME, or NULL */
	char **command;		/* NULL-terminated, points into argv */
};

/* Parse HOST:GUEST[:ro|:rw]. HOST must exist and be a directory or a
 * regular file; GUEST must be absolute, is normalized ("//" and a trailing
 * "/" removed) and may contain no "." or ".." component. */
int parse_volume(const char *spec, struct volume *out, char *err,
		 size_t errlen);
void volume_free(struct volume *v);

/* Check that spec is NAME=VALUE with a non-empty NAME. */
int parse_env_assignment(const char *spec, char *err, size_t errlen);

/* Resolve the --rootfs value, which must be an existing directory, into a
 * canonical path in *out (malloc'd). */
int parse_rootfs(const char *path, char **out, char *err, size_t errlen);

/* Parse the whole command line (argv[0] is the program name). On success
 * opts is filled and must be released with cli_options_free(). */
int cli_parse(int argc, char **argv, struct cli_options *opts, char *err,
	      size_t errlen);
void cli_options_free(struct cli_options *opts);

void cli_print_help(FILE *out);
void cli_print_run_help(FILE *out);

#define MOAT_USAGE "moat run [OPTIONS] -- CMD [ARGS...]"

#endif
