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
		log_debug("forwarding host signal %d to init", sig);
		send_signal_to_tg(init_tg, sig);
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

static void init_rlimits(struct thread_group *tg)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		getrlimit(i, &tg->rlim[i]);
	/* The sentry raised its own FD limit; the guest sees Linux's
	 * default soft limit. */
	if (tg->rlim[RLIMIT_NOFILE].rlim_cur > 1024)
		tg->rlim[RLIMIT_NOFILE].rlim_cur = 1024;
}

static const char *env_path(char **envp)
{
	for (char **e = envp; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			return *e + 5;
	return DEFAULT_PATH;
}

/* Run the command like execvp: search PATH when it has no slash. */
static int exec_init(struct task *t, char **argv, char **envp)
{
	const char *name = argv[0];
	const char *path;
	int err = -ENOENT, first_err = 0;

	if (strchr(name, '/'))
		return do_execve(t, AT_FDCWD, name, argv, envp, 0);
	path = env_path(envp);
	while (*path || path[-1] == ':') {
		const char *end = strchrnul(path, ':');
		char full[4096];
		size_t dirlen = end - path;

		snprintf(full, sizeof(full), "%.*s%s%s", (int)dirlen, path,
			 dirlen ? "/" : "", name);
		err = do_execve(t, AT_FDCWD, full, argv, envp, 0);
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
	t->stub_tid = platform_current_tid();
	start_signal_forwarding();
	task_loop(t);
	code = exit_code_of(init_tg->exit_status);
	log_info("init exited with status %d", code);
	/* Ending the process ends every task thread, and with their tracer
	 * threads gone the stubs die too (PTRACE_O_EXITKILL). */
	_exit(code);
}
