/* The sentry's command line, written by the supervisor
 * (src/supervisor/args.c) and never by a user:
 *
 *   moat __sentry --gofer-fd N [--log-fd N] [--strace-fd N] --cwd DIR
 *       [--env NAME=VALUE ...] --mount GUEST:INDEX:MODE ...
 *       [--test-hook NAME] -- CMD [ARGS...]
 *
 * --gofer-fd N     connected AF_UNIX SOCK_SEQPACKET socket to the gofer
 * --log-fd N       debug log (--debug-log); absent: warnings to stderr
 * --strace-fd N    write a line per guest syscall there; absent: no trace
 * --cwd DIR        absolute initial working directory of the guest
 * --env NAME=VALUE one guest environment entry; all of them, in order,
 *                  are the complete guest environment (none: empty)
 * --mount GUEST:INDEX:MODE
 *                  mount gofer mount INDEX at absolute path GUEST. MODE is
 *                  "overlay" (read-only gofer mount under an in-memory
 *                  writable layer), "ro" or "rw". The first --mount must
 *                  be "/:0:overlay". GUEST may contain ':' because it is
 *                  split at the last two.
 * --test-hook NAME test-only misbehaviour (see confine.c)
 * -- CMD ARGS      the guest command, required
 */
#include "sentry/config.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#define CONFIG_ERROR(...)                                                      \
	do {                                                                   \
		fprintf(stderr, "moat-sentry: " __VA_ARGS__);                  \
		fputc('\n', stderr);                                           \
	} while (0)

static int parse_fd(const char *option, const char *value, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(value, &end, 10);
	if (errno || end == value || *end || n < 0 || n > INT_MAX) {
		CONFIG_ERROR("invalid %s '%s': expected an FD number", option,
			     value);
		return -EINVAL;
	}
	if (fcntl((int)n, F_GETFD) < 0) {
		CONFIG_ERROR("invalid %s %ld: the FD is not open", option, n);
		return -EBADF;
	}
	*out = (int)n;
	return 0;
}

static int parse_mount(const char *value, struct sentry_mount *m)
{
	_cleanup_free_ char *copy = xstrdup(value);
	char *mode = strrchr(copy, ':');
	char *index, *end;
	long n;

	if (!mode)
		goto invalid;
	*mode++ = '\0';
	index = strrchr(copy, ':');
	if (!index)
		goto invalid;
	*index++ = '\0';

	errno = 0;
	n = strtol(index, &end, 10);
	if (errno || end == index || *end || n < 0 || n > INT_MAX)
		goto invalid;
	if (copy[0] != '/')
		goto invalid;

	m->readonly = false;
	m->overlay = false;
	if (strcmp(mode, "overlay") == 0)
		m->overlay = true;
	else if (strcmp(mode, "ro") == 0)
		m->readonly = true;
	else if (strcmp(mode, "rw") != 0)
		goto invalid;
	m->gofer_index = (int)n;
	m->guest_path = take_ptr(&copy);
	return 0;

invalid:
	CONFIG_ERROR("invalid --mount '%s': expected "
		     "GUEST:INDEX:overlay|ro|rw with an absolute GUEST",
		     value);
	return -EINVAL;
}

static void push_env(struct sentry_config *cfg, int *nenv, char *entry)
{
	cfg->envp = xrealloc(cfg->envp, (*nenv + 2) * sizeof(*cfg->envp));
	cfg->envp[(*nenv)++] = entry;
	cfg->envp[*nenv] = NULL;
}

static int push_mount(struct sentry_config *cfg, const char *value)
{
	struct sentry_mount m;
	int r = parse_mount(value, &m);

	if (r < 0)
		return r;
	cfg->mounts =
	    xrealloc(cfg->mounts, (cfg->nmounts + 1) * sizeof(*cfg->mounts));
	cfg->mounts[cfg->nmounts++] = m;
	return 0;
}

/* Handle option argv[*i] and its value; advances *i past the value. */
static int parse_option(struct sentry_config *cfg, int argc, char **argv,
			int *i, int *nenv)
{
	const char *opt = argv[*i];
	char *value;

	if (*i + 1 >= argc) {
		CONFIG_ERROR("option %s requires a value", opt);
		return -EINVAL;
	}
	value = argv[++*i];

	if (strcmp(opt, "--gofer-fd") == 0)
		return parse_fd(opt, value, &cfg->gofer_fd);
	if (strcmp(opt, "--log-fd") == 0)
		return parse_fd(opt, value, &cfg->log_fd);
	if (strcmp(opt, "--strace-fd") == 0)
		return parse_fd(opt, value, &cfg->strace_fd);
	if (strcmp(opt, "--cwd") == 0) {
		cfg->cwd = value;
		return 0;
	}
	if (strcmp(opt, "--env") == 0) {
		if (!strchr(value, '=') || value[0] == '=') {
			CONFIG_ERROR("invalid --env '%s': expected NAME=VALUE",
				     value);
			return -EINVAL;
		}
		push_env(cfg, nenv, value);
		return 0;
	}
	if (strcmp(opt, "--mount") == 0)
		return push_mount(cfg, value);
	if (strcmp(opt, "--test-hook") == 0) {
		cfg->test_hook = value;
		return 0;
	}
	CONFIG_ERROR("unknown option '%s'", opt);
	return -EINVAL;
}

static int check_config(const struct sentry_config *cfg)
{
	const struct sentry_mount *root = cfg->mounts;

	if (cfg->gofer_fd < 0) {
		CONFIG_ERROR("missing --gofer-fd");
		return -EINVAL;
	}
	if (!cfg->cwd || cfg->cwd[0] != '/') {
		CONFIG_ERROR("missing or relative --cwd '%s': expected an "
			     "absolute guest path",
			     cfg->cwd ? cfg->cwd : "");
		return -EINVAL;
	}
	if (cfg->nmounts == 0 || strcmp(root->guest_path, "/") != 0 ||
	    root->gofer_index != 0 || !root->overlay) {
		CONFIG_ERROR("the first --mount must be '/:0:overlay'");
		return -EINVAL;
	}
	if (!cfg->argv || !cfg->argv[0]) {
		CONFIG_ERROR("missing command after --");
		return -EINVAL;
	}
	return 0;
}

int sentry_config_parse(struct sentry_config *cfg, int argc, char **argv)
{
	int nenv = 0;
	int i;
	int r;

	memset(cfg, 0, sizeof(*cfg));
	cfg->gofer_fd = -1;
	cfg->log_fd = -1;
	cfg->strace_fd = -1;
	cfg->envp = xcalloc(1, sizeof(*cfg->envp));

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			cfg->argv = argv + i + 1;
			break;
		}
		r = parse_option(cfg, argc, argv, &i, &nenv);
		if (r < 0)
			goto out_free;
	}
	r = check_config(cfg);
	if (r < 0)
		goto out_free;
	return 0;

out_free:
	sentry_config_free(cfg);
	return r;
}

void sentry_config_free(struct sentry_config *cfg)
{
	for (int i = 0; i < cfg->nmounts; i++)
		free(cfg->mounts[i].guest_path);
	free(cfg->mounts);
	free(cfg->envp);
	memset(cfg, 0, sizeof(*cfg));
	cfg->gofer_fd = -1;
	cfg->log_fd = -1;
	cfg->strace_fd = -1;
}
