/* strace: a log of every guest syscall in strace(1)'s format.
 *
 *   [pid 7] openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
 *   [pid 7] read(3, "root:x:0:0:root:/root:/bin/bash\n"..., 4096) = 1021
 *   [pid 7] stat("/nope", 0x7ffd3a20) = -1 ENOENT (No such file or directory)
 *
 * Each line is written with one write(2) when the syscall returns, so
 * lines of concurrent tasks never interleave. execve, execveat, exit and
 * exit_group are printed when they start instead, because a successful
 * execve has replaced the memory holding its arguments and exit never
 * returns; execve's result then follows as "<... execve resumed>) = 0".
 *
 * Guest memory is read only through copy_from_user and strncpy_from_user;
 * a pointer that cannot be read is printed as its hex value.
 */
#ifndef MOAT_SENTRY_STRACE_H
#define MOAT_SENTRY_STRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct task;

/* Start writing trace lines to fd (-1: tracing off). Call before the
 * first task runs; the FD is not closed by Moat. */
void strace_init(int fd);
bool strace_enabled(void);

/* Called by the dispatcher around every syscall of task t. ret is the
 * handler's result: a value, a negative errno, a restart code or
 * SYSCALL_NORETURN_REGS. */
void strace_enter(struct task *t, int nr, const uint64_t args[6]);
void strace_exit(struct task *t, int nr, const uint64_t args[6], long ret);

/* The formatting below is pure: it touches guest memory only through a
 * struct strace_mem, so tests can run it without a task. */

/* Maximum line length, newline included; longer lines are cut. Two
 * escaped paths fit, which is what a line like renameat's needs. */
#define STRACE_LINE_MAX 9216
/* Bytes of a buffer or C string printed before "..." (strace -s 32). */
#define STRACE_STRING_MAX 32
/* argv elements printed before "...". */
#define STRACE_ARGV_MAX 32

/* A line being formatted, always NUL-terminated. */
struct strace_buf {
	size_t len; /* bytes in data, at most STRACE_LINE_MAX */
	char data[STRACE_LINE_MAX + 1];
};

/* Guest memory access, with the semantics of strncpy_from_user and
 * copy_from_user (see mm.h). */
struct strace_mem {
	void *ctx;
	long (*read_string)(void *ctx, char *dst, uint64_t addr, size_t max);
	int (*read)(void *ctx, void *dst, uint64_t addr, size_t len);
};

/* Part of a call that one line shows. */
enum strace_phase {
	STRACE_WHOLE,	/* the whole call with its result */
	STRACE_ENTER,	/* "name(args) <unfinished ...>" or "exit(0) = ?" */
	STRACE_RESUMED, /* "<... name resumed>) = result" */
};

void strace_buf_init(struct strace_buf *b);
void strace_printf(struct strace_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Format the line for syscall nr of thread tid into b, newline included.
 * ret is ignored for STRACE_ENTER. */
void strace_format_call(struct strace_buf *b, pid_t tid, int nr,
			const uint64_t args[6], long ret,
			enum strace_phase phase, const struct strace_mem *mem);

/* Append len bytes of s as a quoted C string with strace's escapes,
 * followed by "..." if truncated is set. */
void strace_format_string(struct strace_buf *b, const char *s, size_t len,
			  bool truncated);
/* Append one argument of the given enum arg_kind that needs no guest
 * memory; kinds that read memory print as hex here. */
void strace_format_value(struct strace_buf *b, int kind, uint64_t value);
/* Append a syscall result: "3", "-1 ENOENT (No such file or directory)",
 * "? ERESTARTSYS (...)" or "0x7f..." for ret_kind RET_HEX. */
void strace_format_result(struct strace_buf *b, int nr, long ret);

/* Symbolic decoders, each appending to b (strace_flags.c). */
void strace_format_open_flags(struct strace_buf *b, uint64_t flags);
void strace_format_fd_flags(struct strace_buf *b, uint64_t flags);
void strace_format_mode(struct strace_buf *b, uint64_t mode);
void strace_format_prot(struct strace_buf *b, uint64_t prot);
void strace_format_mmap_flags(struct strace_buf *b, uint64_t flags);
void strace_format_at_flags(struct strace_buf *b, uint64_t flags);
void strace_format_clone_flags(struct strace_buf *b, uint64_t flags);
void strace_format_signal(struct strace_buf *b, int sig);
/* A signal set as strace prints it: "[INT TERM]", "~[KILL STOP]", "[]". */
void strace_format_sigset(struct strace_buf *b, uint64_t set);
void strace_format_whence(struct strace_buf *b, uint64_t whence);
void strace_format_access_mode(struct strace_buf *b, uint64_t mode);
void strace_format_fcntl_cmd(struct strace_buf *b, uint64_t cmd);
void strace_format_sigprocmask_how(struct strace_buf *b, uint64_t how);
void strace_format_futex_op(struct strace_buf *b, uint64_t op);
void strace_format_clockid(struct strace_buf *b, uint64_t clock);
void strace_format_sock_domain(struct strace_buf *b, uint64_t domain);
void strace_format_sock_type(struct strace_buf *b, uint64_t type);
void strace_format_arch_prctl(struct strace_buf *b, uint64_t code);
void strace_format_prctl_op(struct strace_buf *b, uint64_t op);
void strace_format_wait_options(struct strace_buf *b, uint64_t options);
void strace_format_madvise(struct strace_buf *b, uint64_t advice);
void strace_format_mremap_flags(struct strace_buf *b, uint64_t flags);
void strace_format_rlimit(struct strace_buf *b, uint64_t resource);
void strace_format_ioctl(struct strace_buf *b, uint64_t request);

/* The name of signal sig without "SIG" for 1..31 ("HUP"), or NULL. */
const char *signal_abbrev(int sig);

#endif
