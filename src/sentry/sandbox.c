/* Creating the init process of the sandbox and running it to the end. */
#include "sentry/config.h"
#include "sentry/exec.h"
#include "sentry/fdtable.h"
#include "sentry/io.h"
#include "sentry/mm.h"
#include "sentry/signal.h"
#include "sentry/task.h"
#include "sentry/vfs.h"
#include "common/log.h"
#include "common/util.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define DEFAULT_PATH                                                           \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Signals the supervisor forwards; they go to the init process. */
static const int forwarded_signals[] = {SIGINT,	  SIGTERM, SIGHUP,
					SIGQUIT,  SIGUSR1, SIGUSR2,
					SIGWINCH, SIGCONT, SIGTSTP};

/* Forward a host signal into the sandbox. Signals a terminal generates
 * (Ctrl-C, Ctrl-\\, Ctrl-Z, a resize) go to the guest's foreground
 * process group, as the host kernel sends them to the host's. The rest go
 * to the init process, like a container's stop signal. */
static void forward_signal(int sig)
{
	siginfo_t si;
	pid_t pgrp;

	if (sig != SIGINT && sig != SIGQUIT && sig != SIGTSTP &&
	    sig != SIGWINCH) {
		log_debug("forwarding host signal %d to init", sig);
		send_signal_to_tg(init_tg, sig);
		return;
	}
	pgrp = tty_foreground_group();
	if (pgrp <= 0)
		pgrp = init_tg->pgid;
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = SI_KERNEL;
	log_debug("forwarding host signal %d to process group %d", sig, pgrp);
	if (kill_pgrp(init_tg->leader, pgrp, sig, &si) < 0)
		send_signal_to_tg(init_tg, sig);
}

static void *forward_signals_thread(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded_signals); i++)
		sigaddset(&set, forwarded_signals[i]);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);
		if (sig <= 0)
			continue;
		forward_signal(sig);
	}
	return NULL;
}

static void start_signal_forwarding(void)
{
	pthread_t th;

	pthread_create(&th, NULL, forward_signals_thread, NULL);
	pthread_detach(th);
}

static void init_creds(struct task *t)
{
	memset(&t->cred, 0, sizeof(t->cred));
	t->cred.cap_effective = ~0ULL;
}

rlim_t sentry_caller_nofile(void);

static void init_rlimits(struct thread_group *tg)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		getrlimit(i, &tg->rlim[i]);
	/* The sentry raised its own FD limit for memfds; the guest gets the
	 * caller's soft limit, saved before that. */
	tg->rlim[RLIMIT_NOFILE].rlim_cur = sentry_caller_nofile();
}

static const char *env_path(char **envp)
{
	for (char **e = envp; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			return *e + 5;
	return DEFAULT_PATH;
}

/* Like execvp: a file that is executable but no binary format (no #!
 * line) is run by /bin/sh. */
static int exec_or_shell(struct task *t, const char *path, char **argv,
			 char **envp)
{
	int argc = 0, err;
	char **sh_argv;

	err = do_execve(t, AT_FDCWD, path, argv, envp, 0);
	if (err != -ENOEXEC)
		return err;
	while (argv[argc])
		argc++;
	sh_argv = xcalloc(argc + 2, sizeof(char *));
	sh_argv[0] = "/bin/sh";
	sh_argv[1] = (char *)path;
	for (int i = 1; i < argc; i++)
		sh_argv[i + 1] = argv[i];
	err = do_execve(t, AT_FDCWD, "/bin/sh", sh_argv, envp, 0);
	free(sh_argv);
	return err ? -ENOEXEC : 0;
}

/* Run the command like execvp: search PATH when it has no slash. */
static int exec_init(struct task *t, char **argv, char **envp)
{
	const char *name = argv[0];
	const char *path;
	int err = -ENOENT, first_err = 0;

	if (strchr(name, '/'))
		return exec_or_shell(t, name, argv, envp);
	path = env_path(envp);
	while (*path || path[-1] == ':') {
		const char *end = strchrnul(path, ':');
		char full[4096];
		size_t dirlen = end - path;

		snprintf(full, sizeof(full), "%.*s%s%s", (int)dirlen, path,
			 dirlen ? "/" : "", name);
		err = exec_or_shell(t, full, argv, envp);
		if (err == 0)
			return 0;
		if (err != -ENOENT && err != -ENOTDIR && !first_err)
			first_err = err;
		if (!*end)
			break;
		path = end + 1;
	}
	return first_err ? first_err : err;
}

static struct task *create_init(const struct sentry_config *cfg,
				struct path *root)
{
	struct task *t = task_alloc();
	struct path cwd;
	mode_t mask = umask(022);
	int err;

	umask(mask);
	pthread_mutex_lock(&tasklist_lock);
	pid_alloc(t);
	init_tg = thread_group_alloc(t);
	init_tg->pgid = init_tg->sid = t->tid;
	pthread_mutex_unlock(&tasklist_lock);
	init_rlimits(init_tg);
	init_creds(t);
	t->fs = fs_struct_create(root);
	t->fs->umask = mask;
	t->files = fdtable_create();
	t->sighand = sighand_create();
	t->altstack.ss_flags = SS_DISABLE;
	t->thread = pthread_self();
	snprintf(t->comm, sizeof(t->comm), "init");
	current = t;

	err = io_install_stdio(t->files);
	if (err)
		log_warn("cannot set up standard FDs: %s", strerror(-err));
	err = vfs_lookup(t, AT_FDCWD, cfg->cwd, 0, &cwd);
	if (err) {
		fprintf(stderr,
			"moat: working directory %s not found in the sandbox: "
			"%s; pass an existing directory with --cwd\n",
			cfg->cwd, strerror(-err));
		return NULL;
	}
	path_put(&t->fs->pwd);
	t->fs->pwd = cwd;
	return t;
}

static int exit_code_of(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	return 128 + WTERMSIG(wstatus);
}

int sandbox_run(const struct sentry_config *cfg)
{
	struct path root;
	struct task *t;
	int err, code;

	err = vfs_init(cfg, &root);
	if (err) {
		fprintf(stderr,
			"moat: cannot set up the sandbox file system: "
			"%s\n",
			strerror(-err));
		return 125;
	}
	t = create_init(cfg, &root);
	if (!t)
		return 125;
	err = exec_init(t, cfg->argv, cfg->envp);
	if (err) {
		fprintf(stderr, "moat: %s: %s\n", cfg->argv[0], strerror(-err));
		return err == -ENOENT ? 127 : 126;
	}
	__atomic_store_n(&t->stub_tid, platform_current_tid(),
			 __ATOMIC_SEQ_CST);
	start_signal_forwarding();
	task_loop(t);
	/* This thread ran the first task, which may have ended before its
	 * process: another thread of init may have exec'd. Wait for the
	 * whole init process. */
	pthread_mutex_lock(&tasklist_lock);
	while (!init_tg->exited)
		pthread_cond_wait(&tasklist_cond, &tasklist_lock);
	pthread_mutex_unlock(&tasklist_lock);
	code = exit_code_of(init_tg->exit_status);
	log_info("init exited with status %d", code);
	/* Ending the process ends every task thread, and with their tracer
	 * threads gone the stubs die too (PTRACE_O_EXITKILL). */
	_exit(code);
}
