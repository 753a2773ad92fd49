/* The sentry's syscall allowlist.
 *
 * The sentry implements every guest system call itself: it reaches host
 * files only through FDs donated by the gofer, and runs guest code in
 * ptrace'd stub processes that it forks and that inherit this filter.
 * Guest system calls are intercepted with PTRACE_SYSEMU, which skips the
 * host system call before seccomp sees it, so only the syscalls the
 * sentry makes itself or injects into a stub (mmap, munmap, clone...) need
 * an entry here.
 *
 * To add a system call, add one entry to the table in the group it
 * belongs to, with a comment saying which sentry feature needs it. Never
 * add a syscall that takes a host path (open, openat, execve, mount...)
 * or creates a network socket: those are exactly what the sentry gives up.
 */
#include "sentry/seccomp.h"
#include "common/log.h"
#include "common/util.h"

#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <termios.h>

struct syscall_rule {
	int nr;		  /* from SCMP_SYS() */
	const char *name; /* for error messages */
	int errno_value;  /* 0: allow; else fail with this errno */
	int arg;	  /* index of the filtered argument; -1: none */
	uint64_t mask;	  /* allow when (args[arg] & mask) is in values */
	const uint64_t *values;
	size_t nvalues;
};

#define ALLOW(sys)                                                             \
	{                                                                      \
		.nr = SCMP_SYS(sys), .name = #sys, .arg = -1                   \
	}

#define VALUES(...)  ((const uint64_t[]){__VA_ARGS__})
#define NVALUES(...) (sizeof(VALUES(__VA_ARGS__)) / sizeof(uint64_t))

/* Allow sys when (argument argn & mask) equals one of the values. */
#define ALLOW_IF(sys, argn, maskv, ...)                                        \
	{                                                                      \
		.nr = SCMP_SYS(sys), .name = #sys, .arg = (argn),              \
		.mask = (maskv), .values = VALUES(__VA_ARGS__),                \
		.nvalues = NVALUES(__VA_ARGS__),                               \
	}

/* Fail sys with errno e instead of killing the process. */
#define FAIL(sys, e)                                                           \
	{                                                                      \
		.nr = SCMP_SYS(sys), .name = #sys, .errno_value = (e),         \
		.arg = -1                                                      \
	}

/* int arguments: the kernel ignores the upper 32 bits of the register. */
#define INT_MASK 0xffffffffULL
#define ANY_BITS UINT64_MAX

/* clone() flags that would create namespaces, in which a compromised
 * sentry could gain capabilities again. */
#define CLONE_NAMESPACE_FLAGS                                                  \
	(CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |           \
	 CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP)

