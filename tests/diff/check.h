/* Helpers shared by the differential tests. Each test runs natively and
 * under moat, and tests/run-all compares stdout, stderr and exit status, so
 * everything printed here must be deterministic: return values and errno
 * names only, never PIDs, addresses, times or inode numbers.
 *
 * A test may set its build flags on a line of the form
 *   // build: -static
 * which tests/run-all appends to "gcc -O2". */
#ifndef MOAT_TESTS_DIFF_CHECK_H
#define MOAT_TESTS_DIFF_CHECK_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static inline const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

/* Print "EXPR = RET", plus the errno name when RET is -1. */
static inline long check_report(const char *expr, long ret, int err)
{
	if (ret == -1)
		printf("%s = -1 errno=%s\n", expr, errno_name(err));
	else
		printf("%s = %ld\n", expr, ret);
	return ret;
}

/* Evaluate EXPR with errno cleared and print its integer result. */
#define CHECK(expr)                                                            \
	({                                                                     \
		errno = 0;                                                     \
		long check_ret_ = (long)(expr);                                \
		check_report(#expr, check_ret_, errno);                        \
	})

/* Like CHECK, but only print whether EXPR succeeded (returned >= 0), for
 * results such as fd numbers or sizes that may differ between runs. */
#define CHECK_OK(expr)                                                         \
	({                                                                     \
		errno = 0;                                                     \
		long check_ret_ = (long)(expr);                                \
		if (check_ret_ < 0)                                            \
			printf("%s = -1 errno=%s\n", #expr,                    \
			       errno_name(errno));                             \
		else                                                           \
			printf("%s = ok\n", #expr);                            \
		check_ret_;                                                    \
	})

/* Evaluate a pointer-returning EXPR and print "ok" or the failure value. */
#define CHECK_PTR(expr, failure)                                               \
	({                                                                     \
		errno = 0;                                                     \
		void *check_ptr_ = (void *)(expr);                             \
		if (check_ptr_ == (void *)(failure))                           \
			printf("%s = %s errno=%s\n", #expr, #failure,          \
			       errno_name(errno));                             \
		else                                                           \
			printf("%s = ok\n", #expr);                            \
		check_ptr_;                                                    \
	})

/* Print a boolean fact, for comparisons whose operands are host-specific. */
#define EXPECT(cond) printf("%s: %s\n", #cond, (cond) ? "yes" : "no")

#define SAY(...) printf(__VA_ARGS__)

static inline void die(const char *what)
{
	printf("fatal: %s: %s\n", what, errno_name(errno));
	exit(99);
}

static char test_tmpdir[64];
static pid_t test_tmpdir_owner;

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void remove_tmpdir(void)
{
	/* Forked children that call exit() must not remove the parent's
	 * directory. */
	if (test_tmpdir[0] && getpid() == test_tmpdir_owner) {
		chdir("/");
		chmod(test_tmpdir, 0700);
		nftw(test_tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
}

/* Create a private directory under /tmp, chdir into it and remove it at
 * exit. Tests print only names relative to it. */
static inline void enter_tmpdir(void)
{
	strcpy(test_tmpdir, "/tmp/moat-test-XXXXXX");
	if (!mkdtemp(test_tmpdir))
		die("mkdtemp");
	if (chdir(test_tmpdir) < 0)
		die("chdir tmpdir");
	test_tmpdir_owner = getpid();
	atexit(remove_tmpdir);
}

/* Write a whole file, for test setup. */
static inline void write_file(const char *path, const char *data, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		die(path);
	if (write(fd, data, strlen(data)) != (ssize_t)strlen(data))
		die("write_file");
	close(fd);
}

/* Print how a child ended, without its PID. */
static inline void print_status(const char *what, int status)
{
	if (WIFEXITED(status))
		printf("%s: exited %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by %s\n", what, sigabbrev_np(WTERMSIG(status)));
	else if (WIFSTOPPED(status))
		printf("%s: stopped by %s\n", what, sigabbrev_np(WSTOPSIG(status)));
	else if (WIFCONTINUED(status))
		printf("%s: continued\n", what);
	else
		printf("%s: status 0x%x\n", what, status);
}

/* Wait for PID and print how it ended. */
static inline void wait_and_print(pid_t pid, const char *what)
{
	int status = 0;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	print_status(what, status);
}

/* Close every inherited descriptor above stderr so fd numbers are the same
 * natively and under moat, and flush stdout per line so output written
 * before fork() is not duplicated. */
__attribute__((constructor)) static void check_setup(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (syscall(SYS_close_range, 3U, ~0U, 0) < 0) {
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
	}
}

#endif
