/* The sentry's seccomp filter and sentry_confine(), each run in a forked
 * child: allowed syscalls work, forbidden ones kill the child with SIGSYS. */
#include "sentry/confine.h"
#include "sentry/seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
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

/* Exit codes of a child that survived, to tell the steps apart. */
#define CHILD_OK	   0
#define CHILD_SETUP_FAILED 70
#define CHILD_CALL_FAILED  71

static int probe_write(void)
{
	return write(1, "", 0) == 0 ? 0 : -1;
}

static int probe_openat(void)
{
	return openat(AT_FDCWD, "/", O_RDONLY);
}

static int probe_open_syscall(void)
{
	return syscall(SYS_open, "/", O_RDONLY);
}

static int probe_execve(void)
{
	char *argv[] = {"/bin/true", NULL};

	return execve("/bin/true", argv, argv + 1);
}

static int probe_socket_inet(void)
{
	return socket(AF_INET, SOCK_STREAM, 0);
}

static int probe_socketpair_unix(void)
{
	int sv[2];

	return socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
}

static int probe_socketpair_inet(void)
{
	int sv[2];

	return socketpair(AF_INET, SOCK_STREAM, 0, sv);
}

static int probe_fstat(void)
{
	struct stat st;

	return fstat(1, &st);
}

static int probe_stat_path(void)
{
	struct stat st;

	return fstatat(AT_FDCWD, "/", &st, 0);
}

static int probe_clone3_enosys(void)
{
	long r = syscall(SYS_clone3, NULL, 0);

	return r == -1 && errno == ENOSYS ? 0 : -1;
}

static int probe_fork(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int probe_clone_newuser(void)
{
	return syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, 0);
}

static int probe_ioctl_fionread(void)
{
	int fds[2], n;

	if (pipe(fds) < 0)
		return -1;
	return ioctl(fds[0], FIONREAD, &n);
}

static int probe_ioctl_tiocsti(void)
{
	char c = 'x';

	return ioctl(0, TIOCSTI, &c);
}

static int probe_prctl_set_name(void)
{
	return prctl(PR_SET_NAME, "probe");
}

static int probe_prctl_set_mm(void)
{
	return prctl(PR_SET_MM, 0, 0, 0, 0);
}

static int probe_prlimit_other_pid(void)
{
	struct rlimit rl;

	return prlimit(1, RLIMIT_NOFILE, NULL, &rl);
}

static int probe_sched_setaffinity(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return -1;
	return sched_setaffinity(0, sizeof(set), &set);
}

static int probe_getcpu(void)
{
	unsigned cpu, node;

	/* The system call itself, not glibc's vDSO shortcut. */
	return syscall(SYS_getcpu, &cpu, &node, NULL) < 0 ? -1 : 0;
}

/* A filter that allows everything: adding it may only restrict. */
static int probe_prctl_set_seccomp(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = {.len = 1, .filter = &allow};

	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

static int probe_umask(void)
{
	umask(022);
	return 0;
}

static int probe_mount(void)
{
	return mount("none", "/", "tmpfs", 0, NULL);
}

struct probe {
	const char *name;
	int (*call)(void);
	bool allowed; /* false: the filter must kill the child */
};

static const struct probe probes[] = {
    {"write", probe_write, true},
    {"openat", probe_openat, false},
    {"open", probe_open_syscall, false},
    {"execve", probe_execve, false},
    {"socket(AF_INET)", probe_socket_inet, false},
    {"socketpair(AF_UNIX)", probe_socketpair_unix, true},
    {"socketpair(AF_INET)", probe_socketpair_inet, false},
    {"fstat", probe_fstat, true},
    {"fstatat without AT_EMPTY_PATH", probe_stat_path, false},
    {"clone3 returns ENOSYS", probe_clone3_enosys, true},
    {"fork", probe_fork, true},
    {"clone(CLONE_NEWUSER)", probe_clone_newuser, false},
    {"ioctl(FIONREAD)", probe_ioctl_fionread, true},
    {"ioctl(TIOCSTI)", probe_ioctl_tiocsti, false},
    {"prctl(PR_SET_NAME)", probe_prctl_set_name, true},
    {"prctl(PR_SET_MM)", probe_prctl_set_mm, false},
    {"prlimit64(pid 1)", probe_prlimit_other_pid, false},
    {"mount", probe_mount, false},
    {"sched_setaffinity", probe_sched_setaffinity, true},
    {"getcpu", probe_getcpu, true},
    {"prctl(PR_SET_SECCOMP)", probe_prctl_set_seccomp, true},
    {"umask", probe_umask, true},
};

static void run_probe(const struct probe *p)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		CHECK(0, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    sentry_seccomp_install() < 0)
			_exit(CHILD_SETUP_FAILED);
		_exit(p->call() < 0 ? CHILD_CALL_FAILED : CHILD_OK);
	}
	waitpid(pid, &status, 0);
	if (p->allowed) {
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_OK,
		      "%s must be allowed: child status 0x%x", p->name, status);
	} else {
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
		      "%s must kill with SIGSYS: child status 0x%x", p->name,
		      status);
	}
}

static void test_filter_exports(void)
{
	scmp_filter_ctx ctx;
	char path[] = "/tmp/moat-test-bpf-XXXXXX";
	int fd = mkstemp(path);
	struct stat st;

	CHECK(fd >= 0, "mkstemp: %s", strerror(errno));
	if (fd < 0)
		return;
	unlink(path);
	CHECK(sentry_seccomp_build(&ctx) == 0, "filter does not build");
	CHECK(seccomp_export_bpf(ctx, fd) == 0, "seccomp_export_bpf failed");
	CHECK(fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size % 8 == 0,
	      "exported BPF has size %lld", (long long)st.st_size);
	seccomp_release(ctx);
	close(fd);
}

/* sentry_confine() needs CAP_SYS_ADMIN for mount and pivot_root, so it
 * runs as root in a child with its own mount namespace. */
static void test_confine_empty_root(void)
{
	int status;
	pid_t pid;

	if (geteuid() != 0) {
		printf("SKIP sentry_confine test: not root\n");
		return;
	}
	pid = fork();
	if (pid == 0) {
		struct sentry_config cfg = {.test_hook = NULL};
		struct stat st;

		if (unshare(CLONE_NEWNS) < 0)
			_exit(CHILD_SETUP_FAILED);
		if (sentry_confine(&cfg) < 0)
			_exit(CHILD_SETUP_FAILED);
		/* The root is the empty tmpfs: /bin no longer exists. */
		if (fstatat(AT_FDCWD, "/bin", &st, AT_EMPTY_PATH) == 0 ||
		    errno != ENOENT)
			_exit(CHILD_CALL_FAILED);
		openat(AT_FDCWD, "/", O_RDONLY);
		_exit(CHILD_OK);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
	      "confined child must die from openat: status 0x%x", status);
}

/* The real hook path: sentry_confine() itself calls openat and dies. */
static void test_confine_runs_test_hook(void)
{
	int status;
	pid_t pid;

	if (geteuid() != 0)
		return;
	pid = fork();
	if (pid == 0) {
		struct sentry_config cfg = {.test_hook = "sentry-openat"};

		if (unshare(CLONE_NEWNS) < 0)
			_exit(CHILD_SETUP_FAILED);
		sentry_confine(&cfg);
		_exit(CHILD_OK);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
	      "sentry-openat hook must kill with SIGSYS: status 0x%x", status);
}

int main(void)
{
	test_filter_exports();
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		run_probe(&probes[i]);
	test_confine_empty_root();
	test_confine_runs_test_hook();
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	return 0;
}