static const struct syscall_rule rules[] = {
    /* I/O on FDs the sentry already has: host files donated by the
     * gofer, pipes, memfds and the guest's stdio. */
    ALLOW(read),
    ALLOW(write),
    ALLOW(pread64),
    ALLOW(pwrite64),
    ALLOW(readv),
    ALLOW(writev),
    ALLOW(preadv),
    ALLOW(pwritev),
    ALLOW(lseek),
    ALLOW(sendfile), /* guest sendfile between two host FDs */
    ALLOW(splice),   /* guest splice and pipe plumbing */
    ALLOW(tee),

    /* FD table management. */
    ALLOW(close),
    ALLOW(close_range),
    ALLOW(dup),
    ALLOW(dup2),
    ALLOW(dup3),
    ALLOW(fcntl),

    /* Metadata and data of open host files. */
    ALLOW(fstat),
    /* glibc's fstat() is newfstatat(fd, "", buf, AT_EMPTY_PATH).
     * NOTE: seccomp cannot read the path argument, so a non-empty path
     * relative to a donated directory FD is still resolved. The empty
     * root and the gofer's FD flags (O_NOFOLLOW) limit what it reaches. */
    ALLOW_IF(newfstatat, 3, AT_EMPTY_PATH, AT_EMPTY_PATH),
    ALLOW(fstatfs),
    ALLOW(ftruncate), /* guest ftruncate, sizing memfds */
    ALLOW(fallocate), /* guest fallocate */
    ALLOW(fsync),
    ALLOW(fdatasync),
    ALLOW(getdents64), /* directory FDs donated by the gofer */

    /* Pipes, sockets and eventfds the sentry creates for the guest and
     * the gofer connection. socketpair is AF_UNIX only, and the sentry
     * cannot create any other socket. */
    ALLOW(pipe),
    ALLOW(pipe2),
    ALLOW_IF(socketpair, 0, INT_MASK, AF_UNIX),
    ALLOW(sendmsg), /* gofer requests; the guest's unix sockets */
    ALLOW(recvmsg), /* gofer replies with donated FDs (SCM_RIGHTS) */
    /* glibc's send() is sendto(..., NULL, 0); a destination address is
     * never needed because every sentry socket is connected. */
    ALLOW_IF(sendto, 4, ANY_BITS, 0),
    ALLOW(recvfrom), /* glibc's recv() */
    ALLOW(shutdown),
    ALLOW(eventfd2), /* waking blocked sentry threads */

    /* Waiting for FDs and timers. */
    ALLOW(poll),
    ALLOW(ppoll),
    ALLOW(select),
    ALLOW(pselect6),
    ALLOW(epoll_create1),
    ALLOW(epoll_ctl),
    ALLOW(epoll_wait),
    ALLOW(epoll_pwait),
    ALLOW(timerfd_create), /* guest timers and sleeps */
    ALLOW(timerfd_settime),
    ALLOW(timerfd_gettime),

    /* Memory: the sentry's heap and thread stacks, and guest memory
     * (memfds the sentry maps into itself and injects into stubs). */
    ALLOW(mmap),
    ALLOW(munmap),
    ALLOW(mprotect),
    ALLOW(mremap),
    ALLOW(madvise),
    ALLOW(brk),
    ALLOW(memfd_create),

    /* Signals: the supervisor's forwarded signals, waking sentry
     * threads, and glibc's abort(). */
    ALLOW(rt_sigaction),
    ALLOW(rt_sigprocmask),
    ALLOW(rt_sigreturn),
    ALLOW(rt_sigtimedwait),
    ALLOW(rt_sigsuspend),
    ALLOW(pause), /* glibc pause() on x86-64 */
    ALLOW(sigaltstack),
    ALLOW(kill), /* only processes of the sentry's PID namespace */
    ALLOW(tgkill),
    ALLOW(tkill),
    ALLOW(restart_syscall),

    /* Threads and stub processes. clone serves pthread_create() and the
     * stub forks, but may not create namespaces. clone3 fails with
     * ENOSYS so glibc falls back to clone, whose flags seccomp can
     * check (clone3 passes them in memory). */
    ALLOW_IF(clone, 0, CLONE_NAMESPACE_FLAGS, 0),
    FAIL(clone3, ENOSYS),
    ALLOW(exit),
    ALLOW(exit_group),
    ALLOW(wait4),
    ALLOW(waitid),
    ALLOW(set_robust_list),
    ALLOW(get_robust_list),
    ALLOW(rseq),	    /* glibc registers it in every thread */
    ALLOW(set_tid_address), /* stub start-up */
    ALLOW(futex),	    /* pthread mutexes and condition variables */
    ALLOW(sched_yield),
    ALLOW(sched_getaffinity), /* glibc's malloc sizes its arenas */
    /* The ptrace platform pins each sentry thread and the stub thread
     * it traces to one CPU, so their ping-pong avoids cross-CPU
     * wake-ups (platform/ptrace.c). */
    ALLOW(sched_setaffinity),
    ALLOW(getcpu), /* the guest's getcpu reports the host CPU */

    /* Driving the guest: ptrace the stubs, copy guest memory. */
    ALLOW(ptrace),
    ALLOW(process_vm_readv),
    ALLOW(process_vm_writev),

    /* Process identity, read-only. */
    ALLOW(getpid),
    ALLOW(gettid),
    ALLOW(getppid),
    ALLOW(getuid),
    ALLOW(geteuid),
    ALLOW(getgid),
    ALLOW(getegid),
    ALLOW(getcwd), /* always "/" after confinement; harmless */
    /* Reading the caller's umask for the guest's first process. It only
     * changes the mode of files the sentry creates, and it creates none
     * by path. */
    ALLOW(umask),
    ALLOW(getrlimit),
    /* glibc's getrlimit()/setrlimit(): only the sentry's own limits. */
    ALLOW_IF(prlimit64, 0, INT_MASK, 0),
    /* Stub set-up and thread names; no other prctl option.
     * PR_SET_SECCOMP lets a new stub add its vsyscall filter
     * (platform/ptrace.c); a filter can only take permissions away. */
    ALLOW_IF(prctl, 0, INT_MASK, PR_SET_PDEATHSIG, PR_GET_PDEATHSIG,
	     PR_SET_NAME, PR_GET_NAME, PR_SET_DUMPABLE, PR_GET_DUMPABLE,
	     PR_SET_SECCOMP),
    /* FS and GS bases and CPUID faulting of the sentry and the stubs. */
    ALLOW_IF(arch_prctl, 0, INT_MASK, ARCH_SET_FS, ARCH_GET_FS, ARCH_SET_GS,
	     ARCH_GET_GS, ARCH_GET_CPUID, ARCH_SET_CPUID),

    /* Time and system information for the guest's own syscalls. */
    ALLOW(clock_gettime),
    ALLOW(clock_getres),
    ALLOW(clock_nanosleep),
    ALLOW(nanosleep),
    ALLOW(gettimeofday),
    ALLOW(time),
    ALLOW(getrandom),
    ALLOW(uname),
    ALLOW(sysinfo),

    /* Terminal control of the guest's stdio when it is a host tty, and
     * non-blocking mode and queue sizes of pipes and sockets. */
    ALLOW_IF(ioctl, 1, INT_MASK, TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ,
	     TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP, FIONREAD, FIONBIO, TCFLSH,
	     TCXONC, TIOCOUTQ),
};

