/* strace's connection to the sentry: the trace FD, the guest memory of
 * the calling task and the one write(2) per line. The formatting itself
 * is in strace_format.c and strace_flags.c. */
#include <stdatomic.h>

#include "common/util.h"
#include "sentry/mm.h"
#include "sentry/strace.h"
#include "sentry/syscall_info.h"
#include "sentry/task.h"

static atomic_int strace_fd = -1;

void strace_init(int fd)
{
	atomic_store(&strace_fd, fd);
}

bool strace_enabled(void)
{
	return atomic_load_explicit(&strace_fd, memory_order_relaxed) >= 0;
}

static long task_read_string(void *ctx, char *dst, uint64_t addr, size_t max)
{
	return strncpy_from_user(ctx, dst, addr, max);
}

static int task_read(void *ctx, void *dst, uint64_t addr, size_t len)
{
	return copy_from_user(ctx, dst, addr, len);
}

static void emit(struct task *t, int nr, const uint64_t args[6], long ret,
		 enum strace_phase phase)
{
	const struct strace_mem mem = {
	    .ctx = t,
	    .read_string = task_read_string,
	    .read = task_read,
	};
	struct strace_buf *line = xmalloc(sizeof(*line));
	int fd = atomic_load(&strace_fd);

	strace_format_call(line, t->tid, nr, args, ret, phase, &mem);
	/* One write(2) for a regular file. A pipe may split a line longer
	 * than PIPE_BUF (4096 bytes), which can then interleave. */
	if (fd >= 0)
		write_all(fd, line->data, line->len);
	free(line);
}

static bool traced_at_enter(int nr)
{
	const struct syscall_info *info = syscall_info(nr);

	return info && (info->flags & SYSCALL_TRACE_AT_ENTER);
}

void strace_enter(struct task *t, int nr, const uint64_t args[6])
{
	if (strace_enabled() && traced_at_enter(nr))
		emit(t, nr, args, 0, STRACE_ENTER);
}

void strace_exit(struct task *t, int nr, const uint64_t args[6], long ret)
{
	if (!strace_enabled())
		return;
	if (!traced_at_enter(nr))
		emit(t, nr, args, ret, STRACE_WHOLE);
	else if (nr == __NR_execve || nr == __NR_execveat)
		emit(t, nr, args, ret, STRACE_RESUMED);
	/* exit and exit_group were printed whole at entry. */
}
