#include "supervisor/args.h"
#include "supervisor/strv.h"
#include "common/util.h"
#include "sentry/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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
			 const struct child_fds *fds, const char *cwd)
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
	strv_push_copy(&argv, "--exec-fd");
	strv_pushf(&argv, "%d", fds->exec);
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
	return strv_take(&argv);
}

static size_t strv_count(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static void buf_append(char **buf, size_t *len, const void *data, size_t n)
{
	*buf = xrealloc(*buf, *len + n);
	memcpy(*buf + *len, data, n);
	*len += n;
}

static void buf_append_u32(char **buf, size_t *len, uint32_t v)
{
	buf_append(buf, len, &v, sizeof(v));
}

int encode_exec_config(char *const *command, char *const *env, char **out,
		       size_t *outlen, char *err, size_t errlen)
{
	size_t argc = strv_count(command), envc = strv_count(env);
	char *buf = NULL;
	size_t len = 0;

	if (argc == 0 || argc > UINT32_MAX || envc > UINT32_MAX) {
		snprintf(err, errlen,
			 "cannot pass %zu arguments and %zu environment "
			 "variables to the sandbox",
			 argc, envc);
		return -E2BIG;
	}
	buf_append_u32(&buf, &len, SENTRY_EXEC_MAGIC);
	buf_append_u32(&buf, &len, argc);
	buf_append_u32(&buf, &len, envc);
	for (size_t i = 0; i < argc + envc; i++) {
		const char *s = i < argc ? command[i] : env[i - argc];
		size_t n = strlen(s);

		if (n > SENTRY_EXEC_MAX_STRLEN) {
			snprintf(err, errlen,
				 "%s %zu is %zu bytes long; the sandbox "
				 "accepts at most %u",
				 i < argc ? "argument" : "environment variable",
				 i < argc ? i : i - argc, n,
				 SENTRY_EXEC_MAX_STRLEN);
			free(buf);
			return -E2BIG;
		}
		buf_append_u32(&buf, &len, n);
		buf_append(&buf, &len, s, n);
	}
	if (len > SENTRY_EXEC_MAX_SIZE) {
		snprintf(err, errlen,
			 "the command and environment take %zu bytes; the "
			 "sandbox accepts at most %u",
			 len, SENTRY_EXEC_MAX_SIZE);
		free(buf);
		return -E2BIG;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

int create_exec_memfd(char *const *command, char *const *env, char *err,
		      size_t errlen)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int fd, r;

	r = encode_exec_config(command, env, &buf, &len, err, errlen);
	if (r < 0)
		return r;
	fd = memfd_create("moat-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		r = neg_errno();
		snprintf(err, errlen,
			 "cannot create the memfd that passes the command to "
			 "the sandbox: %s",
			 strerror(-r));
		return r;
	}
	r = write_all(fd, buf, len);
	/* The sentry reads a file that can no longer change. */
	if (r == 0 &&
	    fcntl(fd, F_ADD_SEALS,
		  F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		r = neg_errno();
	if (r < 0) {
		snprintf(err, errlen,
			 "cannot write the command to the sandbox's memfd: %s",
			 strerror(-r));
		close(fd);
		return r;
	}
	return fd;
}

char **build_child_env(void)
{
	struct strv env = {0};

	/* glibc reports a fatal error (a failed assertion, heap corruption)
	 * on /dev/tty unless this is set, and opening a file would get the
	 * confined sentry killed by seccomp before the message is written. */
	strv_push_copy(&env, "LIBC_FATAL_STDERR_=1");
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