static int add_rule(scmp_filter_ctx ctx, const struct syscall_rule *rule)
{
	uint32_t action = rule->errno_value ? SCMP_ACT_ERRNO(rule->errno_value)
					    : SCMP_ACT_ALLOW;
	int r = 0;

	if (rule->arg < 0)
		return seccomp_rule_add(ctx, action, rule->nr, 0);
	for (size_t i = 0; i < rule->nvalues && r == 0; i++) {
		struct scmp_arg_cmp cmp = SCMP_CMP(
		    rule->arg, SCMP_CMP_MASKED_EQ, rule->mask, rule->values[i]);
		r = seccomp_rule_add_array(ctx, action, rule->nr, 1, &cmp);
	}
	return r;
}

int sentry_seccomp_build(scmp_filter_ctx *out)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int r;

	if (!ctx) {
		log_error("seccomp_init failed (out of memory?)");
		return -ENOMEM;
	}
	/* A 32-bit (int 0x80) or x32 syscall would bypass the x86-64
	 * numbers above. */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
			     SCMP_ACT_KILL_PROCESS);
	if (r < 0) {
		log_error("cannot set the seccomp bad-architecture action: %s",
			  strerror(-r));
		goto out_release;
	}
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		r = add_rule(ctx, &rules[i]);
		if (r < 0) {
			log_error("cannot add the seccomp rule for %s: %s",
				  rules[i].name, strerror(-r));
			goto out_release;
		}
	}
	*out = ctx;
	return 0;

out_release:
	seccomp_release(ctx);
	return r;
}

int sentry_seccomp_install(void)
{
	scmp_filter_ctx ctx;
	int r = sentry_seccomp_build(&ctx);

	if (r < 0)
		return r;
	r = seccomp_load(ctx);
	if (r < 0)
		log_error("cannot load the seccomp filter: %s", strerror(-r));
	seccomp_release(ctx);
	return r;
}
