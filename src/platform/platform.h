/* The platform: how the sentry runs application code.
 *
 * An address space is one host stub process that contains the
 * application's memory. Its threads run application code until they make
 * a system call, fault or receive a signal, and then control returns to
 * the sentry.
 * Syscall code never calls ptrace directly: everything goes through this
 * interface, so a faster shared-memory platform can replace the ptrace one
 * (platform/ptrace.c) without touching the rest of the sentry.
 *
 * Threading contract (ptrace): a stub thread can only be controlled by the
 * host thread that traces it. Each sentry task thread calls
 * platform_*() only on the address space it has attached with
 * platform_as_create() or platform_as_attach(), so no locking is needed
 * inside an address space; the mm that owns it serialises users.
 */
#ifndef MOAT_PLATFORM_PLATFORM_H
#define MOAT_PLATFORM_PLATFORM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

/* The top of the application's address space: the stub's own pages sit
 * above it, at STUB_BASE. */
#define STUB_BASE     0x7ffffffe0000UL
#define STUB_SIZE     0x2000UL
#define TASK_SIZE     STUB_BASE
#define TASK_SIZE_MAX 0x7ffffffff000UL

struct platform_as;

/* Architectural state of one thread: general registers (including fs_base)
 * and the x87/SSE area in FXSAVE format. */
struct arch_regs {
	struct user_regs_struct regs;
	struct user_fpregs_struct fpregs;
	int fpregs_valid; /* fpregs was read from the thread */
};

enum platform_stop {
	STOP_SYSCALL,	/* regs.orig_rax holds the syscall number */
	STOP_SIGNAL,	/* *info describes a fault or host signal */
	STOP_EXITED,	/* the stub died (killed from outside) */
	STOP_INTERRUPT, /* platform_interrupt() was called */
};

/* Create a new, empty address space traced by the calling thread. */
int platform_as_create(struct platform_as **out);
/* Duplicate as copy-on-write (for fork). The child is not yet traced: the
 * thread that will run it must call platform_as_attach() on it. */
int platform_as_fork(struct platform_as *as, struct platform_as **child);
/* Become the tracer of an address space returned by platform_as_fork(). */
int platform_as_attach(struct platform_as *as);
/* Kill the stub and free as. Any thread may call it. */
void platform_as_destroy(struct platform_as *as);
pid_t platform_as_pid(const struct platform_as *as);

/* Memory management inside the stub. hostfd is an FD of the sentry (or -1
 * for anonymous memory); flags must include MAP_FIXED. All return 0 or a
 * negative errno. */
int platform_mmap(struct platform_as *as, uint64_t addr, uint64_t len, int prot,
		  int flags, int hostfd, uint64_t offset);
int platform_munmap(struct platform_as *as, uint64_t addr, uint64_t len);
int platform_mprotect(struct platform_as *as, uint64_t addr, uint64_t len,
		      int prot);
int platform_madvise(struct platform_as *as, uint64_t addr, uint64_t len,
		     int advice);
/* mremap(2) inside the stub; returns the new address or a negative errno. */
long platform_mremap(struct platform_as *as, uint64_t old_addr,
		     uint64_t old_len, uint64_t new_len, int flags,
		     uint64_t new_addr);

/* Raw memory access; the caller (mm/usercopy.c) validates addresses.
 * Returns the number of bytes copied or a negative errno. */
ssize_t platform_read(struct platform_as *as, uint64_t addr, void *buf,
		      size_t len);
ssize_t platform_write(struct platform_as *as, uint64_t addr, const void *buf,
		       size_t len);
/* Write even to read-only pages (like the kernel's FOLL_FORCE); only the
 * tracing thread may call it. */
int platform_write_force(struct platform_as *as, uint64_t addr, const void *buf,
			 size_t len);

/* Run the application thread with the given state until it stops. On
 * return regs contains its current state; for STOP_SIGNAL, *info is
 * filled in too. */
enum platform_stop platform_run(struct platform_as *as, struct arch_regs *regs,
				siginfo_t *info);

/* Make stub thread tid stop running application code soon; its
 * platform_run then returns STOP_INTERRUPT. Any thread may call it. */
void platform_interrupt(struct platform_as *as, pid_t tid);

/* Start a new stub thread (thread) or a vfork-style process sharing the
 * memory (!thread), parked until attached; returns its host TID. Called
 * by the tracer of a thread of as. */
int platform_clone(struct platform_as *as, bool thread, pid_t *tid);
/* Become the tracer of stub thread tid (from platform_clone). */
int platform_thread_attach(struct platform_as *as, pid_t tid);
/* End the calling sentry thread's stub thread, leaving the rest of the
 * address space running. */
void platform_thread_exit(struct platform_as *as);
/* The host TID of the stub thread the calling sentry thread traces. */
pid_t platform_current_tid(void);
/* The address space of the stub thread the calling thread traces. */
struct platform_as *platform_current_as(void);
/* Switch the calling sentry thread to another stub thread it already
 * traces, of address space as (execve moves between two). */
void platform_set_current(struct platform_as *as, pid_t tid);

/* Fill regs with a valid initial state for the stub (segment registers
 * and flags), for the first run of a new image. */
int platform_init_regs(struct platform_as *as, struct arch_regs *regs);

/* Read or write the x87/SSE state of a stopped thread into regs. */
int platform_get_fpregs(struct platform_as *as, struct arch_regs *regs);

#endif
