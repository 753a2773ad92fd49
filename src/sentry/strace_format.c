/* Assembly of one strace line: the arguments of a syscall decoded by the
 * kinds in syscall_info.h, then its result. Pure apart from the guest
 * memory reads of struct strace_mem. */
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/util.h"
#include "sentry/errno_names.h"
#include "sentry/strace.h"
#include "sentry/syscall.h"
#include "sentry/syscall_info.h"

#define AT_FDCWD_VALUE (-100)

void strace_buf_init(struct strace_buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

/* Output past STRACE_LINE_MAX - 1 bytes is dropped, which leaves room
 * for the newline added by finish_line. */
void strace_printf(struct strace_buf *b, const char *fmt, ...)
{
	size_t room = STRACE_LINE_MAX - 1 - b->len;
	va_list ap;
	int n;

	if (room == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, room + 1, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += MIN((size_t)n, room);
}

static bool is_octal_digit(char c)
{
	return c >= '0' && c <= '7';
}

void strace_format_string(struct strace_buf *b, const char *s, size_t len,
			  bool truncated)
{
	strace_printf(b, "\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			strace_printf(b, "\\\"");
			continue;
		case '\\':
			strace_printf(b, "\\\\");
			continue;
		case '\t':
			strace_printf(b, "\\t");
			continue;
		case '\n':
			strace_printf(b, "\\n");
			continue;
		case '\v':
			strace_printf(b, "\\v");
			continue;
		case '\f':
			strace_printf(b, "\\f");
			continue;
		case '\r':
			strace_printf(b, "\\r");
			continue;
		}
		if (c >= 0x20 && c < 0x7f)
			strace_printf(b, "%c", c);
		else if (i + 1 < len && is_octal_digit(s[i + 1]))
			/* A short escape would absorb the next digit. */
			strace_printf(b, "\\%03o", c);
		else
			strace_printf(b, "\\%o", c);
	}
	strace_printf(b, "\"%s", truncated ? "..." : "");
}

static void format_pointer(struct strace_buf *b, uint64_t addr)
{
	if (addr)
		strace_printf(b, "%#llx", (unsigned long long)addr);
	else
		strace_printf(b, "NULL");
}

void strace_format_value(struct strace_buf *b, int kind, uint64_t value)
{
	switch (kind) {
	case ARG_INT:
	case ARG_FD:
	case ARG_PID:
		strace_printf(b, "%d", (int)value);
		break;
	case ARG_DIRFD:
		if ((int)value == AT_FDCWD_VALUE)
			strace_printf(b, "AT_FDCWD");
		else
			strace_printf(b, "%d", (int)value);
		break;
	case ARG_UINT:
		strace_printf(b, "%u", (unsigned)value);
		break;
	case ARG_SIZE:
		strace_printf(b, "%llu", (unsigned long long)value);
		break;
	case ARG_OFF:
		strace_printf(b, "%lld", (long long)value);
		break;
	case ARG_OPEN_FLAGS:
		strace_format_open_flags(b, value);
		break;
	case ARG_FD_FLAGS:
		strace_format_fd_flags(b, value);
		break;
	case ARG_MODE:
		strace_format_mode(b, value);
		break;
	case ARG_PROT:
		strace_format_prot(b, value);
		break;
	case ARG_MMAP_FLAGS:
		strace_format_mmap_flags(b, value);
		break;
	case ARG_SIGNAL:
		strace_format_signal(b, (int)value);
		break;
	case ARG_CLONE_FLAGS:
		strace_format_clone_flags(b, value);
		break;
	case ARG_AT_FLAGS:
		strace_format_at_flags(b, value);
		break;
	case ARG_WHENCE:
		strace_format_whence(b, value);
		break;
	case ARG_IOCTL:
		strace_format_ioctl(b, value);
		break;
	case ARG_ACCESS_MODE:
		strace_format_access_mode(b, value);
		break;
	case ARG_FCNTL_CMD:
		strace_format_fcntl_cmd(b, value);
		break;
	case ARG_SIGPROCMASK_HOW:
		strace_format_sigprocmask_how(b, value);
		break;
	case ARG_FUTEX_OP:
		strace_format_futex_op(b, value);
		break;
	case ARG_CLOCKID:
		strace_format_clockid(b, value);
		break;
	case ARG_SOCK_DOMAIN:
		strace_format_sock_domain(b, value);
		break;
	case ARG_SOCK_TYPE:
		strace_format_sock_type(b, value);
		break;
	case ARG_ARCH_PRCTL:
		strace_format_arch_prctl(b, value);
		break;
	case ARG_PRCTL_OP:
		strace_format_prctl_op(b, value);
		break;
	case ARG_WAIT_OPTIONS:
		strace_format_wait_options(b, value);
		break;
	case ARG_MADVISE:
		strace_format_madvise(b, value);
		break;
	case ARG_MREMAP_FLAGS:
		strace_format_mremap_flags(b, value);
		break;
	case ARG_RLIMIT:
		strace_format_rlimit(b, value);
		break;
	case ARG_PTR:
	case ARG_STR:
	case ARG_PATH:
	case ARG_BUF_IN:
	case ARG_BUF_OUT:
	case ARG_STRV:
	case ARG_ENVP:
	case ARG_SIGSET:
	case ARG_TIMESPEC:
	case ARG_FD_PAIR:
		format_pointer(b, value);
		break;
	default:
		strace_printf(b, "%#llx", (unsigned long long)value);
		break;
	}
}

