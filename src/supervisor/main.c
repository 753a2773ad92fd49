/* The supervisor: parses the command line, starts the gofer and the
 * sentry, forwards signals and returns the guest's exit status. */
#include "supervisor/cli.h"
#include "supervisor/launch.h"
#include "supervisor/namespaces.h"
#include "supervisor/signals.h"
#include "common/log.h"
#include "common/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

/* Make sure FDs 0-2 are open, so that no FD we open later becomes a
 * child's stdin, stdout or stderr by accident. */
static int ensure_stdio_open(void)
{
	/* open() returns the lowest free FD, which is fd itself here. */
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) < 0)
			return neg_errno();
	}
	return 0;
}

static int open_output_file(const char *path, const char *option, int *fd)
{
	*fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0) {
		int e = errno;
		fprintf(stderr, "moat: cannot open %s file '%s': %s\n", option,
			path, strerror(e));
		return -e;
	}
	return 0;
}

static int run_sandbox(const struct cli_options *opts)
{
	_cleanup_close_ int log_fd = -1;
	_cleanup_close_ int strace_fd = -1;
	struct sandbox sb;
	char err[1024];
	int r;

	if (opts->debug_log &&
	    open_output_file(opts->debug_log, "--debug-log", &log_fd) < 0)
		return MOAT_EXIT_ERROR;
	log_init("moat", log_fd);
	if (opts->strace_log &&
	    open_output_file(opts->strace_log, "--strace-log", &strace_fd) < 0)
		return MOAT_EXIT_ERROR;
	if (opts->strace && strace_fd < 0)
		strace_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);

	r = userns_enter_if_needed(err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "moat: %s\n", err);
		return MOAT_EXIT_ERROR;
	}
	r = signals_block();
	if (r < 0) {
		fprintf(stderr, "moat: cannot block signals: %s\n",
			strerror(-r));
		return MOAT_EXIT_ERROR;
	}
	log_info("starting %s with rootfs %s", opts->command[0], opts->rootfs);
	r = sandbox_start(opts, log_fd, strace_fd, &sb, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "moat: %s\n", err);
		return MOAT_EXIT_ERROR;
	}
	r = signals_wait(&sb);
	log_info("sandbox finished; exit status %d", r);
	return r;
}

int supervisor_main(int argc, char **argv)
{
	struct cli_options opts;
	char err[1024];
	int status;

	if (ensure_stdio_open() < 0) {
		fprintf(stderr, "moat: cannot open /dev/null for a closed "
				"standard FD\n");
		return MOAT_EXIT_ERROR;
	}
	prctl(PR_SET_NAME, "moat");

	if (cli_parse(argc, argv, &opts, err, sizeof(err)) < 0) {
		fprintf(stderr, "moat: %s\n", err);
		return MOAT_EXIT_ERROR;
	}
	switch (opts.action) {
	case CLI_HELP:
		cli_print_help(stdout);
		status = 0;
		break;
	case CLI_RUN_HELP:
		cli_print_run_help(stdout);
		status = 0;
		break;
	case CLI_VERSION:
		printf("moat %s\n", MOAT_VERSION);
		status = 0;
		break;
	default:
		status = run_sandbox(&opts);
		break;
	}
	cli_options_free(&opts);
	return status;
}
