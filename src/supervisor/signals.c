#include "supervisor/signals.h"
#include "common/log.h"
#include "common/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

/* Signals a user sends to stop or notify the program in the sandbox. */
static const int forwarded_signals[] = {
    SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT,
};

static void waited_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded_signals); i++)
		sigaddset(set, forwarded_signals[i]);
	sigaddset(set, SIGCHLD);
}

int signals_block(void)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	sigset_t set;

	/* An inherited SIG_IGN for SIGCHLD would make the kernel reap the
	 * children before we can read their exit status. */
	if (sigaction(SIGCHLD, &dfl, NULL) < 0)
		return neg_errno();
	waited_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return neg_errno();
	return 0;
}

void signals_reset_child(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void forward_signal(const struct sandbox *sb, const siginfo_t *info)
{
	/* The terminal sends SIGINT, SIGQUIT, SIGWINCH... to the whole
	 * foreground process group (si_code SI_KERNEL), which the sentry
	 * shares with us: it already has the signal. */
	if (info->si_code == SI_KERNEL) {
		log_debug("signal %d came from the terminal; not forwarded",
			  info->si_signo);
		return;
	}
	log_debug("forwarding signal %d from pid %d to the sentry (pid %d)",
		  info->si_signo, (int)info->si_pid, (int)sb->sentry_pid);
	if (kill(sb->sentry_pid, info->si_signo) < 0 && errno != ESRCH)
		log_warn("cannot forward signal %d to the sentry (pid %d): %s",
			 info->si_signo, (int)sb->sentry_pid, strerror(errno));
}

static void describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d",
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "changed state (status 0x%x)", status);
}

/* Reap every exited child. Returns true once the sentry has exited, with
 * its wait status in *sentry_status. */
static bool reap_children(struct sandbox *sb, int *sentry_status)
{
	bool sentry_done = false;
	char what[96];
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		describe_status(status, what, sizeof(what));
		if (pid == sb->sentry_pid) {
			log_info("sentry (pid %d) %s", (int)pid, what);
			sb->sentry_pid = -1;
			*sentry_status = status;
			sentry_done = true;
		} else if (pid == sb->gofer_pid) {
			/* Status 0 means the gofer saw the sentry close its
			 * socket, so the sentry is exiting too and the two
			 * exits may be reaped in either order. Otherwise the
			 * sentry reads EOF on the gofer socket and fails its
			 * file operations; it decides whether to exit. */
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				log_debug("gofer (pid %d) %s", (int)pid, what);
			else
				log_warn("gofer (pid %d) %s before the sentry",
					 (int)pid, what);
			sb->gofer_pid = -1;
		} else {
			log_debug("reaped unknown child pid %d, which %s",
				  (int)pid, what);
		}
	}
	return sentry_done;
}

static void stop_gofer(struct sandbox *sb)
{
	int status;

	if (sb->gofer_pid < 0)
		return;
	if (kill(sb->gofer_pid, SIGKILL) < 0)
		log_warn("cannot kill the gofer (pid %d): %s",
			 (int)sb->gofer_pid, strerror(errno));
	while (waitpid(sb->gofer_pid, &status, 0) < 0 && errno == EINTR)
		;
	log_debug("gofer (pid %d) stopped", (int)sb->gofer_pid);
	sb->gofer_pid = -1;
}

static int exit_status_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "moat: sandbox kernel killed by signal %d\n",
			WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return 125;
}

int signals_wait(struct sandbox *sb)
{
	int sentry_status = 0;
	siginfo_t info;
	sigset_t set;

	waited_set(&set);
	for (;;) {
		if (sigwaitinfo(&set, &info) < 0) {
			if (errno == EINTR)
				continue;
			/* Cannot happen with a valid set; end the sandbox
			 * rather than spin. */
			log_error("sigwaitinfo failed: %s; killing the sentry",
				  strerror(errno));
			kill(sb->sentry_pid, SIGKILL);
			waitpid(sb->sentry_pid, &sentry_status, 0);
			sb->sentry_pid = -1;
			break;
		}
		if (info.si_signo != SIGCHLD) {
			forward_signal(sb, &info);
			continue;
		}
		if (reap_children(sb, &sentry_status))
			break;
	}
	stop_gofer(sb);
	return exit_status_of(sentry_status);
}
