#include "supervisor/args.h"
#include "supervisor/strv.h"
#include "common/util.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define MOAT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MOAT_ASAN 1
#endif
#endif

static size_t env_name_len(const char *assignment)
{
	return strcspn(assignment, "=");
}

char **build_guest_env(char *const *base, char *const *overrides, int n)
{
	struct strv env = {0};
	bool *used = xcalloc(n ? n : 1, sizeof(*used));

	for (; base && *base; base++) {
		const char *entry = *base;
		size_t len = env_name_len(entry);

		for (int i = 0; i < n; i++) {
			if (!used[i] && env_name_len(overrides[i]) == len &&
			    strncmp(overrides[i], entry, len) == 0) {
				entry = overrides[i];
				used[i] = true;
				break;
			}
		}
		strv_push_copy(&env, entry);
	}

	for (int i = 0; i < n; i++) {
		bool seen = false;

		if (used[i])
			continue;
		/* A later --env for a NAME already appended replaces it. */
		for (size_t j = 0; j < env.len; j++) {
			size_t len = env_name_len(overrides[i]);
			if (env_name_len(env.items[j]) == len &&
			    strncmp(env.items[j], overrides[i], len) == 0) {
				free(env.items[j]);
				env.items[j] = xstrdup(overrides[i]);
				seen = true;
				break;
			}
		}
		if (!seen)
			strv_push_copy(&env, overrides[i]);
	}
	free(used);
	return strv_take(&env);
}

char **build_gofer_argv(const struct cli_options *opts,
			const struct child_fds *fds)
{
	struct strv argv = {0};

	strv_push_copy(&argv, "moat");
	strv_push_copy(&argv, "__gofer");
	strv_push_copy(&argv, "--sock-fd");
	strv_pushf(&argv, "%d", fds->gofer_sock);
	if (fds->log >= 0) {
		strv_push_copy(&argv, "--log-fd");
		strv_pushf(&argv, "%d", fds->log);
	}
	strv_push_copy(&argv, "--mount");
	strv_pushf(&argv, "%s:ro", opts->rootfs);
	for (int i = 0; i < opts->nvolumes; i++) {
		const struct volume *v = &opts->volumes[i];

		strv_push_copy(&argv, "--mount");
		strv_pushf(&argv, "%s:%s", v->host, v->readonly ? "ro" : "rw");
	}
	return strv_take(&argv);
}

char **build_sentry_argv(const struct cli_options *opts,
			 const struct child_fds *fds, const char *cwd,
			 char *const *guest_env)
{
	struct strv argv = {0};

	strv_push_copy(&argv, "moat");
	strv_push_copy(&argv, "__sentry");
	strv_push_copy(&argv, "--gofer-fd");
	strv_pushf(&argv, "%d", fds->sentry_sock);
	if (fds->log >= 0) {
		strv_push_copy(&argv, "--log-fd");
		strv_pushf(&argv, "%d", fds->log);
	}
	if (fds->strace >= 0) {
		strv_push_copy(&argv, "--strace-fd");
		strv_pushf(&argv, "%d", fds->strace);
	}
	strv_push_copy(&argv, "--cwd");
	strv_push_copy(&argv, cwd);
	for (char *const *e = guest_env; e && *e; e++) {
		strv_push_copy(&argv, "--env");
		strv_push_copy(&argv, *e);
	}
	strv_push_copy(&argv, "--mount");
	strv_push_copy(&argv, "/:0:overlay");
	for (int i = 0; i < opts->nvolumes; i++) {
		const struct volume *v = &opts->volumes[i];

		/* Gofer mount i + 1 backs volume i (0 is the rootfs). */
		strv_push_copy(&argv, "--mount");
		strv_pushf(&argv, "%s:%d:%s", v->guest, i + 1,
			   v->readonly ? "ro" : "rw");
	}
	if (opts->test_hook) {
		strv_push_copy(&argv, "--test-hook");
		strv_push_copy(&argv, opts->test_hook);
	}
	strv_push_copy(&argv, "--");
	for (char **c = opts->command; *c; c++)
		strv_push_copy(&argv, *c);
	return strv_take(&argv);
}

char **build_child_env(void)
{
	struct strv env = {0};

#ifdef MOAT_ASAN
	/* The leak checker needs files and threads that the sentry's
	 * seccomp filter forbids. */
	const char *asan = getenv("ASAN_OPTIONS");

	if (asan && *asan)
		strv_pushf(&env, "ASAN_OPTIONS=%s:detect_leaks=0", asan);
	else
		strv_push_copy(&env, "ASAN_OPTIONS=detect_leaks=0");
#endif
	return strv_take(&env);
}
