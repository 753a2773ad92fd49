/* cli_parse(), build_guest_env() and the child command lines. */
#include "supervisor/args.h"
#include "supervisor/cli.h"
#include "supervisor/strv.h"

#include <stdio.h>
#include <string.h>

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

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

static void test_run_options(void)
{
	char *argv[] = {"moat",	       "run",
			"--rootfs",    "/tmp",
			"--volume",    "/tmp:/a:ro",
			"--env",       "A=1",
			"--env=B=2",   "--cwd",
			"/work",       "--strace-log",
			"/tmp/s.log",  "--debug-log=/tmp/d.log",
			"--test-hook", "sentry-openat",
			"--",	       "ls",
			"-l",	       "--",
			NULL};
	struct cli_options o;
	char err[512] = "";
	int r = cli_parse(ARGC(argv), argv, &o, err, sizeof(err));

	CHECK(r == 0, "r=%d err='%s'", r, err);
	if (r != 0)
		return;
	CHECK(o.action == CLI_RUN, "action %d", o.action);
	CHECK(strcmp(o.rootfs, "/tmp") == 0, "rootfs '%s'", o.rootfs);
	CHECK(o.nvolumes == 1, "nvolumes %d", o.nvolumes);
	CHECK(strcmp(o.volumes[0].guest, "/a") == 0, "guest '%s'",
	      o.volumes[0].guest);
	CHECK(o.volumes[0].readonly, "volume not read-only");
	CHECK(o.nenv == 2, "nenv %d", o.nenv);
	CHECK(strcmp(o.env[1], "B=2") == 0, "env[1] '%s'", o.env[1]);
	CHECK(strcmp(o.cwd, "/work") == 0, "cwd '%s'", o.cwd);
	CHECK(o.strace, "--strace-log does not imply --strace");
	CHECK(strcmp(o.strace_log, "/tmp/s.log") == 0, "strace_log");
	CHECK(strcmp(o.debug_log, "/tmp/d.log") == 0, "debug_log");
	CHECK(strcmp(o.test_hook, "sentry-openat") == 0, "test_hook");
	CHECK(strcmp(o.command[0], "ls") == 0, "command[0] '%s'", o.command[0]);
	CHECK(strcmp(o.command[2], "--") == 0,
	      "a second -- belongs to the command");
	CHECK(o.command[3] == NULL, "command not NULL-terminated");
	cli_options_free(&o);
}

static void test_defaults_and_no_separator(void)
{
	char *argv[] = {"moat", "run", "echo", "--rootfs", NULL};
	struct cli_options o;
	char err[512] = "";
	int r = cli_parse(ARGC(argv), argv, &o, err, sizeof(err));

	CHECK(r == 0, "r=%d err='%s'", r, err);
	if (r != 0)
		return;
	CHECK(strcmp(o.rootfs, "/") == 0, "default rootfs '%s'", o.rootfs);
	CHECK(o.cwd == NULL, "cwd set without --cwd");
	CHECK(!o.strace, "strace on by default");
	CHECK(strcmp(o.command[1], "--rootfs") == 0,
	      "options after the command must belong to it");
	cli_options_free(&o);
}

static void test_actions(void)
{
	struct {
		char *argv[4];
		enum cli_action action;
	} cases[] = {
	    {{"moat", "--help", NULL}, CLI_HELP},
	    {{"moat", "-h", NULL}, CLI_HELP},
	    {{"moat", "--version", NULL}, CLI_VERSION},
	    {{"moat", "run", "--help", NULL}, CLI_RUN_HELP},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cli_options o;
		char err[512] = "";
		int argc = 0;
		int r;

		while (cases[i].argv[argc])
			argc++;
		r = cli_parse(argc, cases[i].argv, &o, err, sizeof(err));
		CHECK(r == 0, "'%s': r=%d err='%s'", cases[i].argv[argc - 1], r,
		      err);
		CHECK(o.action == cases[i].action, "'%s': action %d",
		      cases[i].argv[argc - 1], o.action);
		cli_options_free(&o);
	}
}

