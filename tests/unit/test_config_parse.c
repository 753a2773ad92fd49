/* sentry_config_parse(): the syntax the supervisor writes, and errors. */
#include "sentry/config.h"
#include "supervisor/args.h"
#include "supervisor/strv.h"

#include <stdio.h>
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

static void test_full_command_line(void)
{
	char *argv[] = {"__sentry",  "--gofer-fd",  "0",
			"--log-fd",  "1",	    "--strace-fd",
			"2",	     "--cwd",	    "/home",
			"--env",     "A=1",	    "--env",
			"EMPTY=",    "--mount",	    "/:0:overlay",
			"--mount",   "/a:b:1:ro",   "--mount",
			"/out:2:rw", "--test-hook", "sentry-openat",
			"--",	     "ls",	    "--",
			"-l",	     NULL};
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
	CHECK(cfg.argv[3] == NULL, "argv not NULL-terminated");
	sentry_config_free(&cfg);
}

static void test_minimal_command_line(void)
{
	char *argv[] = {"__sentry", "--gofer-fd",  "0",	 "--cwd", "/",
			"--mount",  "/:0:overlay", "--", "true",  NULL};
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
	struct child_fds fds = {
	    .gofer_sock = 0, .sentry_sock = 1, .log = -1, .strace = 2};
	char **argv = build_sentry_argv(&o, &fds, "/tmp", env);
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
	strv_free(argv);
}

static void test_invalid_command_lines(void)
{
	char *cases[][12] = {
	    {"__sentry", "--cwd", "/", "--mount", "/:0:overlay", "--", "ls"},
	    {"__sentry", "--gofer-fd", "x", "--cwd", "/", "--mount",
	     "/:0:overlay", "--", "ls"},
	    {"__sentry", "--gofer-fd", "999", "--cwd", "/", "--mount",
	     "/:0:overlay", "--", "ls"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "rel", "--mount",
	     "/:0:overlay", "--", "ls"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--", "ls"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--mount",
	     "/data:1:ro", "--", "ls"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--mount",
	     "/:0:overlay", "--mount", "/d:x:ro", "--", "ls"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--mount",
	     "/:0:overlay", "--mount", "/d:1:rx", "--", "ls"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--mount",
	     "/:0:overlay", "--mount", "d:1:ro", "--", "ls"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--mount",
	     "/:0:overlay", "--env", "NOEQUALS", "--", "ls"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--mount",
	     "/:0:overlay", "--"},
	    {"__sentry", "--gofer-fd", "0", "--cwd", "/", "--mount",
	     "/:0:overlay", "--bogus", "1", "--", "ls"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sentry_config cfg;
		int r = sentry_config_parse(&cfg, count(cases[i]), cases[i]);

		CHECK(r < 0, "case %zu accepted", i);
		if (r == 0)
			sentry_config_free(&cfg);
	}
	/* A value-taking option at the end has no value. */
	char *truncated[] = {"__sentry", "--gofer-fd", NULL};
	struct sentry_config cfg;
	CHECK(sentry_config_parse(&cfg, 2, truncated) < 0,
	      "--gofer-fd without a value accepted");
}

int main(void)
{
	test_full_command_line();
	test_minimal_command_line();
	test_supervisor_round_trip();
	test_invalid_command_lines();
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	return 0;
}
