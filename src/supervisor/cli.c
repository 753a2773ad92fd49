/* Parsing of the supervisor's command line (syntax in cli.h). */
#include "supervisor/cli.h"
#include "common/util.h"

#include <errno.h>
#include <string.h>

enum option_id {
	OPT_ROOTFS,
	OPT_VOLUME,
	OPT_CWD,
	OPT_ENV,
	OPT_STRACE,
	OPT_STRACE_LOG,
	OPT_DEBUG_LOG,
	OPT_TEST_HOOK,
	OPT_HELP,
};

struct option_spec {
	const char *name;
	enum option_id id;
	bool has_value;
};

static const struct option_spec run_options[] = {
    {"--rootfs", OPT_ROOTFS, true},
    {"--volume", OPT_VOLUME, true},
    {"--cwd", OPT_CWD, true},
    {"--env", OPT_ENV, true},
    {"--strace", OPT_STRACE, false},
    {"--strace-log", OPT_STRACE_LOG, true},
    {"--debug-log", OPT_DEBUG_LOG, true},
    {"--test-hook", OPT_TEST_HOOK, true},
    {"--help", OPT_HELP, false},
    {"-h", OPT_HELP, false},
};

#define SEE_HELP "run 'moat run --help' for the list of options"

#define EXIT_STATUS_HELP                                                       \
	"Exit status:\n"                                                       \
	"  N         the guest's first process exited with status N\n"         \
	"  128+N     the guest's first process was killed by signal N\n"       \
	"  125       moat itself failed: an invalid option or a setup error\n" \
	"  126       CMD was found but could not be executed\n"                \
	"  127       CMD was not found\n"

void cli_print_help(FILE *out)
{
	fprintf(out,
		"Usage: " MOAT_USAGE "\n"
		"       moat --help | moat --version\n"
		"\n"
		"Moat runs an unmodified Linux x86-64 program in a sandbox: a\n"
		"user-space kernel implements its system calls.\n"
		"\n"
		"Commands:\n"
		"  run       run CMD in a new sandbox ('moat run --help')\n"
		"\n" EXIT_STATUS_HELP);
}

void cli_print_run_help(FILE *out)
{
	fprintf(
	    out,
	    "Usage: " MOAT_USAGE "\n"
	    "\n"
	    "Run CMD in a new sandbox. The sandbox inherits the caller's\n"
	    "environment and working directory unless told otherwise.\n"
	    "\n"
	    "Options:\n"
	    "  --rootfs DIR           host directory used as the guest's\n"
	    "                         root file system, read-only with an\n"
	    "                         in-memory writable layer (default: /)\n"
	    "  --volume HOST:GUEST[:ro|:rw]\n"
	    "                         make host directory or regular file\n"
	    "                         HOST visible at absolute guest path\n"
	    "                         GUEST; ':rw' (the default) lets the\n"
	    "                         guest change it, ':ro' makes writes\n"
	    "                         fail with EROFS (repeatable)\n"
	    "  --cwd DIR              guest working directory\n"
	    "                         (default: the caller's)\n"
	    "  --env NAME=VALUE       set NAME in the guest environment\n"
	    "                         (repeatable)\n"
	    "  --strace               print every guest system call to\n"
	    "                         stderr\n"
	    "  --strace-log FILE      append the --strace output to FILE\n"
	    "                         instead (implies --strace)\n"
	    "  --debug-log FILE       append debug logs of all moat\n"
	    "                         processes to FILE\n"
	    "  -h, --help             show this help\n"
	    "\n" EXIT_STATUS_HELP);
}

int parse_env_assignment(const char *spec, char *err, size_t errlen)
{
	const char *eq = strchr(spec, '=');

	if (!eq) {
		snprintf(err, errlen, "invalid --env '%s': expected NAME=VALUE",
			 spec);
		return -EINVAL;
	}
	if (eq == spec) {
		snprintf(err, errlen,
			 "invalid --env '%s': the variable name is empty",
			 spec);
		return -EINVAL;
	}
	return 0;
}

static const struct option_spec *find_option(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(run_options); i++) {
		if (strlen(run_options[i].name) == len &&
		    strncmp(run_options[i].name, name, len) == 0)
			return &run_options[i];
	}
	return NULL;
}

static int set_once(const char **slot, const char *value, const char *name,
		    char *err, size_t errlen)
{
	if (*slot) {
		snprintf(err, errlen, "option %s given more than once", name);
		return -EINVAL;
	}
	*slot = value;
	return 0;
}

static int add_volume(struct cli_options *opts, const char *spec, char *err,
		      size_t errlen)
{
	struct volume v = {0};
	int r;

	if (opts->nvolumes >= MAX_VOLUMES) {
		snprintf(err, errlen,
			 "too many --volume options (max %d, because the gofer "
			 "serves at most %d mounts including the rootfs)",
			 MAX_VOLUMES, MAX_VOLUMES + 1);
		return -E2BIG;
	}
	r = parse_volume(spec, &v, err, errlen);
	if (r < 0)
		return r;
	for (int i = 0; i < opts->nvolumes; i++) {
		if (strcmp(opts->volumes[i].guest, v.guest) == 0) {
			snprintf(err, errlen,
				 "invalid --volume '%s': guest path '%s' is "
				 "already used by another --volume",
				 spec, v.guest);
			volume_free(&v);
			return -EINVAL;
		}
	}
	opts->volumes = xrealloc(opts->volumes,
				 (opts->nvolumes + 1) * sizeof(*opts->volumes));
	opts->volumes[opts->nvolumes++] = v;
	return 0;
}

