/* Unit tests of strace's line formatting, run against a fake guest
 * memory: flag decoding, string escaping and truncation, results and
 * whole lines. */
#include "sentry/errno_names.h"
#include "sentry/strace.h"
#include "sentry/syscall.h"
#include "sentry/syscall_info.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sched.h>

#include "unit_check.h"

/* Compare the text in b with expected, printing both on a mismatch. */
#define CHECK_TEXT(b, expected)                                                \
	do {                                                                   \
		if (strcmp((b)->data, (expected)) != 0) {                      \
			fprintf(stderr, "%s:%d: expected\n  %s\ngot\n  %s\n",  \
				__FILE__, __LINE__, (expected), (b)->data);    \
			failures++;                                            \
		}                                                              \
	} while (0)

/* Guest memory: GUEST_SIZE bytes at GUEST_BASE; anything else faults. */
#define GUEST_BASE 0x10000ULL
#define GUEST_SIZE 8192
static char guest[GUEST_SIZE];

static bool in_guest(uint64_t addr, size_t len)
{
	return addr >= GUEST_BASE && len <= GUEST_SIZE &&
	       addr - GUEST_BASE <= GUEST_SIZE - len;
}

static int fake_read(void *ctx, void *dst, uint64_t addr, size_t len)
{
	if (!in_guest(addr, len))
		return -EFAULT;
	memcpy(dst, guest + (addr - GUEST_BASE), len);
	return 0;
}

static long fake_read_string(void *ctx, char *dst, uint64_t addr, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		if (!in_guest(addr + i, 1))
			return -EFAULT;
		dst[i] = guest[addr - GUEST_BASE + i];
		if (!dst[i])
			return i;
	}
	return -ENAMETOOLONG;
}

static const struct strace_mem mem = {
    .read_string = fake_read_string,
    .read = fake_read,
};

/* Copy len bytes to guest offset off and return their guest address. */
static uint64_t put(size_t off, const void *data, size_t len)
{
	memcpy(guest + off, data, len);
	return GUEST_BASE + off;
}

static uint64_t put_str(size_t off, const char *s)
{
	return put(off, s, strlen(s) + 1);
}

static struct strace_buf b;

static void test_open_flags(void)
{
	strace_buf_init(&b);
	strace_format_open_flags(&b, O_RDONLY | O_CLOEXEC);
	CHECK_TEXT(&b, "O_RDONLY|O_CLOEXEC");

	strace_buf_init(&b);
	strace_format_open_flags(&b, O_WRONLY | O_CREAT | O_TRUNC);
	CHECK_TEXT(&b, "O_WRONLY|O_CREAT|O_TRUNC");

	strace_buf_init(&b);
	strace_format_open_flags(&b, O_RDWR | O_TMPFILE);
	CHECK_TEXT(&b, "O_RDWR|O_TMPFILE");

	strace_buf_init(&b);
	strace_format_open_flags(&b, O_RDONLY | O_SYNC);
	CHECK_TEXT(&b, "O_RDONLY|O_SYNC");

	strace_buf_init(&b);
	strace_format_open_flags(&b, O_RDONLY | 0100000 | 0x40000000);
	CHECK_TEXT(&b, "O_RDONLY|O_LARGEFILE|0x40000000");
}

static void test_mmap_decoding(void)
{
	strace_buf_init(&b);
	strace_format_prot(&b, PROT_READ | PROT_WRITE);
	CHECK_TEXT(&b, "PROT_READ|PROT_WRITE");

	strace_buf_init(&b);
	strace_format_prot(&b, 0);
	CHECK_TEXT(&b, "PROT_NONE");

	strace_buf_init(&b);
	strace_format_mmap_flags(&b, MAP_PRIVATE | MAP_ANONYMOUS);
	CHECK_TEXT(&b, "MAP_PRIVATE|MAP_ANONYMOUS");

	strace_buf_init(&b);
	strace_format_mmap_flags(&b, MAP_SHARED | MAP_FIXED);
	CHECK_TEXT(&b, "MAP_SHARED|MAP_FIXED");
}

