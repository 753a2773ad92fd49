/* The syscall table, built from the handlers' SYSCALL_DEFINE entries. */
#include "sentry/syscall.h"
#include "sentry/strace.h"
#include "sentry/syscall_info.h"
#include "sentry/task.h"
#include "common/log.h"
#include "common/util.h"

#define SYSCALL_TABLE_SIZE 512

extern const struct syscall_def __start_moat_syscalls[];
extern const struct syscall_def __stop_moat_syscalls[];

static syscall_fn syscall_table[SYSCALL_TABLE_SIZE];
static bool strace_on;

void syscall_table_init(void)
{
	for (const struct syscall_def *d = __start_moat_syscalls;
	     d < __stop_moat_syscalls; d++) {
		BUG_ON(d->nr < 0 || d->nr >= SYSCALL_TABLE_SIZE);
		if (syscall_table[d->nr]) {
			log_error("two handlers for syscall %d (%s)", d->nr,
				  d->name);
			BUG_ON(1);
		}
		syscall_table[d->nr] = d->fn;
	}
}

void syscall_set_strace(bool on)
{
	strace_on = on;
}

syscall_fn syscall_lookup(int nr)
{
	if (nr < 0 || nr >= SYSCALL_TABLE_SIZE)
		return NULL;
	return syscall_table[nr];
}

static void warn_compat_syscall(struct task *t, long nr)
{
	static int warned;

	if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		log_info("task %d made a 32-bit system call (int 0x80, number "
			 "%ld); 32-bit calls are not supported and get ENOSYS",
			 t->tid, nr);
}

void syscall_dispatch(struct task *t)
{
	struct user_regs_struct *r = &t->regs.regs;
	long nr = (long)r->orig_rax;
	uint64_t args[6] = {r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9};
	syscall_fn fn = syscall_lookup((int)nr);
	long ret;

	t->syscall_count++;
	/* The syscall instruction loads rcx with the return address, so rcx
	 * equals rip at every 64-bit syscall stop. int 0x80 leaves rcx
	 * alone: that is a 32-bit system call, whose numbers and arguments
	 * differ, and it gets ENOSYS instead of the wrong 64-bit call. */
	if (r->rcx != r->rip) {
		warn_compat_syscall(t, nr);
		r->rax = (uint64_t)-ENOSYS;
		return;
	}
	if (strace_on)
		strace_enter(t, (int)nr, args);
	if (fn) {
		ret = fn(t, args);
	} else {
		syscall_warn_unimplemented((int)nr);
		ret = -ENOSYS;
	}
	if (ret != SYSCALL_NORETURN_REGS)
		r->rax = (uint64_t)ret;
	if (strace_on)
		strace_exit(t, (int)nr, args,
			    ret == SYSCALL_NORETURN_REGS ? 0 : ret);
}