static int apply_option(struct cli_options *opts,
			const struct option_spec *spec, const char *value,
			const char **rootfs, char *err, size_t errlen)
{
	const char *cwd = opts->cwd;
	int r;

	switch (spec->id) {
	case OPT_ROOTFS:
		return set_once(rootfs, value, spec->name, err, errlen);
	case OPT_VOLUME:
		return add_volume(opts, value, err, errlen);
	case OPT_CWD:
		if (value[0] != '/') {
			snprintf(err, errlen,
				 "invalid --cwd '%s': must be an absolute "
				 "path inside the sandbox",
				 value);
			return -EINVAL;
		}
		r = set_once(&cwd, value, spec->name, err, errlen);
		if (r == 0)
			opts->cwd = xstrdup(value);
		return r;
	case OPT_ENV:
		r = parse_env_assignment(value, err, errlen);
		if (r < 0)
			return r;
		opts->env =
		    xrealloc(opts->env, (opts->nenv + 1) * sizeof(*opts->env));
		opts->env[opts->nenv++] = (char *)value;
		return 0;
	case OPT_STRACE:
		opts->strace = true;
		return 0;
	case OPT_STRACE_LOG:
		opts->strace = true;
		return set_once(&opts->strace_log, value, spec->name, err,
				errlen);
	case OPT_DEBUG_LOG:
		return set_once(&opts->debug_log, value, spec->name, err,
				errlen);
	case OPT_TEST_HOOK:
		return set_once(&opts->test_hook, value, spec->name, err,
				errlen);
	case OPT_HELP:
		opts->action = CLI_RUN_HELP;
		return 0;
	}
	return -EINVAL;
}

/* Parse the options of "moat run" from argv[i] on, then the command. */
static int parse_run(int argc, char **argv, int i, struct cli_options *opts,
		     char *err, size_t errlen)
{
	const char *rootfs = NULL;
	int r;

	for (; i < argc; i++) {
		const char *arg = argv[i];
		const struct option_spec *spec;
		const char *value = NULL;
		size_t namelen;

		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		/* The first argument that is not an option starts the
		 * command, as in "moat run ls -l". */
		if (arg[0] != '-' || arg[1] == '\0')
			break;

		namelen = strcspn(arg, "=");
		spec = find_option(arg, namelen);
		if (!spec) {
			snprintf(err, errlen,
				 "unknown option '%.*s'; " SEE_HELP,
				 (int)namelen, arg);
			return -EINVAL;
		}
		if (arg[namelen] == '=') {
			value = arg + namelen + 1;
			if (!spec->has_value) {
				snprintf(err, errlen,
					 "option %s does not take a value "
					 "(got '%s')",
					 spec->name, arg);
				return -EINVAL;
			}
		} else if (spec->has_value) {
			if (i + 1 >= argc) {
				snprintf(
				    err, errlen,
				    "option %s requires a value; " SEE_HELP,
				    spec->name);
				return -EINVAL;
			}
			value = argv[++i];
		}
		r = apply_option(opts, spec, value, &rootfs, err, errlen);
		if (r < 0)
			return r;
		if (opts->action == CLI_RUN_HELP)
			return 0;
	}

	if (i >= argc) {
		snprintf(err, errlen,
			 "missing command%s; usage: " MOAT_USAGE
			 " (see 'moat run --help')",
			 strcmp(argv[argc - 1], "--") == 0 ? " after --" : "");
		return -EINVAL;
	}
	opts->command = argv + i;
	return parse_rootfs(rootfs ? rootfs : "/", &opts->rootfs, err, errlen);
}

int cli_parse(int argc, char **argv, struct cli_options *opts, char *err,
	      size_t errlen)
{
	const char *cmd;
	int r;

	memset(opts, 0, sizeof(*opts));
	if (argc < 2) {
		snprintf(err, errlen,
			 "missing command; usage: " MOAT_USAGE
			 " (see 'moat --help')");
		return -EINVAL;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		opts->action = CLI_HELP;
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		opts->action = CLI_VERSION;
		return 0;
	}
	if (strcmp(cmd, "run") != 0) {
		snprintf(err, errlen,
			 "unknown command '%s'; usage: " MOAT_USAGE
			 " (see 'moat --help')",
			 cmd);
		return -EINVAL;
	}
	opts->action = CLI_RUN;
	r = parse_run(argc, argv, 2, opts, err, errlen);
	if (r < 0)
		cli_options_free(opts);
	return r;
}

void cli_options_free(struct cli_options *opts)
{
	for (int i = 0; i < opts->nvolumes; i++)
		volume_free(&opts->volumes[i]);
	free(opts->volumes);
	free(opts->env);
	free(opts->cwd);
	free(opts->rootfs);
	memset(opts, 0, sizeof(*opts));
}