static void test_misc_flags(void)
{
	strace_buf_init(&b);
	strace_format_at_flags(&b, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
	CHECK_TEXT(&b, "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH");

	strace_buf_init(&b);
	strace_format_at_flags(&b, 0);
	CHECK_TEXT(&b, "0");

	strace_buf_init(&b);
	strace_format_clone_flags(&b, CLONE_CHILD_CLEARTID |
					  CLONE_CHILD_SETTID | SIGCHLD);
	CHECK_TEXT(&b, "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");

	strace_buf_init(&b);
	strace_format_clone_flags(&b, CLONE_VM | CLONE_FS | CLONE_FILES |
					  CLONE_SIGHAND | CLONE_THREAD);
	CHECK_TEXT(&b, "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|"
		       "CLONE_THREAD");

	strace_buf_init(&b);
	strace_format_access_mode(&b, R_OK | X_OK);
	CHECK_TEXT(&b, "R_OK|X_OK");

	strace_buf_init(&b);
	strace_format_access_mode(&b, F_OK);
	CHECK_TEXT(&b, "F_OK");

	strace_buf_init(&b);
	strace_format_whence(&b, SEEK_END);
	CHECK_TEXT(&b, "SEEK_END");

	strace_buf_init(&b);
	strace_format_whence(&b, 9);
	CHECK_TEXT(&b, "9");

	strace_buf_init(&b);
	strace_format_mode(&b, 0644);
	CHECK_TEXT(&b, "0644");

	strace_buf_init(&b);
	strace_format_mode(&b, 0);
	CHECK_TEXT(&b, "000");

	strace_buf_init(&b);
	strace_format_mode(&b, S_IFCHR | 0600);
	CHECK_TEXT(&b, "S_IFCHR|0600");

	strace_buf_init(&b);
	strace_format_futex_op(&b, 128 /* FUTEX_WAIT | FUTEX_PRIVATE_FLAG */);
	CHECK_TEXT(&b, "FUTEX_WAIT_PRIVATE");

	strace_buf_init(&b);
	strace_format_fd_flags(&b, O_CLOEXEC | O_NONBLOCK);
	CHECK_TEXT(&b, "O_NONBLOCK|O_CLOEXEC");
}

static void test_signals(void)
{
	strace_buf_init(&b);
	strace_format_signal(&b, SIGTERM);
	CHECK_TEXT(&b, "SIGTERM");

	strace_buf_init(&b);
	strace_format_signal(&b, 34);
	CHECK_TEXT(&b, "SIGRT_2");

	strace_buf_init(&b);
	strace_format_signal(&b, 0);
	CHECK_TEXT(&b, "0");

	strace_buf_init(&b);
	strace_format_sigset(&b,
			     (1ULL << (SIGINT - 1)) | (1ULL << (SIGCHLD - 1)));
	CHECK_TEXT(&b, "[INT CHLD]");

	strace_buf_init(&b);
	strace_format_sigset(&b, 0);
	CHECK_TEXT(&b, "[]");

	strace_buf_init(&b);
	strace_format_sigset(
	    &b, ~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1))));
	CHECK_TEXT(&b, "~[KILL STOP]");
}

static void test_string_escaping(void)
{
	strace_buf_init(&b);
	strace_format_string(&b, "a\"b\\c\n\t", 7, false);
	CHECK_TEXT(&b, "\"a\\\"b\\\\c\\n\\t\"");

	/* A NUL before a digit needs three octal digits. */
	strace_buf_init(&b);
	strace_format_string(&b,
			     "\0"
			     "1\0x\377",
			     5, true);
	CHECK_TEXT(&b, "\"\\0001\\0x\\377\"...");
}

static void test_errno_names(void)
{
	CHECK(strcmp(errno_name(ENOENT), "ENOENT") == 0);
	CHECK(strcmp(errno_name(EAGAIN), "EAGAIN") == 0);
	CHECK(strcmp(errno_name(ERESTARTSYS), "ERESTARTSYS") == 0);
	CHECK(strcmp(errno_description(ENOENT), "No such file or directory") ==
	      0);
	CHECK(errno_name(0) == NULL);
	CHECK(errno_name(-5) == NULL);
	CHECK(errno_name(4000) == NULL);
	/* Every errno Linux defines on x86-64 has a name. */
	for (int e = 1; e <= EHWPOISON; e++) {
		if (e == 41 || e == 58) /* unused numbers */
			continue;
		if (!errno_name(e)) {
			fprintf(stderr, "errno %d has no name\n", e);
			failures++;
		}
	}
}

