#include "supervisor/launch.h"
#include "supervisor/args.h"
#include "supervisor/namespaces.h"
#include "supervisor/signals.h"
#include "supervisor/strv.h"
#include "common/log.h"
#include "common/util.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Setup of a new child between clone and execve. */
struct child_spec {
	const char *role; /* "sentry" or "gofer", for messages */
	const char *comm; /* process name set with PR_SET_NAME */
	char **argv;
	char **envp;
	int keep_fds[4];      /* FDs >= 3 the child keeps; -1: unused */
	int exe_fd;	      /* O_PATH FD of our own binary */
	int parent_pidfd;     /* pidfd of the supervisor, or -1 */
	int devnull;	      /* replaces stdin and stdout, or -1 */
	bool new_session;     /* detach from the terminal */
	const char *hostname; /* set in a new UTS namespace, or NULL */
	const char *domainname;
};

/* Everything sandbox_start() opens; closed by launch_state_close(). */
struct launch_state {
	int exe_fd;
	int devnull;
	int parent_pidfd;
	int sock[2]; /* [0]: the gofer's end, [1]: the sentry's end */
	int exec_fd; /* memfd with the guest's command and environment */
	char hostname[HOST_NAME_MAX + 1];
	char domainname[HOST_NAME_MAX + 1];
	char **child_env;
	char **guest_env;
	char **gofer_argv;
	char **sentry_argv;
};

_Noreturn static void child_fail(const struct child_spec *c, const char *what)
{
	dprintf(2, "moat: cannot start the %s: %s: %s\n", c->role, what,
		strerror(errno));
	_exit(MOAT_EXIT_ERROR);
}

/* Return true if the supervisor has already exited, in which case
 * PR_SET_PDEATHSIG came too late to fire. */
static bool parent_exited(int pidfd)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};

	return pidfd >= 0 && poll(&p, 1, 0) > 0;
}

_Noreturn static void run_child(const struct child_spec *c)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		child_fail(c, "prctl(PR_SET_PDEATHSIG)");
	if (parent_exited(c->parent_pidfd))
		_exit(MOAT_EXIT_ERROR);
	prctl(PR_SET_NAME, c->comm);

	if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0)
		child_fail(c, "sethostname");
	if (c->domainname &&
	    setdomainname(c->domainname, strlen(c->domainname)) < 0)
		child_fail(c, "setdomainname");
	if (c->new_session && setsid() < 0)
		child_fail(c, "setsid");
	if (c->devnull >= 0 &&
	    (dup2(c->devnull, 0) < 0 || dup2(c->devnull, 1) < 0))
		child_fail(c, "dup2(/dev/null)");

	/* Keep only stdio and the listed FDs across execve(). */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		child_fail(c, "close_range");
	for (size_t i = 0; i < ARRAY_SIZE(c->keep_fds); i++) {
		if (c->keep_fds[i] >= 0 &&
		    fcntl(c->keep_fds[i], F_SETFD, 0) < 0)
			child_fail(c, "fcntl(F_SETFD)");
	}

	signals_reset_child();
	syscall(SYS_execveat, c->exe_fd, "", c->argv, c->envp, AT_EMPTY_PATH);
	child_fail(c, "execveat(/proc/self/exe)");
}

static int start_child(const struct child_spec *c, unsigned long flags,
		       pid_t *pid)
{
	pid_t r = clone_process(flags);

	if (r == 0)
		run_child(c);
	if (r < 0)
		return r;
	*pid = r;
	return 0;
}

static void log_argv(const char *role, char **argv)
{
	char buf[900];
	size_t n = 0;

	buf[0] = '\0';
	for (char **a = argv; *a && n < sizeof(buf); a++)
		n += snprintf(buf + n, sizeof(buf) - n, " %s", *a);
	log_debug("%s command line:%s", role, buf);
}

static int open_resources(struct launch_state *st, char *err, size_t errlen)
{
	st->exe_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (st->exe_fd < 0) {
		snprintf(err, errlen,
			 "cannot open /proc/self/exe to start the sandbox "
			 "processes: %s (is /proc mounted?)",
			 strerror(errno));
		return neg_errno();
	}
	st->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (st->devnull < 0) {
		snprintf(err, errlen, "cannot open /dev/null: %s",
			 strerror(errno));
		return neg_errno();
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, st->sock) <
	    0) {
		snprintf(err, errlen, "cannot create the gofer socket pair: %s",
			 strerror(errno));
		return neg_errno();
	}
	/* Only closes the PR_SET_PDEATHSIG race, so a kernel without
	 * pidfd_open (before 5.3) just keeps the race. */
	st->parent_pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	if (gethostname(st->hostname, sizeof(st->hostname)) < 0 ||
	    getdomainname(st->domainname, sizeof(st->domainname)) < 0) {
		snprintf(err, errlen, "cannot read the host name: %s",
			 strerror(errno));
		return neg_errno();
	}
	return 0;
}