static void test_errors(void)
{
	struct {
		char *argv[10];
		const char *message_part;
	} cases[] = {
	    {{"moat", NULL}, "missing command"},
	    {{"moat", "start", NULL}, "unknown command 'start'"},
	    {{"moat", "run", NULL}, "missing command; usage: moat run"},
	    {{"moat", "run", "--", NULL}, "missing command after --"},
	    {{"moat", "run", "--strace", NULL}, "missing command; usage"},
	    {{"moat", "run", "--foo", "--", "ls", NULL},
	     "unknown option '--foo'"},
	    {{"moat", "run", "--foo=1", "--", "ls", NULL},
	     "unknown option '--foo'"},
	    {{"moat", "run", "--rootfs", NULL}, "--rootfs requires a value"},
	    {{"moat", "run", "--strace=yes", "--", "ls", NULL},
	     "does not take a value"},
	    {{"moat", "run", "--env", "NOVALUE", "--", "ls", NULL},
	     "invalid --env 'NOVALUE'"},
	    {{"moat", "run", "--env", "=x", "--", "ls", NULL}, "name is empty"},
	    {{"moat", "run", "--cwd", "rel", "--", "ls", NULL},
	     "invalid --cwd 'rel'"},
	    {{"moat", "run", "--rootfs", "/", "--rootfs", "/", "--", "ls",
	      NULL},
	     "--rootfs given more than once"},
	    {{"moat", "run", "--volume", "/tmp:/a", "--volume", "/tmp:/a/",
	      "--", "ls", NULL},
	     "already used"},
	    {{"moat", "run", "--rootfs", "/nonexistent-moat", "--", "ls", NULL},
	     "/nonexistent-moat"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cli_options o;
		char err[512] = "";
		int argc = 0;
		int r;

		while (cases[i].argv[argc])
			argc++;
		r = cli_parse(argc, cases[i].argv, &o, err, sizeof(err));
		CHECK(r < 0, "case %zu accepted", i);
		CHECK(strstr(err, cases[i].message_part) != NULL,
		      "case %zu: error '%s' lacks '%s'", i, err,
		      cases[i].message_part);
	}
}

static void test_guest_env(void)
{
	char *base[] = {"PATH=/bin", "HOME=/root", "X=old", NULL};
	char *overrides[] = {"X=new", "NEW=1", "HOME=/h", "NEW=2"};
	char **env = build_guest_env(base, overrides, 4);
	const char *expected[] = {"PATH=/bin", "HOME=/h", "X=new", "NEW=2",
				  NULL};

	for (int i = 0; expected[i] || env[i]; i++) {
		CHECK(env[i] && expected[i] && strcmp(env[i], expected[i]) == 0,
		      "env[%d] is '%s', expected '%s'", i,
		      env[i] ? env[i] : "(null)",
		      expected[i] ? expected[i] : "(null)");
		if (!env[i] || !expected[i])
			break;
	}
	strv_free(env);
}

static int argv_equal(char **got, const char **expected)
{
	int i;

	for (i = 0; got[i] && expected[i]; i++) {
		if (strcmp(got[i], expected[i]) != 0) {
			printf("  argv[%d] is '%s', expected '%s'\n", i, got[i],
			       expected[i]);
			return 0;
		}
	}
	return !got[i] && !expected[i];
}

static void test_child_argv(void)
{
	struct volume volumes[] = {
	    {.host = "/srv/data", .guest = "/data", .readonly = true},
	    {.host = "/srv/out", .guest = "/out", .readonly = false},
	};
	char *command[] = {"sh", "-c", "echo hi", NULL};
	struct cli_options o = {
	    .rootfs = "/rootfs",
	    .volumes = volumes,
	    .nvolumes = 2,
	    .test_hook = "sentry-openat",
	    .command = command,
	};
	struct child_fds fds = {.gofer_sock = 5,
				.sentry_sock = 6,
				.log = 3,
				.strace = -1,
				.exec = 7};
	const char *gofer[] = {
	    "moat",    "__gofer",     "--sock-fd",  "5",       "--log-fd",
	    "3",       "--mount",     "/rootfs:ro", "--mount", "/srv/data:ro",
	    "--mount", "/srv/out:rw", NULL};
	const char *sentry[] = {"moat",	     "__sentry",    "--gofer-fd",
				"6",	     "--log-fd",    "3",
				"--cwd",     "/w",	    "--exec-fd",
				"7",	     "--mount",	    "/:0:overlay",
				"--mount",   "/data:1:ro",  "--mount",
				"/out:2:rw", "--test-hook", "sentry-openat",
				NULL};
	char **argv;

	argv = build_gofer_argv(&o, &fds);
	CHECK(argv_equal(argv, gofer), "gofer argv differs");
	strv_free(argv);
	argv = build_sentry_argv(&o, &fds, "/w");
	CHECK(argv_equal(argv, sentry), "sentry argv differs");
	strv_free(argv);
}

int main(void)
{
	test_run_options();
	test_defaults_and_no_separator();
	test_actions();
	test_errors();
	test_guest_env();
	test_child_argv();
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	return 0;
}