static void test_results(void)
{
	strace_buf_init(&b);
	strace_format_result(&b, __NR_read, -ENOENT);
	CHECK_TEXT(&b, "-1 ENOENT (No such file or directory)");

	strace_buf_init(&b);
	strace_format_result(&b, __NR_read, -ERESTARTSYS);
	CHECK_TEXT(&b, "? ERESTARTSYS (To be restarted if SA_RESTART is set)");

	strace_buf_init(&b);
	strace_format_result(&b, __NR_mmap, 0x7f0000001000L);
	CHECK_TEXT(&b, "0x7f0000001000");

	strace_buf_init(&b);
	strace_format_result(&b, __NR_umask, 022);
	CHECK_TEXT(&b, "022");

	strace_buf_init(&b);
	strace_format_result(&b, __NR_execve, SYSCALL_NORETURN_REGS);
	CHECK_TEXT(&b, "0");

	strace_buf_init(&b);
	strace_format_result(&b, __NR_rt_sigreturn, SYSCALL_NORETURN_REGS);
	CHECK_TEXT(&b, "?");
}

static void test_openat_line(void)
{
	uint64_t args[6] = {(uint64_t)AT_FDCWD, put_str(0, "/etc/passwd"),
			    O_RDONLY | O_CLOEXEC};

	strace_format_call(&b, 7, __NR_openat, args, 3, STRACE_WHOLE, &mem);
	CHECK_TEXT(&b, "[pid 7] openat(AT_FDCWD, \"/etc/passwd\", "
		       "O_RDONLY|O_CLOEXEC) = 3\n");

	strace_format_call(&b, 7, __NR_openat, args, -ENOENT, STRACE_WHOLE,
			   &mem);
	CHECK_TEXT(&b, "[pid 7] openat(AT_FDCWD, \"/etc/passwd\", "
		       "O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file "
		       "or directory)\n");

	/* The mode is shown only when the call can create a file. */
	args[2] = O_WRONLY | O_CREAT | O_EXCL;
	args[3] = 0600;
	strace_format_call(&b, 7, __NR_openat, args, 4, STRACE_WHOLE, &mem);
	CHECK_TEXT(&b, "[pid 7] openat(AT_FDCWD, \"/etc/passwd\", "
		       "O_WRONLY|O_CREAT|O_EXCL, 0600) = 4\n");
}

static void test_bad_pointer_line(void)
{
	uint64_t args[6] = {0xdead0000, 0x1234};

	strace_format_call(&b, 1, __NR_stat, args, -EFAULT, STRACE_WHOLE, &mem);
	CHECK_TEXT(&b, "[pid 1] stat(0xdead0000, 0x1234) = -1 EFAULT (Bad "
		       "address)\n");
}

static void test_read_write_lines(void)
{
	const char *text = "0123456789abcdefghijklmnopqrstuvwxyz";
	uint64_t buf = put(100, text, strlen(text));
	uint64_t rargs[6] = {3, buf, 4096};
	uint64_t wargs[6] = {1, buf, 5};

	strace_format_call(&b, 2, __NR_read, rargs, 36, STRACE_WHOLE, &mem);
	CHECK_TEXT(&b, "[pid 2] read(3, \"0123456789abcdefghijklmnopqrstuv\""
		       "..., 4096) = 36\n");

	/* A failed read shows the buffer's address only. */
	strace_format_call(&b, 2, __NR_read, rargs, -EAGAIN, STRACE_WHOLE,
			   &mem);
	CHECK_TEXT(&b, "[pid 2] read(3, 0x10064, 4096) = -1 EAGAIN (Resource "
		       "temporarily unavailable)\n");

	strace_format_call(&b, 2, __NR_write, wargs, 5, STRACE_WHOLE, &mem);
	CHECK_TEXT(&b, "[pid 2] write(1, \"01234\", 5) = 5\n");
}

static void test_long_string_truncated(void)
{
	char name[64];
	uint64_t args[6];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	args[0] = put_str(300, name);
	args[1] = 0;
	strace_format_call(&b, 4, __NR_memfd_create, args, 3, STRACE_WHOLE,
			   &mem);
	CHECK_TEXT(&b, "[pid 4] memfd_create(\"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		       "\"..., 0) = 3\n");
}

