/* The sentry's entry point: confine, build the sandbox, run init. */
#include "sentry/config.h"
#include "sentry/confine.h"
#include "sentry/strace.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "common/log.h"
#include "common/util.h"

#include <malloc.h>
#include <signal.h>
#include <ucontext.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>

int sig_task_wake(void);

int sentry_main(int argc, char **argv);

static void noop_handler(int sig)
{
	(void)sig;
}

/* Set up host signals before any thread exists. SIGPIPE is ignored
 * because EPIPE is reported to the guest instead. The task wake-up signal
 * gets a handler without SA_RESTART, so it interrupts ppoll(). SIGCHLD
 * gets SA_NOCLDWAIT so the kernel reaps stubs whose tracer is gone.
 * Every signal but the faults is blocked, and threads created later
 * inherit that mask. */
static void setup_host_signals(void)
{
	struct sigaction sa;
	sigset_t all;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = noop_handler;
	sigaction(sig_task_wake(), &sa, NULL);
	/* Stubs whose tracer thread is gone are reaped by the kernel. */
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_flags = 0;
	sigfillset(&all);
	/* Faults in the sentry itself stay deliverable, so the crash
	 * handler can report them (a blocked fault kills silently). */
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGABRT);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

/* A sentry bug must not die silently: log where it crashed (the binary is
 * position independent, so the offset from sentry_main locates the code)
 * and then die with the same signal. */
static void crash_handler(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t *uc = uctx;
	uint64_t rip = uc->uc_mcontext.gregs[REG_RIP];

	log_error("sentry crashed: signal %d at rip %#lx (sentry_main%+ld), "
		  "address %p",
		  sig, (unsigned long)rip, (long)(rip - (uint64_t)sentry_main),
		  si->si_addr);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Give the calling thread a stack for the crash handler, so a stack
 * overflow is reported too. */
#define CRASH_STACK_SIZE 65536

void setup_crash_stack(void)
{
	stack_t ss = {.ss_size = CRASH_STACK_SIZE};

	/* mmap, not malloc: sanitizer runtimes unmap a thread's alternate
	 * stack when the thread ends. */
	ss.ss_sp = mmap(NULL, ss.ss_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ss.ss_sp != MAP_FAILED)
		sigaltstack(&ss, NULL);
}

void release_crash_stack(void)
{
	stack_t ss = {.ss_flags = SS_DISABLE}, old;

	if (sigaltstack(&ss, &old) == 0 && !(old.ss_flags & SS_DISABLE) &&
	    old.ss_sp)
		munmap(old.ss_sp, old.ss_size);
}

static void setup_crash_handler(void)
{
	struct sigaction sa;
	const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

	setup_crash_stack();
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = crash_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static rlim_t caller_nofile = 1024;

/* The soft RLIMIT_NOFILE the caller ran moat with, for the guest. */
rlim_t sentry_caller_nofile(void)
{
	return caller_nofile;
}

/* In-memory files are memfds, so the sentry needs many FDs. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	caller_nofile = rl.rlim_cur;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Limit glibc's malloc to its main, brk-based arena. A thread arena makes
 * it open /proc/sys/vm/overcommit_memory when it shrinks the arena's heap
 * and /sys/devices/system/cpu/online when it sizes the arena count, and
 * either open gets the confined sentry killed by seccomp. */
static void setup_malloc(void)
{
	mallopt(M_ARENA_MAX, 1);
}

int sentry_main(int argc, char **argv)
{
	struct sentry_config cfg;
	int err;

	prctl(PR_SET_NAME, "moat-sentry");
	if (sentry_config_parse(&cfg, argc, argv) < 0)
		return 125;
	log_init("sentry", cfg.log_fd);
	log_info("starting: %s", cfg.argv[0]);
	setup_malloc();
	setup_host_signals();
	setup_crash_handler();
	raise_fd_limit();

	err = sentry_confine(&cfg);
	if (err) {
		fprintf(stderr, "moat: cannot confine the sandbox kernel: %s\n",
			strerror(-err));
		return 125;
	}
	syscall_table_init();
	if (cfg.strace_fd >= 0) {
		strace_init(cfg.strace_fd);
		syscall_set_strace(true);
	}
	return sandbox_run(&cfg);
}