/* Append the NUL-terminated string at addr, cut after limit bytes. */
static void format_user_string(struct strace_buf *b, uint64_t addr,
			       size_t limit, const struct strace_mem *mem)
{
	char buf[PATH_MAX + 1];
	long len;

	BUG_ON(limit > PATH_MAX);
	if (!addr) {
		strace_printf(b, "NULL");
		return;
	}
	len = mem->read_string(mem->ctx, buf, addr, limit + 1);
	if (len >= 0) {
		strace_format_string(b, buf, len, false);
		return;
	}
	/* Longer than limit: its first limit bytes are readable. */
	if (len == -ENAMETOOLONG && mem->read(mem->ctx, buf, addr, limit) == 0)
		strace_format_string(b, buf, limit, true);
	else
		format_pointer(b, addr);
}

/* Append len bytes at addr, at most STRACE_STRING_MAX of them. */
static void format_user_buffer(struct strace_buf *b, uint64_t addr,
			       uint64_t len, const struct strace_mem *mem)
{
	char buf[STRACE_STRING_MAX];
	size_t printed = MIN(len, sizeof(buf));

	if (mem->read(mem->ctx, buf, addr, printed) == 0)
		strace_format_string(b, buf, printed, len > printed);
	else
		format_pointer(b, addr);
}

/* Append argv as ["ls", "-l"]. */
static void format_user_strv(struct strace_buf *b, uint64_t addr,
			     const struct strace_mem *mem)
{
	uint64_t elem;

	if (!addr) {
		strace_printf(b, "NULL");
		return;
	}
	if (mem->read(mem->ctx, &elem, addr, sizeof(elem)) != 0) {
		format_pointer(b, addr);
		return;
	}
	strace_printf(b, "[");
	for (int i = 0;; i++) {
		if (mem->read(mem->ctx, &elem, addr + i * sizeof(elem),
			      sizeof(elem)) != 0) {
			strace_printf(b, "%s???", i ? ", " : "");
			break;
		}
		if (!elem)
			break;
		if (i == STRACE_ARGV_MAX) {
			strace_printf(b, ", ...");
			break;
		}
		strace_printf(b, "%s", i ? ", " : "");
		format_user_string(b, elem, STRACE_STRING_MAX, mem);
	}
	strace_printf(b, "]");
}

/* Append envp as strace does by default: the pointer and, in a comment,
 * the number of variables. */
static void format_user_envp(struct strace_buf *b, uint64_t addr,
			     const struct strace_mem *mem)
{
	uint64_t elem;
	int count = 0;

	format_pointer(b, addr);
	if (!addr)
		return;
	while (count < 100000 &&
	       mem->read(mem->ctx, &elem, addr + count * sizeof(elem),
			 sizeof(elem)) == 0 &&
	       elem)
		count++;
	strace_printf(b, " /* %d var%s */", count, count == 1 ? "" : "s");
}

static void format_user_sigset(struct strace_buf *b, uint64_t addr,
			       const struct strace_mem *mem)
{
	uint64_t set;

	if (addr && mem->read(mem->ctx, &set, addr, sizeof(set)) == 0)
		strace_format_sigset(b, set);
	else
		format_pointer(b, addr);
}

static void format_user_timespec(struct strace_buf *b, uint64_t addr,
				 const struct strace_mem *mem)
{
	struct timespec ts;

	if (addr && mem->read(mem->ctx, &ts, addr, sizeof(ts)) == 0)
		strace_printf(b, "{tv_sec=%lld, tv_nsec=%ld}",
			      (long long)ts.tv_sec, ts.tv_nsec);
	else
		format_pointer(b, addr);
}

static void format_user_fd_pair(struct strace_buf *b, uint64_t addr,
				const struct strace_mem *mem)
{
	int fds[2];

	if (addr && mem->read(mem->ctx, fds, addr, sizeof(fds)) == 0)
		strace_printf(b, "[%d, %d]", fds[0], fds[1]);
	else
		format_pointer(b, addr);
}

static bool is_error(long ret)
{
	return ret < 0 && ret >= -4095;
}

/* Append argument i. Output buffers are shown only after success
 * (have_ret), with the result as their length. */