static void test_mmap_line(void)
{
	uint64_t args[6] = {0,
			    8192,
			    PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS,
			    (uint64_t)-1,
			    0};

	strace_format_call(&b, 5, __NR_mmap, args, 0x7f1234560000L,
			   STRACE_WHOLE, &mem);
	CHECK_TEXT(&b, "[pid 5] mmap(NULL, 8192, PROT_READ|PROT_WRITE, "
		       "MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1234560000\n");
}

static void test_execve_lines(void)
{
	uint64_t argv[3] = {put_str(500, "ls"), put_str(510, "-l"), 0};
	uint64_t envp[2] = {put_str(520, "A=1"), 0};
	uint64_t args[6] = {put_str(530, "/bin/ls"),
			    put(600, argv, sizeof(argv)),
			    put(700, envp, sizeof(envp))};
	char expected[256];

	strace_format_call(&b, 9, __NR_execve, args, 0, STRACE_ENTER, &mem);
	snprintf(expected, sizeof(expected),
		 "[pid 9] execve(\"/bin/ls\", [\"ls\", \"-l\"], %#llx /* 1 var "
		 "*/) <unfinished ...>\n",
		 (unsigned long long)args[2]);
	CHECK_TEXT(&b, expected);

	strace_format_call(&b, 9, __NR_execve, args, SYSCALL_NORETURN_REGS,
			   STRACE_RESUMED, &mem);
	CHECK_TEXT(&b, "[pid 9] <... execve resumed>) = 0\n");
}

static void test_exit_group_line(void)
{
	uint64_t args[6] = {3};

	strace_format_call(&b, 1, __NR_exit_group, args, 0, STRACE_ENTER, &mem);
	CHECK_TEXT(&b, "[pid 1] exit_group(3) = ?\n");
}

static void test_pipe_and_sigprocmask_lines(void)
{
	int fds[2] = {3, 4};
	uint64_t set = 1ULL << (SIGCHLD - 1);
	uint64_t pargs[6] = {put(800, fds, sizeof(fds)), O_CLOEXEC};
	uint64_t sargs[6] = {SIG_BLOCK, put(900, &set, sizeof(set)), 0, 8};

	strace_format_call(&b, 1, __NR_pipe2, pargs, 0, STRACE_WHOLE, &mem);
	CHECK_TEXT(&b, "[pid 1] pipe2([3, 4], O_CLOEXEC) = 0\n");

	strace_format_call(&b, 1, __NR_rt_sigprocmask, sargs, 0, STRACE_WHOLE,
			   &mem);
	CHECK_TEXT(&b, "[pid 1] rt_sigprocmask(SIG_BLOCK, [CHLD], NULL, 8) "
		       "= 0\n");
}

static void test_unknown_syscall_line(void)
{
	uint64_t args[6] = {1, 2, 3, 4, 5, 6};

	strace_format_call(&b, 1, 999, args, -ENOSYS, STRACE_WHOLE, &mem);
	CHECK_TEXT(&b, "[pid 1] syscall_0x3e7(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = "
		       "-1 ENOSYS (Function not implemented)\n");
}

static void test_overlong_line_cut(void)
{
	static char path[4000];
	uint64_t args[6];

	memset(path, '\1', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	args[0] = put_str(1000, path);
	args[1] = args[0];
	strace_format_call(&b, 1, __NR_rename, args, 0, STRACE_WHOLE, &mem);
	CHECK(b.len == STRACE_LINE_MAX);
	CHECK(b.data[b.len - 1] == '\n');
}

int main(void)
{
	test_open_flags();
	test_mmap_decoding();
	test_misc_flags();
	test_signals();
	test_string_escaping();
	test_errno_names();
	test_results();
	test_openat_line();
	test_bad_pointer_line();
	test_read_write_lines();
	test_long_string_truncated();
	test_mmap_line();
	test_execve_lines();
	test_exit_group_line();
	test_pipe_and_sigprocmask_lines();
	test_unknown_syscall_line();
	test_overlong_line_cut();
	if (failures) {
		fprintf(stderr, "test_strace_format: %d failures\n", failures);
		return 1;
	}
	printf("test_strace_format: ok\n");
	return 0;
}
