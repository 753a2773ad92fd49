/* System call dispatch.
 *
 * Each handler registers itself with SYSCALL_DEFINE in the file that
 * implements it (one handler per syscall, Gramine-style); the dispatcher
 * collects them from the linker section at start-up, so no central table
 * needs editing. A handler receives the calling task and the six raw
 * argument registers and returns the result or a negative errno; it
 * returns only after copying every output to the application.
 *
 * Handlers may return these restart codes when interrupted by a signal
 * (Linux's values, which never reach the application):
 */
#ifndef MOAT_SENTRY_SYSCALL_H
#define MOAT_SENTRY_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

#define ERESTARTSYS	      512
#define ERESTARTNOINTR	      513
#define ERESTARTNOHAND	      514
#define ERESTART_RESTARTBLOCK 516

/* Returned by execve and rt_sigreturn, which replace the registers: the
 * dispatcher must not store a return value into rax. */
#define SYSCALL_NORETURN_REGS (-4096L - 1)

struct task;

typedef long (*syscall_fn)(struct task *t, const uint64_t *args);

struct syscall_def {
	int nr;
	const char *name;
	syscall_fn fn;
};

#define SYSCALL_DEFINE(num, sysname)                                           \
	static long sys_##sysname(struct task *t, const uint64_t *args);       \
	static const struct syscall_def syscall_def_##sysname __attribute__((  \
	    used, section("moat_syscalls"), aligned(sizeof(void *)))) = {      \
	    .nr = (num), .name = #sysname, .fn = sys_##sysname};               \
	static long sys_##sysname(struct task *t, const uint64_t *args)

/* Build the table (once, before the first task runs). */
void syscall_table_init(void);
void syscall_set_strace(bool on);
/* Run the syscall the task stopped at and store its result in regs. */
void syscall_dispatch(struct task *t);
/* The handler for nr, or NULL. */
syscall_fn syscall_lookup(int nr);

#endif
