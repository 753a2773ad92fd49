/* sentry_config_parse(): the syntax the supervisor writes, the exec
 * file, and errors. */
#include "sentry/config.h"
#include "supervisor/args.h"
#include "supervisor/strv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
			failures++;                                            \
		}                                                              \
	} while (0)

static int count(char **argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

/* Return an exec memfd for command and env, as the supervisor makes it,
 * with its number in fdbuf. */
static int exec_fd(char **command, char **env, char *fdbuf, size_t len)
{
	char err[256];
	int fd = create_exec_memfd(command, env, err, sizeof(err));

	if (fd < 0) {
		printf("FAIL create_exec_memfd: %s\n", err);
		exit(1);
	}
	snprintf(fdbuf, len, "%d", fd);
	return fd;
}

static bool fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static void test_full_command_line(void)
{
	char *command[] = {"ls", "--", "-l", NULL};
	char *env[] = {"A=1", "EMPTY=", NULL};
	char fdbuf[16];
	int fd = exec_fd(command, env, fdbuf, sizeof(fdbuf));
	char *argv[] = {"__sentry",
			"--gofer-fd",
			"0",
			"--log-fd",
			"1",
			"--strace-fd",
			"2",
			"--cwd",
			"/home",
			"--exec-fd",
			fdbuf,
			"--mount",
			"/:0:overlay",
			"--mount",
			"/a:b:1:ro",
			"--mount",
			"/out:2:rw",
			"--test-hook",
			"sentry-openat",
			NULL};
	struct sentry_config cfg;
	int r = sentry_config_parse(&cfg, count(argv), argv);

	CHECK(r == 0, "r=%d", r);
	if (r != 0)
		return;
	CHECK(cfg.gofer_fd == 0, "gofer_fd %d", cfg.gofer_fd);
	CHECK(cfg.log_fd == 1, "log_fd %d", cfg.log_fd);
	CHECK(cfg.strace_fd == 2, "strace_fd %d", cfg.strace_fd);
	CHECK(strcmp(cfg.cwd, "/home") == 0, "cwd '%s'", cfg.cwd);
	CHECK(strcmp(cfg.envp[0], "A=1") == 0, "envp[0] '%s'", cfg.envp[0]);
	CHECK(strcmp(cfg.envp[1], "EMPTY=") == 0, "envp[1] '%s'", cfg.envp[1]);
	CHECK(cfg.envp[2] == NULL, "envp not NULL-terminated");
	CHECK(cfg.nmounts == 3, "nmounts %d", cfg.nmounts);
	CHECK(cfg.mounts[0].overlay && !cfg.mounts[0].readonly,
	      "mount 0 flags");
	CHECK(strcmp(cfg.mounts[1].guest_path, "/a:b") == 0,
	      "a guest path with ':' is '%s'", cfg.mounts[1].guest_path);
	CHECK(cfg.mounts[1].gofer_index == 1 && cfg.mounts[1].readonly,
	      "mount 1 index %d", cfg.mounts[1].gofer_index);
	CHECK(cfg.mounts[2].gofer_index == 2 && !cfg.mounts[2].readonly &&
		  !cfg.mounts[2].overlay,
	      "mount 2 flags");
	CHECK(strcmp(cfg.test_hook, "sentry-openat") == 0, "test_hook");
	CHECK(strcmp(cfg.argv[0], "ls") == 0 && strcmp(cfg.argv[1], "--") == 0,
	      "command '%s' '%s'", cfg.argv[0], cfg.argv[1]);
	CHECK(strcmp(cfg.argv[2], "-l") == 0, "argv[2] '%s'", cfg.argv[2]);
	CHECK(cfg.argv[3] == NULL, "argv not NULL-terminated");
	CHECK(!fd_is_open(fd), "exec FD %d still open after parsing", fd);
	sentry_config_free(&cfg);
}

static void test_minimal_command_line(void)
{
	char *command[] = {"true", NULL};
	char fdbuf[16];
	char *argv[] = {"__sentry",    "--gofer-fd", "0",   "--cwd",
			"/",	       "--exec-fd",  fdbuf, "--mount",
			"/:0:overlay", NULL};

	exec_fd(command, NULL, fdbuf, sizeof(fdbuf));
	struct sentry_config cfg;
	int r = sentry_config_parse(&cfg, count(argv), argv);

	CHECK(r == 0, "r=%d", r);
	if (r != 0)
		return;
	CHECK(cfg.log_fd == -1, "log_fd %d", cfg.log_fd);
	CHECK(cfg.strace_fd == -1, "strace_fd %d", cfg.strace_fd);
	CHECK(cfg.envp && cfg.envp[0] == NULL, "environment not empty");
	CHECK(cfg.test_hook == NULL, "test_hook set");
	sentry_config_free(&cfg);
}

/* What the supervisor writes, the sentry reads back unchanged. */
static void test_supervisor_round_trip(void)
{
	struct volume volumes[] = {
	    {.host = "/srv", .guest = "/data", .readonly = true},
	};
	char *command[] = {"echo", "a b", NULL};
	char *env[] = {"PATH=/bin", "X=y=z", NULL};
	struct cli_options o = {
	    .rootfs = "/",
	    .volumes = volumes,
	    .nvolumes = 1,
	    .command = command,
	};
	char fdbuf[16];
	int fd = exec_fd(command, env, fdbuf, sizeof(fdbuf));
	struct child_fds fds = {.gofer_sock = 0,
				.sentry_sock = 1,
				.log = -1,
				.strace = 2,
				.exec = fd};
	char **argv = build_sentry_argv(&o, &fds, "/tmp");
	struct sentry_config cfg;
	/* sentry_main() gets argv + 1, starting at "__sentry". */
	int r = sentry_config_parse(&cfg, count(argv) - 1, argv + 1);

	CHECK(r == 0, "r=%d", r);
	if (r == 0) {
		CHECK(cfg.gofer_fd == 1, "gofer_fd %d", cfg.gofer_fd);
		CHECK(cfg.log_fd == -1, "log_fd %d", cfg.log_fd);
		CHECK(cfg.strace_fd == 2, "strace_fd %d", cfg.strace_fd);
		CHECK(strcmp(cfg.cwd, "/tmp") == 0, "cwd '%s'", cfg.cwd);
		CHECK(strcmp(cfg.envp[1], "X=y=z") == 0, "envp[1] '%s'",
		      cfg.envp[1]);
		CHECK(cfg.nmounts == 2, "nmounts %d", cfg.nmounts);
		CHECK(strcmp(cfg.mounts[1].guest_path, "/data") == 0 &&
			  cfg.mounts[1].gofer_index == 1 &&
			  cfg.mounts[1].readonly,
		      "volume mount");
		CHECK(strcmp(cfg.argv[1], "a b") == 0, "argv[1] '%s'",
		      cfg.argv[1]);
		sentry_config_free(&cfg);
	}
	for (char **a = argv; *a; a++) {
		CHECK(strstr(*a, "PATH=") == NULL,
		      "the sentry's command line contains '%s'", *a);
		CHECK(strcmp(*a, "a b") != 0,
		      "the sentry's command line contains the argument '%s'",
		      *a);
	}
	strv_free(argv);
}

static void test_invalid_command_lines(void)
{
	char *command[] = {"ls", NULL};
	char fd[16];
	char *cases[][12] = {
	    {"__sentry", "--cwd", "/", "--exec-fd", fd, "--mount",
	     "/:0:overlay"},
	    {"__sentry", "--gofer-fd", "x", "--cwd", "/", "--exec-fd", fd,
	     "--mount", "/:0:overlay"},
	    {"__sentry", "--gofer-fd", "999", "--cwd", "/", "--exec-fd", fd,
	     "--mount", "/:0:overlay"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "rel", "--exec-fd", fd,
	     "--mount", "/:0:overlay"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--exec-fd", fd},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--exec-fd", fd,
	     "--mount", "/data:1:ro"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--exec-fd", fd,
	     "--mount", "/:0:overlay", "--mount", "/d:x:ro"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--exec-fd", fd,
	     "--mount", "/:0:overlay", "--mount", "/d:1:rx"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--exec-fd", fd,
	     "--mount", "/:0:overlay", "--mount", "d:1:ro"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--mount",
	     "/:0:overlay"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--exec-fd", "999",
	     "--mount", "/:0:overlay"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--exec-fd", fd,
	     "--mount", "/:0:overlay", "--bogus", "1"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--exec-fd", fd,
	     "--mount", "/:0:overlay", "--", "ls"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sentry_config cfg;
		int efd = exec_fd(command, NULL, fd, sizeof(fd));
		int r = sentry_config_parse(&cfg, count(cases[i]), cases[i]);

		CHECK(r < 0, "case %zu accepted", i);
		if (r == 0)
			sentry_config_free(&cfg);
		close(efd);
	}
	/* A value-taking option at the end has no value. */
	char *truncated[] = {"__sentry", "--gofer-fd", NULL};
	struct sentry_config cfg;
	CHECK(sentry_config_parse(&cfg, 2, truncated) < 0,
	      "--gofer-fd without a value accepted");
}

/* A byte buffer built field by field. */
struct blob {
	unsigned char data[256];
	size_t len;
};

static void put_u32(struct blob *b, uint32_t v)
{
	memcpy(b->data + b->len, &v, sizeof(v));
	b->len += sizeof(v);
}

static void put_string(struct blob *b, const char *s, size_t n)
{
	put_u32(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

static void put_header(struct blob *b, uint32_t argc, uint32_t envc)
{
	b->len = 0;
	put_u32(b, SENTRY_EXEC_MAGIC);
	put_u32(b, argc);
	put_u32(b, envc);
}

static int decode(const struct blob *b, struct sentry_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	return sentry_config_decode_exec(cfg, b->data, b->len);
}

static void test_exec_file_valid(void)
{
	struct sentry_config cfg;
	struct blob b;

	put_header(&b, 2, 1);
	put_string(&b, "echo", 4);
	put_string(&b, "", 0);
	put_string(&b, "A=", 2);
	CHECK(decode(&b, &cfg) == 0, "a valid exec file was rejected");
	CHECK(cfg.argv && strcmp(cfg.argv[0], "echo") == 0, "argv[0]");
	CHECK(cfg.argv && strcmp(cfg.argv[1], "") == 0, "argv[1]");
	CHECK(cfg.argv && cfg.argv[2] == NULL, "argv not NULL-terminated");
	CHECK(cfg.envp && strcmp(cfg.envp[0], "A=") == 0, "envp[0]");
	CHECK(cfg.envp && cfg.envp[1] == NULL, "envp not NULL-terminated");
	sentry_config_free(&cfg);
}

static void test_exec_file_hostile(void)
{
	struct sentry_config cfg;
	struct blob b;
	char nul[] = {'a', '\0', 'b'};
	int r;

	/* Each case rebuilds b and must be rejected. */
#define REJECT(what)                                                           \
	do {                                                                   \
		r = decode(&b, &cfg);                                          \
		CHECK(r == -EINVAL, "%s: r=%d", what, r);                      \
		CHECK(cfg.argv == NULL && cfg.envp == NULL, "%s: cfg changed", \
		      what);                                                   \
		if (r == 0)                                                    \
			sentry_config_free(&cfg);                              \
	} while (0)

	b.len = 0;
	REJECT("empty file");

	put_header(&b, 1, 0);
	b.len -= 2;
	REJECT("truncated header");

	put_header(&b, 1, 0);
	memset(b.data, 'x', 4);
	put_string(&b, "ls", 2);
	REJECT("wrong magic");

	put_header(&b, 0, 0);
	REJECT("no command");

	put_header(&b, 1, 0);
	put_string(&b, "", 0);
	REJECT("empty command");

	put_header(&b, UINT32_MAX, 0);
	put_string(&b, "ls", 2);
	REJECT("argc larger than the file");

	put_header(&b, 1, UINT32_MAX);
	put_string(&b, "ls", 2);
	REJECT("envc larger than the file");

	put_header(&b, 2, 0);
	put_string(&b, "ls", 2);
	REJECT("fewer strings than argc");

	put_header(&b, 1, 0);
	put_u32(&b, 3);
	memcpy(b.data + b.len, "ls", 2);
	b.len += 2;
	REJECT("string runs past the end");

	put_header(&b, 1, 0);
	put_u32(&b, UINT32_MAX);
	REJECT("huge string length");

	put_header(&b, 1, 0);
	put_u32(&b, SENTRY_EXEC_MAX_STRLEN + 1);
	REJECT("string over the max length");

	put_header(&b, 1, 0);
	b.data[b.len++] = 2;
	REJECT("partial length field");

	put_header(&b, 1, 0);
	put_string(&b, nul, sizeof(nul));
	REJECT("NUL inside a string");

	put_header(&b, 1, 1);
	put_string(&b, "ls", 2);
	put_string(&b, "NOEQUALS", 8);
	REJECT("environment entry without '='");

	put_header(&b, 1, 1);
	put_string(&b, "ls", 2);
	put_string(&b, "=x", 2);
	REJECT("environment entry with an empty name");

	put_header(&b, 1, 0);
	put_string(&b, "ls", 2);
	b.data[b.len++] = 0;
	REJECT("trailing byte");
#undef REJECT
}

static void test_exec_file_too_large(void)
{
	struct sentry_config cfg;
	size_t len = (size_t)SENTRY_EXEC_MAX_SIZE + 1;
	unsigned char *big = calloc(1, len);
	int r;

	memset(&cfg, 0, sizeof(cfg));
	r = sentry_config_decode_exec(&cfg, big, len);
	CHECK(r == -EINVAL, "a file over the max size: r=%d", r);
	free(big);
}

static void test_encode_rejects_long_string(void)
{
	size_t n = SENTRY_EXEC_MAX_STRLEN + 1;
	char *arg = malloc(n + 1);
	char *command[] = {"echo", arg, NULL};
	char *out = NULL, err[256] = "";
	size_t len;
	int r;

	memset(arg, 'a', n);
	arg[n] = '\0';
	r = encode_exec_config(command, NULL, &out, &len, err, sizeof(err));
	CHECK(r == -E2BIG, "an argument over the max length: r=%d", r);
	CHECK(strstr(err, "argument 1") != NULL, "message '%s'", err);
	free(out);
	free(arg);
}

int main(void)
{
	test_full_command_line();
	test_minimal_command_line();
	test_supervisor_round_trip();
	test_invalid_command_lines();
	test_exec_file_valid();
	test_exec_file_hostile();
	test_exec_file_too_large();
	test_encode_rejects_long_string();
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	return 0;
}