static void format_arg(struct strace_buf *b, const struct syscall_info *info,
		       int i, const uint64_t args[6], bool have_ret, long ret,
		       const struct strace_mem *mem)
{
	uint64_t value = args[i];
	bool success = have_ret && !is_error(ret);

	switch (info->args[i]) {
	case ARG_STR:
		format_user_string(b, value, STRACE_STRING_MAX, mem);
		break;
	case ARG_PATH:
		format_user_string(b, value, PATH_MAX - 1, mem);
		break;
	case ARG_BUF_IN:
		format_user_buffer(b, value, args[i + 1], mem);
		break;
	case ARG_BUF_OUT:
		if (success)
			format_user_buffer(b, value, ret, mem);
		else
			format_pointer(b, value);
		break;
	case ARG_STRV:
		format_user_strv(b, value, mem);
		break;
	case ARG_ENVP:
		format_user_envp(b, value, mem);
		break;
	case ARG_SIGSET:
		format_user_sigset(b, value, mem);
		break;
	case ARG_TIMESPEC:
		format_user_timespec(b, value, mem);
		break;
	case ARG_FD_PAIR:
		if (success)
			format_user_fd_pair(b, value, mem);
		else
			format_pointer(b, value);
		break;
	default:
		strace_format_value(b, info->args[i], value);
		break;
	}
}

/* open, openat and mq_open ignore their mode unless they create a file,
 * so strace leaves it out. */
static bool is_unused_mode(const struct syscall_info *info, int i,
			   const uint64_t args[6])
{
	return info->args[i] == ARG_MODE && i > 0 &&
	       info->args[i - 1] == ARG_OPEN_FLAGS &&
	       !(args[i - 1] & (O_CREAT | O_TMPFILE));
}

static void format_args(struct strace_buf *b, const struct syscall_info *info,
			const uint64_t args[6], bool have_ret, long ret,
			const struct strace_mem *mem)
{
	bool first = true;

	for (int i = 0; i < info->nargs; i++) {
		if (info->args[i] == ARG_SKIP || is_unused_mode(info, i, args))
			continue;
		strace_printf(b, "%s", first ? "" : ", ");
		format_arg(b, info, i, args, have_ret, ret, mem);
		first = false;
	}
}

void strace_format_result(struct strace_buf *b, int nr, long ret)
{
	const struct syscall_info *info = syscall_info(nr);
	const char *name = errno_name(-ret);
	const char *description = errno_description(-ret);

	if (ret == SYSCALL_NORETURN_REGS) {
		/* execve succeeded; rt_sigreturn restored the registers. */
		bool is_exec = nr == __NR_execve || nr == __NR_execveat;

		strace_printf(b, is_exec ? "0" : "?");
		return;
	}
	if (ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK) {
		strace_printf(b, "? %s (%s)", name ? name : "ERESTART?",
			      description ? description : "To be restarted");
		return;
	}
	if (is_error(ret)) {
		if (name)
			strace_printf(b, "-1 %s (%s)", name,
				      description ? description : "");
		else
			strace_printf(b, "-1 E%ld (Unknown error %ld)", -ret,
				      -ret);
		return;
	}
	if (info && info->ret == RET_HEX)
		strace_printf(b, "%#lx", ret);
	else if (info && info->ret == RET_MODE)
		strace_printf(b, "%#03lo", ret);
	else
		strace_printf(b, "%ld", ret);
}

/* "syscall_0x1c8(0x1, 0x2, ...)" for numbers the table does not have. */
static void format_unknown_call(struct strace_buf *b, int nr,
				const uint64_t args[6])
{
	strace_printf(b, "syscall_%#x(", (unsigned)nr);
	for (int i = 0; i < 6; i++)
		strace_printf(b, "%s%#llx", i ? ", " : "",
			      (unsigned long long)args[i]);
	strace_printf(b, ")");
}

static void finish_line(struct strace_buf *b)
{
	BUG_ON(b->len >= STRACE_LINE_MAX);
	b->data[b->len++] = '\n';
	b->data[b->len] = '\0';
}

void strace_format_call(struct strace_buf *b, pid_t tid, int nr,
			const uint64_t args[6], long ret,
			enum strace_phase phase, const struct strace_mem *mem)
{
	const struct syscall_info *info = syscall_info(nr);
	const char *name = info ? info->name : "syscall";

	strace_buf_init(b);
	strace_printf(b, "[pid %d] ", (int)tid);
	if (phase == STRACE_RESUMED) {
		strace_printf(b, "<... %s resumed>) = ", name);
		strace_format_result(b, nr, ret);
		finish_line(b);
		return;
	}

	if (info) {
		strace_printf(b, "%s(", name);
		format_args(b, info, args, phase == STRACE_WHOLE, ret, mem);
		strace_printf(b, ")");
	} else {
		format_unknown_call(b, nr, args);
	}

	if (phase == STRACE_ENTER) {
		bool is_exec = nr == __NR_execve || nr == __NR_execveat;

		/* execve's result follows in a resumed line; exit and
		 * exit_group never return. */
		strace_printf(b, is_exec ? " <unfinished ...>" : " = ?");
	} else {
		strace_printf(b, " = ");
		strace_format_result(b, nr, ret);
	}
	finish_line(b);
}
