/* Entry point of the gofer, started by the supervisor as
 *
 *   moat __gofer --sock-fd N [--log-fd N] --mount HOSTPATH:ro|rw
 *                [--mount HOSTPATH:ro|rw ...]
 *
 * --sock-fd  the gofer's end of an AF_UNIX SOCK_SEQPACKET socketpair whose
 *            other end the sentry uses (required).
 * --log-fd   an FD open for writing where log lines go (default: none,
 *            warnings and errors go to stderr).
 * --mount    a host directory to serve, read-only or read-write. Mount
 *            index N, as passed to gofer_attach, is the Nth --mount flag;
 *            index 0 is the sandbox's root file system. At least one is
 *            required, at most GOFER_MAX_MOUNTS.
 *
 * The gofer closes every other inherited FD, confines itself (mount
 * namespace, capabilities, seccomp) and serves until the sentry closes the
 * socket. Exit status: 0 on EOF, 1 on a setup or socket error, 2 on a
 * usage error.
 */
#include "gofer/gofer.h"
#include "common/log.h"
#include "common/util.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#define GOFER_MAX_MOUNTS 64

struct gofer_args {
	int sock_fd;
	int log_fd;
	uint32_t nmounts;
	const char *paths[GOFER_MAX_MOUNTS];
	bool readonly[GOFER_MAX_MOUNTS];
};

static int usage(const char *msg, const char *value)
{
	fprintf(stderr, "moat-gofer: %s%s%s\n", msg, value ? ": " : "",
		value ? value : "");
	fprintf(stderr, "usage: moat __gofer --sock-fd N [--log-fd N] "
			"--mount HOSTPATH:ro|rw [--mount ...]\n");
	return -EINVAL;
}

static int parse_fd(const char *s, int *fd)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > INT_MAX)
		return usage("invalid FD number", s);
	*fd = (int)v;
	return 0;
}

/* Split "HOSTPATH:ro" or "HOSTPATH:rw" at the last ':'. */
static int parse_mount(struct gofer_args *a, const char *s)
{
	const char *colon = strrchr(s, ':');
	char *path;

	if (a->nmounts == GOFER_MAX_MOUNTS)
		return usage("too many --mount flags", s);
	if (!colon || colon == s ||
	    (strcmp(colon, ":ro") != 0 && strcmp(colon, ":rw") != 0))
		return usage("--mount needs HOSTPATH:ro or HOSTPATH:rw", s);
	path = xstrdup(s);
	path[colon - s] = '\0';
	a->paths[a->nmounts] = path;
	a->readonly[a->nmounts] = strcmp(colon, ":ro") == 0;
	a->nmounts++;
	return 0;
}

static int parse_args(struct gofer_args *a, int argc, char **argv)
{
	int err = 0;

	*a = (struct gofer_args){.sock_fd = -1, .log_fd = -1};
	for (int i = 1; i < argc && !err; i += 2) {
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;

		if (!value)
			return usage("missing value for", argv[i]);
		if (strcmp(argv[i], "--sock-fd") == 0)
			err = parse_fd(value, &a->sock_fd);
		else if (strcmp(argv[i], "--log-fd") == 0)
			err = parse_fd(value, &a->log_fd);
		else if (strcmp(argv[i], "--mount") == 0)
			err = parse_mount(a, value);
		else
			return usage("unknown option", argv[i]);
	}
	if (err)
		return err;
	if (a->sock_fd < 0)
		return usage("missing --sock-fd", NULL);
	if (a->nmounts == 0)
		return usage("missing --mount", NULL);
	return 0;
}

/* Close every inherited FD except the socket and the log, so a stray host
 * FD can never be reached from the gofer. */
static void close_other_fds(int fd1, int fd2)
{
	int keep[2] = {MIN(fd1, fd2), MAX(fd1, fd2)};
	unsigned int from = 3;

	for (int i = 0; i < 2; i++) {
		/* Skip -1 (no log FD), 0..2 and a duplicate. */
		if (keep[i] < (int)from)
			continue;
		if ((unsigned int)keep[i] > from)
			close_range(from, keep[i] - 1, 0);
		from = keep[i] + 1;
	}
	close_range(from, ~0u, 0);
}

static int setup(struct gofer_args *a, struct gofer_mount *mounts, int *proc_fd)
{
	int err;

	prctl(PR_SET_NAME, "moat-gofer", 0, 0, 0);
	/* Die with the supervisor instead of serving an orphaned socket. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return neg_errno();
	close_other_fds(a->sock_fd, a->log_fd);
	err = gofer_confine_mounts(a->paths, a->readonly, a->nmounts, mounts,
				   proc_fd);
	if (err)
		return err;
	err = gofer_drop_caps();
	if (err)
		return err;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return neg_errno();
	return gofer_install_seccomp(a->sock_fd);
}

int gofer_main(int argc, char **argv)
{
	struct gofer_mount mounts[GOFER_MAX_MOUNTS];
	struct gofer_args a;
	int proc_fd = -1;
	int err;

	err = parse_args(&a, argc, argv);
	if (err)
		return 2;
	log_init("gofer", a.log_fd);
	log_info("starting with %u mounts, root %s (%s)", a.nmounts, a.paths[0],
		 a.readonly[0] ? "ro" : "rw");
	err = setup(&a, mounts, &proc_fd);
	if (err) {
		log_error("setup failed: %s", strerror(-err));
		return 1;
	}
	err = gofer_serve(a.sock_fd, proc_fd, mounts, a.nmounts);
	log_info("exiting: %s", err ? strerror(-err) : "done");
	return err ? 1 : 0;
}
