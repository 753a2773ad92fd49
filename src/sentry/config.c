/* The sentry's command line, written by the supervisor
 * (src/supervisor/args.c) and never by a user:
 *
 *   moat __sentry --gofer-fd N [--log-fd N] [--strace-fd N] --cwd DIR
 *       --exec-fd N --mount GUEST:INDEX:MODE ... [--test-hook NAME]
 *
 * --gofer-fd N     connected AF_UNIX SOCK_SEQPACKET socket to the gofer
 * --log-fd N       debug log (--debug-log); absent: warnings to stderr
 * --strace-fd N    write a line per guest syscall there; absent: no trace
 * --cwd DIR        absolute initial working directory of the guest
 * --exec-fd N      sealed memfd with the guest command and its complete
 *                  environment (format in config.h). They are not on the
 *                  command line, which every host user can read in
 *                  /proc/PID/cmdline and which is limited in size.
 * --mount GUEST:INDEX:MODE
 *                  mount gofer mount INDEX at absolute path GUEST. MODE is
 *                  "overlay" (read-only gofer mount under an in-memory
 *                  writable layer), "ro" or "rw". The first --mount must
 *                  be "/:0:overlay". GUEST may contain ':' because it is
 *                  split at the last two.
 * --test-hook NAME test-only misbehaviour (see confine.c)
 */
#include "sentry/config.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
			int *i, int *exec_fd)
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
	if (strcmp(opt, "--exec-fd") == 0)
		return parse_fd(opt, value, exec_fd);
	if (strcmp(opt, "--mount") == 0)
		return push_mount(cfg, value);
	if (strcmp(opt, "--test-hook") == 0) {
		cfg->test_hook = value;
		return 0;
	}
	CONFIG_ERROR("unknown option '%s'", opt);
	return -EINVAL;
}