static void launch_state_close(struct launch_state *st)
{
	int *fds[] = {&st->exe_fd,  &st->devnull, &st->parent_pidfd,
		      &st->sock[0], &st->sock[1], &st->exec_fd};

	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		close_fdp(fds[i]);
	strv_free(st->child_env);
	strv_free(st->guest_env);
	strv_free(st->gofer_argv);
	strv_free(st->sentry_argv);
}

static int build_command_lines(struct launch_state *st,
			       const struct cli_options *opts, int log_fd,
			       int strace_fd, char *err, size_t errlen)
{
	struct child_fds fds = {
	    .gofer_sock = st->sock[0],
	    .sentry_sock = st->sock[1],
	    .log = log_fd,
	    .strace = strace_fd,
	};
	int r;
	_cleanup_free_ char *cwd = NULL;

	if (opts->cwd) {
		cwd = xstrdup(opts->cwd);
	} else if (opts->rootfs && strcmp(opts->rootfs, "/") != 0) {
		/* The caller's directory means nothing in another root. */
		cwd = xstrdup("/");
	} else {
		cwd = getcwd(NULL, 0);
		if (!cwd) {
			log_warn("cannot read the current directory (%s); "
				 "the guest starts in /",
				 strerror(errno));
			cwd = xstrdup("/");
		}
	}
	st->guest_env = build_guest_env(environ, opts->env, opts->nenv);
	r = create_exec_memfd(opts->command, st->guest_env, err, errlen);
	if (r < 0)
		return r;
	st->exec_fd = r;
	fds.exec = st->exec_fd;
	st->child_env = build_child_env();
	st->gofer_argv = build_gofer_argv(opts, &fds);
	st->sentry_argv = build_sentry_argv(opts, &fds, cwd);
	log_argv("gofer", st->gofer_argv);
	log_argv("sentry", st->sentry_argv);
	return 0;
}

int sandbox_start(const struct cli_options *opts, int log_fd, int strace_fd,
		  struct sandbox *sb, char *err, size_t errlen)
{
	struct launch_state st = {
	    .exe_fd = -1,
	    .devnull = -1,
	    .parent_pidfd = -1,
	    .sock = {-1, -1},
	    .exec_fd = -1,
	};
	struct child_spec gofer = {
	    .role = "gofer",
	    .comm = "moat-gofer",
	    .new_session = true,
	};
	struct child_spec sentry = {
	    .role = "sentry",
	    .comm = "moat-sentry",
	    .devnull = -1,
	};
	int r;

	sb->gofer_pid = -1;
	sb->sentry_pid = -1;
	r = open_resources(&st, err, errlen);
	if (r < 0)
		goto out_close;
	r = build_command_lines(&st, opts, log_fd, strace_fd, err, errlen);
	if (r < 0)
		goto out_close;

	gofer.argv = st.gofer_argv;
	gofer.envp = st.child_env;
	gofer.exe_fd = st.exe_fd;
	gofer.parent_pidfd = st.parent_pidfd;
	gofer.devnull = st.devnull;
	gofer.keep_fds[0] = st.sock[0];
	gofer.keep_fds[1] = log_fd;
	gofer.keep_fds[2] = -1;
	gofer.keep_fds[3] = -1;
	r = start_child(&gofer, GOFER_CLONE_FLAGS, &sb->gofer_pid);
	if (r < 0) {
		snprintf(err, errlen, "cannot start the gofer: clone: %s",
			 strerror(-r));
		goto out_close;
	}
	log_info("started the gofer (pid %d)", (int)sb->gofer_pid);

	sentry.argv = st.sentry_argv;
	sentry.envp = st.child_env;
	sentry.exe_fd = st.exe_fd;
	sentry.parent_pidfd = st.parent_pidfd;
	sentry.hostname = st.hostname;
	sentry.domainname = st.domainname;
	sentry.keep_fds[0] = st.sock[1];
	sentry.keep_fds[1] = log_fd;
	sentry.keep_fds[2] = strace_fd;
	sentry.keep_fds[3] = st.exec_fd;
	r = start_child(&sentry, SENTRY_CLONE_FLAGS, &sb->sentry_pid);
	if (r < 0) {
		snprintf(err, errlen, "cannot start the sentry: clone: %s",
			 strerror(-r));
		goto out_kill_gofer;
	}
	log_info("started the sentry (pid %d)", (int)sb->sentry_pid);
	r = 0;
	goto out_close;

out_kill_gofer:
	kill(sb->gofer_pid, SIGKILL);
	waitpid(sb->gofer_pid, NULL, 0);
	sb->gofer_pid = -1;
out_close:
	launch_state_close(&st);
	return r;
}