static int check_config(const struct sentry_config *cfg, int exec_fd)
{
	const struct sentry_mount *root = cfg->mounts;

	if (cfg->gofer_fd < 0) {
		CONFIG_ERROR("missing --gofer-fd");
		return -EINVAL;
	}
	if (exec_fd < 0) {
		CONFIG_ERROR("missing --exec-fd");
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
	return 0;
}

/* A bounds-checked reader over the exec file's bytes. */
struct exec_reader {
	const unsigned char *data;
	size_t len;
	size_t pos;
};

static bool read_u32(struct exec_reader *rd, uint32_t *out)
{
	if (rd->len - rd->pos < sizeof(*out))
		return false;
	memcpy(out, rd->data + rd->pos, sizeof(*out));
	rd->pos += sizeof(*out);
	return true;
}

/* Copy the next string into *dst (advanced past its NUL) and store its
 * start in *out. */
static int read_string(struct exec_reader *rd, const char *what, uint32_t index,
		       char **dst, char **out)
{
	uint32_t n;

	if (!read_u32(rd, &n)) {
		CONFIG_ERROR("invalid exec file: %s %u: length is past the end "
			     "(file size %zu)",
			     what, index, rd->len);
		return -EINVAL;
	}
	if (n > SENTRY_EXEC_MAX_STRLEN) {
		CONFIG_ERROR(
		    "invalid exec file: %s %u is %u bytes long (max %u)", what,
		    index, n, SENTRY_EXEC_MAX_STRLEN);
		return -EINVAL;
	}
	if (rd->len - rd->pos < n) {
		CONFIG_ERROR("invalid exec file: %s %u of %u bytes runs past "
			     "the end (file size %zu)",
			     what, index, n, rd->len);
		return -EINVAL;
	}
	if (memchr(rd->data + rd->pos, '\0', n)) {
		CONFIG_ERROR("invalid exec file: %s %u contains a NUL byte",
			     what, index);
		return -EINVAL;
	}
	memcpy(*dst, rd->data + rd->pos, n);
	(*dst)[n] = '\0';
	*out = *dst;
	*dst += n + 1;
	rd->pos += n;
	return 0;
}

int sentry_config_decode_exec(struct sentry_config *cfg, const void *data,
			      size_t len)
{
	struct exec_reader rd = {.data = data, .len = len};
	uint32_t magic, argc, envc;
	char **argv = NULL, **envp = NULL;
	char *strings = NULL, *next;
	int r = -EINVAL;

	if (len > SENTRY_EXEC_MAX_SIZE) {
		CONFIG_ERROR("invalid exec file: %zu bytes (max %u)", len,
			     SENTRY_EXEC_MAX_SIZE);
		return -EINVAL;
	}
	if (!read_u32(&rd, &magic) || magic != SENTRY_EXEC_MAGIC ||
	    !read_u32(&rd, &argc) || !read_u32(&rd, &envc)) {
		CONFIG_ERROR("invalid exec file: missing or wrong header "
			     "(%zu bytes); the supervisor and the sentry come "
			     "from different builds?",
			     len);
		return -EINVAL;
	}
	/* Each string takes at least its 4-byte length, so counts above
	 * this cannot fit; checking first bounds the allocations below. */
	if (argc == 0 || argc > (len - rd.pos) / 4 ||
	    envc > (len - rd.pos) / 4 - argc) {
		CONFIG_ERROR("invalid exec file: %u arguments and %u "
			     "environment entries do not fit in %zu bytes, "
			     "or the command is missing",
			     argc, envc, len);
		return -EINVAL;
	}

	/* A string's 4-byte length prefix is room enough for its NUL, so
	 * the strings fit in len bytes. */
	strings = xmalloc(len ? len : 1);
	argv = xcalloc((size_t)argc + 1, sizeof(*argv));
	envp = xcalloc((size_t)envc + 1, sizeof(*envp));
	next = strings;
	for (uint32_t i = 0; i < argc; i++) {
		if (read_string(&rd, "argument", i, &next, &argv[i]) < 0)
			goto out_free;
	}
	if (argv[0][0] == '\0') {
		CONFIG_ERROR("invalid exec file: the command is empty");
		goto out_free;
	}
	for (uint32_t i = 0; i < envc; i++) {
		if (read_string(&rd, "environment entry", i, &next, &envp[i]) <
		    0)
			goto out_free;
		if (envp[i][0] == '=' || !strchr(envp[i], '=')) {
			CONFIG_ERROR("invalid exec file: environment entry %u "
				     "'%s' is not NAME=VALUE",
				     i, envp[i]);
			goto out_free;
		}
	}
	if (rd.pos != len) {
		CONFIG_ERROR("invalid exec file: %zu bytes after the last "
			     "string",
			     len - rd.pos);
		goto out_free;
	}

	free(cfg->argv);
	free(cfg->envp);
	free(cfg->exec_strings);
	cfg->argv = take_ptr(&argv);
	cfg->envp = take_ptr(&envp);
	cfg->exec_strings = take_ptr(&strings);
	r = 0;

out_free:
	free(argv);
	free(envp);
	free(strings);
	return r;
}

/* Read the whole exec file from offset 0, then decode it. */
static int read_exec_file(struct sentry_config *cfg, int fd)
{
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t done = 0;

	if (fstat(fd, &st) < 0) {
		CONFIG_ERROR("cannot stat --exec-fd %d: %s", fd,
			     strerror(errno));
		return -EINVAL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (uint64_t)st.st_size > SENTRY_EXEC_MAX_SIZE) {
		CONFIG_ERROR("invalid --exec-fd %d: expected a regular file of "
			     "at most %u bytes, got mode %#o and size %lld",
			     fd, SENTRY_EXEC_MAX_SIZE, (unsigned)st.st_mode,
			     (long long)st.st_size);
		return -EINVAL;
	}
	buf = xmalloc(st.st_size ? st.st_size : 1);
	while (done < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + done, st.st_size - done, done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			CONFIG_ERROR("cannot read --exec-fd %d at offset %zu: "
				     "%s",
				     fd, done,
				     n == 0 ? "unexpected end of file"
					    : strerror(errno));
			return -EINVAL;
		}
		done += n;
	}
	return sentry_config_decode_exec(cfg, buf, done);
}

int sentry_config_parse(struct sentry_config *cfg, int argc, char **argv)
{
	int exec_fd = -1;
	int r;

	memset(cfg, 0, sizeof(*cfg));
	cfg->gofer_fd = -1;
	cfg->log_fd = -1;
	cfg->strace_fd = -1;

	for (int i = 1; i < argc; i++) {
		r = parse_option(cfg, argc, argv, &i, &exec_fd);
		if (r < 0)
			goto out_free;
	}
	r = check_config(cfg, exec_fd);
	if (r < 0)
		goto out_free;
	r = read_exec_file(cfg, exec_fd);
	if (r < 0)
		goto out_free;
	/* Nothing else needs it, and the guest must not inherit it. */
	close(exec_fd);
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
	free(cfg->argv);
	free(cfg->envp);
	free(cfg->exec_strings);
	memset(cfg, 0, sizeof(*cfg));
	cfg->gofer_fd = -1;
	cfg->log_fd = -1;
	cfg->strace_fd = -1;
}
