/* The ptrace platform: each address space is a stub process traced with
 * PTRACE_SYSEMU, so every system call the application makes stops the
 * stub before the host kernel runs it, and the sentry emulates it.
 *
 * The sentry changes the stub's memory map by injecting system calls:
 * it points rip at a "syscall; int3" sequence in the stub's code page,
 * continues it without SYSEMU, and reads the result at the int3 trap.
 * Host FDs to map are passed over a socket whose stub end is FD 3.
 *
 * Stubs inherit the sentry's seccomp filter (they are forked from it), so
 * even an injected syscall can only be one the sentry itself may make.
 */
#include "platform/platform.h"
#include "common/log.h"
#include "common/util.h"

#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define STUB_SOCK_FD 3
/* FD number of a received FD in the stub: its lowest free FD. */
#define STUB_RECV_FD 0
#define STUB_DATA    (STUB_BASE + 0x1000)

extern const char stub_code_start[], stub_code_end[];
extern const uint64_t stub_off_syscall, stub_off_fork;

/* The stub thread traced by the calling sentry thread. ptrace requests
 * work only from the tracer, and each sentry thread traces exactly one
 * stub thread, so this is per sentry thread. */
static __thread pid_t tracee = -1;
/* The address space tracee belongs to. */
static __thread struct platform_as *tracee_as;

pid_t platform_current_tid(void)
{
	return tracee;
}

struct platform_as *platform_current_as(void)
{
	return tracee_as;
}

/* Pin the calling sentry thread and the stub thread it traces to one
 * CPU. They never run at the same time, because one waits while the
 * other runs, so on a shared CPU each switch is a plain context switch.
 * Across CPUs every guest syscall waits for two wake-ups of a possibly
 * idle CPU, about 10 times slower on the 2-CPU VM of docs/benchmarks.md.
 * CPUs are handed out round-robin among those the sentry may use. */
static void pin_pair(pid_t tid)
{
	static cpu_set_t allowed;
	static int ncpu = -1; /* set once, by the first caller */
	static unsigned next;
	static __thread int my_cpu = -1;
	cpu_set_t one;

	if (__atomic_load_n(&ncpu, __ATOMIC_ACQUIRE) < 0) {
		/* The first call comes from the sentry's main thread before
		 * anything is pinned, so this is the sentry's whole set. */
		if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0)
			CPU_ZERO(&allowed);
		__atomic_store_n(&ncpu, CPU_COUNT(&allowed), __ATOMIC_RELEASE);
	}
	if (ncpu <= 1)
		return;
	if (my_cpu < 0) {
		int pick =
		    __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED) % ncpu;
		for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
			if (CPU_ISSET(cpu, &allowed) && pick-- == 0) {
				my_cpu = cpu;
				break;
			}
		}
		if (my_cpu < 0)
			return;
		CPU_ZERO(&one);
		CPU_SET(my_cpu, &one);
		sched_setaffinity(0, sizeof(one), &one);
	}
	CPU_ZERO(&one);
	CPU_SET(my_cpu, &one);
	sched_setaffinity(tid, sizeof(one), &one);
}

void platform_set_current(struct platform_as *as, pid_t tid)
{
	tracee_as = as;
	tracee = tid;
}

struct platform_as {
	pid_t pid;
	/* Serialises users of the stub's data page and FD socket: several
	 * threads of one address space may inject at once. */
	pthread_mutex_t data_lock;
	int sock;	  /* sentry end of the FD-passing socket */
	int child_sockfd; /* after fork: the stub FD to move to FD 3 */
	struct user_regs_struct base; /* a valid register set to inject with */
};

pid_t platform_as_pid(const struct platform_as *as)
{
	return as->pid;
}

/* Wait for the next stop of the stub. Returns the wait status. */
static int stub_wait(pid_t pid)
{
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, __WALL);
		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/* The host kernel emulates calls into the legacy vsyscall page itself:
 * they never stop at PTRACE_SYSEMU, but they do pass seccomp. The stubs'
 * own filter makes those three calls fail with ENOSYS, so guest code
 * never runs a real host system call. No other syscall reaches seccomp
 * from guest code, and the sentry never injects these three. */
static struct sock_filter vsyscall_filter_insns[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_gettimeofday, 3, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_time, 2, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getcpu, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
};

static const struct sock_fprog vsyscall_filter = {
    .len = sizeof(vsyscall_filter_insns) / sizeof(vsyscall_filter_insns[0]),
    .filter = vsyscall_filter_insns,
};

/* Runs in the child of fork(): turn this copy of the sentry into an empty
 * stub. Only async-signal-safe calls are allowed here. */
static _Noreturn void stub_child_init(int sock)
{
	void *code;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Operators see guest processes as moat-stub in ps. */
	prctl(PR_SET_NAME, "moat-stub");
	/* glibc registered an rseq area in this thread's TLS, which is about
	 * to be unmapped. The kernel would then kill the stub with SIGSEGV
	 * on its next return to user mode. */
	if (__rseq_size) {
		/* glibc registers at least 32 bytes (the original struct
		 * rseq) even where __rseq_size reports fewer. */
		void *area = (char *)__builtin_thread_pointer() + __rseq_offset;
		if (syscall(SYS_rseq, area, MAX(__rseq_size, 32U),
			    RSEQ_FLAG_UNREGISTER, RSEQ_SIG) != 0)
			syscall(SYS_rseq, area, __rseq_size,
				RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
	}
	if (sock != STUB_SOCK_FD && dup2(sock, STUB_SOCK_FD) < 0)
		_exit(127);
	syscall(SYS_close_range, 0, 2, 0);
	syscall(SYS_close_range, STUB_SOCK_FD + 1, ~0U, 0);
	/* Allowed because the sentry set no_new_privs before forking (or,
	 * in unit tests, because the caller is root). */
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &vsyscall_filter) < 0)
		_exit(127);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
		_exit(127);
	code = mmap((void *)STUB_BASE, STUB_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (code == MAP_FAILED)
		_exit(127);
	memcpy(code, stub_code_start, stub_code_end - stub_code_start);
	if (mprotect(code, PAGE_SIZE, PROT_READ | PROT_EXEC) < 0)
		_exit(127);
	((void (*)(void))code)();
	_exit(127);
}

static int stub_set_options(pid_t pid)
{
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL;

	if (ptrace(PTRACE_SETOPTIONS, pid, 0, opts) < 0)
		return neg_errno();
	return 0;
}

int platform_as_create(struct platform_as **out)
{
	struct platform_as *as;
	int sv[2], status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return neg_errno();
	pid = fork();
	if (pid < 0) {
		int err = neg_errno();
		close(sv[0]);
		close(sv[1]);
		return err;
	}
	if (pid == 0)
		stub_child_init(sv[1]);
	close(sv[1]);

	status = stub_wait(pid);
	if (status < 0 || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
		struct user_regs_struct r = {0};
		siginfo_t si = {0};
		ptrace(PTRACE_GETREGS, pid, 0, &r);
		ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
		log_error(
		    "stub %d failed to start (wait status %#x, rip %#llx, "
		    "fault address %p)",
		    pid, status, r.rip, si.si_addr);
		kill(pid, SIGKILL);
		stub_wait(pid);
		close(sv[0]);
		return -ECHILD;
	}
	as = xcalloc(1, sizeof(*as));
	pthread_mutex_init(&as->data_lock, NULL);
	as->pid = pid;
	as->sock = sv[0];
	as->child_sockfd = -1;
	platform_set_current(as, pid);
	pin_pair(pid);
	if (stub_set_options(pid) < 0 ||
	    ptrace(PTRACE_GETREGS, pid, 0, &as->base) < 0) {
		int err = neg_errno();
		platform_as_destroy(as);
		return err;
	}
	*out = as;
	return 0;
}

void platform_as_destroy(struct platform_as *as)
{
	int status;

	if (!as)
		return;
	if (as->pid > 0) {
		kill(as->pid, SIGKILL);
		/* The death of a traced thread is reported to its tracer,
		 * which must reap it. Stub threads whose tracer is gone were
		 * detached and are reaped by the kernel, since the sentry sets
		 * SA_NOCLDWAIT for SIGCHLD. */
		if (tracee_as == as) {
			while (waitpid(tracee, &status, __WALL) == tracee &&
			       !WIFEXITED(status) && !WIFSIGNALED(status))
				;
			platform_set_current(NULL, -1);
		}
	}
	if (as->sock >= 0)
		close(as->sock);
	pthread_mutex_destroy(&as->data_lock);
	free(as);
}

/* Run one system call inside the stub and return its result. The stub's
 * registers are clobbered: platform_run always sets them again. */
static long stub_syscall_at(struct platform_as *as, uint64_t off, long nr,
			    long a0, long a1, long a2, long a3, long a4,
			    long a5)
{
	struct user_regs_struct regs = as->base;
	int status;

	regs.rip = STUB_BASE + off;
	regs.rax = nr;
	regs.orig_rax = -1;
	regs.rdi = a0;
	regs.rsi = a1;
	regs.rdx = a2;
	regs.r10 = a3;
	regs.r8 = a4;
	regs.r9 = a5;
	if (ptrace(PTRACE_SETREGS, tracee, 0, &regs) < 0)
		return neg_errno();
	if (ptrace(PTRACE_CONT, tracee, 0, 0) < 0)
		return neg_errno();
	for (;;) {
		status = stub_wait(tracee);
		if (status < 0 || !WIFSTOPPED(status))
			return -ESRCH;
		if (WSTOPSIG(status) == SIGTRAP)
			break;
		/* A fault means the stub is broken: retrying would loop. */
		if (WSTOPSIG(status) == SIGSEGV || WSTOPSIG(status) == SIGBUS ||
		    WSTOPSIG(status) == SIGILL || WSTOPSIG(status) == SIGSYS) {
			log_error(
			    "stub %d: signal %d during injected syscall %ld",
			    tracee, WSTOPSIG(status), nr);
			kill(tracee, SIGKILL);
			return -EFAULT;
		}
		/* Some other host signal (a stray SIGSTOP): drop it. */
		if (ptrace(PTRACE_CONT, tracee, 0, 0) < 0)
			return neg_errno();
	}
	if (ptrace(PTRACE_GETREGS, tracee, 0, &regs) < 0)
		return neg_errno();
	/* The trap is the int3 after the syscall (a few bytes further on
	 * for the fork sequence). */
	if (regs.rip <= STUB_BASE + off || regs.rip > STUB_BASE + off + 16) {
		log_error("stub %d: injected syscall %ld stopped at %#llx",
			  tracee, nr, regs.rip);
		return -EFAULT;
	}
	return (long)regs.rax;
}

static long stub_syscall(struct platform_as *as, long nr, long a0, long a1,
			 long a2, long a3, long a4, long a5)
{
	return stub_syscall_at(as, stub_off_syscall, nr, a0, a1, a2, a3, a4,
			       a5);
}

/* Layout of the stub's data page for recvmsg. */
struct stub_msg {
	struct msghdr msg;
	struct iovec iov;
	char byte;
	char pad[7];
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} cmsg;
};

/* Copy hostfd into the stub; returns the stub's FD number. */
static int stub_receive_fd_locked(struct platform_as *as, int hostfd);

static int stub_receive_fd(struct platform_as *as, int hostfd)
{
	int fd;

	pthread_mutex_lock(&as->data_lock);
	fd = stub_receive_fd_locked(as, hostfd);
	pthread_mutex_unlock(&as->data_lock);
	return fd;
}

static int stub_receive_fd_locked(struct platform_as *as, int hostfd)
{
	struct stub_msg m = {0};
	struct msghdr msg = {0};
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} cbuf;
	struct iovec iov;
	char byte = 0;
	long r;

	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof(cbuf.buf);
	memset(&cbuf, 0, sizeof(cbuf));
	cbuf.hdr.cmsg_level = SOL_SOCKET;
	cbuf.hdr.cmsg_type = SCM_RIGHTS;
	cbuf.hdr.cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(&cbuf.hdr), &hostfd, sizeof(int));
	if (sendmsg(as->sock, &msg, 0) != 1)
		return neg_errno();

	m.iov.iov_base = (void *)(STUB_DATA + offsetof(struct stub_msg, byte));
	m.iov.iov_len = 1;
	m.msg.msg_iov = (void *)(STUB_DATA + offsetof(struct stub_msg, iov));
	m.msg.msg_iovlen = 1;
	m.msg.msg_control =
	    (void *)(STUB_DATA + offsetof(struct stub_msg, cmsg));
	m.msg.msg_controllen = sizeof(m.cmsg.buf);
	if (platform_write(as, STUB_DATA, &m, sizeof(m)) != sizeof(m))
		return -EFAULT;
	r = stub_syscall(as, SYS_recvmsg, STUB_SOCK_FD, STUB_DATA,
			 MSG_CMSG_CLOEXEC, 0, 0, 0);
	if (r != 1) {
		/* The FD is still queued and would be taken for the next
		 * transfer: this address space can't be trusted any more.
		 * Only guest code writing the data page gets here. */
		log_error("stub %d: receiving an FD failed (%ld); killing it",
			  as->pid, r);
		kill(as->pid, SIGKILL);
		return r < 0 ? (int)r : -EIO;
	}
	/* Trust boundary: guest threads can write the data page, so the FD
	 * number is not read back from it. The stub holds only FD 3
	 * between transfers, so the kernel always gives the lowest free
	 * number, STUB_RECV_FD. */
	return STUB_RECV_FD;
}

int platform_mmap(struct platform_as *as, uint64_t addr, uint64_t len, int prot,
		  int flags, int hostfd, uint64_t offset)
{
	int stubfd = -1;
	long r;

	BUG_ON(!(flags & MAP_FIXED));
	if (hostfd >= 0) {
		stubfd = stub_receive_fd(as, hostfd);
		if (stubfd < 0)
			return stubfd;
	}
	r = stub_syscall(as, SYS_mmap, addr, len, prot, flags, stubfd, offset);
	if (stubfd >= 0)
		stub_syscall(as, SYS_close, stubfd, 0, 0, 0, 0, 0);
	if (r < 0 && r > -4096)
		return (int)r;
	if ((uint64_t)r != addr)
		return -ENOMEM;
	return 0;
}

int platform_munmap(struct platform_as *as, uint64_t addr, uint64_t len)
{
	return (int)stub_syscall(as, SYS_munmap, addr, len, 0, 0, 0, 0);
}

int platform_mprotect(struct platform_as *as, uint64_t addr, uint64_t len,
		      int prot)
{
	return (int)stub_syscall(as, SYS_mprotect, addr, len, prot, 0, 0, 0);
}

int platform_madvise(struct platform_as *as, uint64_t addr, uint64_t len,
		     int advice)
{
	return (int)stub_syscall(as, SYS_madvise, addr, len, advice, 0, 0, 0);
}

long platform_mremap(struct platform_as *as, uint64_t old_addr,
		     uint64_t old_len, uint64_t new_len, int flags,
		     uint64_t new_addr)
{
	return stub_syscall(as, SYS_mremap, old_addr, old_len, new_len, flags,
			    new_addr, 0);
}

int platform_write_force(struct platform_as *as, uint64_t addr, const void *buf,
			 size_t len)
{
	const unsigned char *p = buf;

	while (len > 0) {
		uint64_t word_addr = addr & ~7UL;
		size_t skip = addr - word_addr;
		size_t n = MIN(len, 8 - skip);
		long word;

		errno = 0;
		word = ptrace(PTRACE_PEEKDATA, tracee, word_addr, 0);
		if (errno)
			return -EFAULT;
		memcpy((char *)&word + skip, p, n);
		if (ptrace(PTRACE_POKEDATA, tracee, word_addr, word) < 0)
			return -EFAULT;
		addr += n;
		p += n;
		len -= n;
	}
	return 0;
}

ssize_t platform_read(struct platform_as *as, uint64_t addr, void *buf,
		      size_t len)
{
	struct iovec local = {buf, len};
	struct iovec remote = {(void *)addr, len};
	ssize_t n = process_vm_readv(as->pid, &local, 1, &remote, 1, 0);

	return n < 0 ? neg_errno() : n;
}

ssize_t platform_write(struct platform_as *as, uint64_t addr, const void *buf,
		       size_t len)
{
	struct iovec local = {(void *)buf, len};
	struct iovec remote = {(void *)addr, len};
	ssize_t n = process_vm_writev(as->pid, &local, 1, &remote, 1, 0);

	return n < 0 ? neg_errno() : n;
}

int platform_as_fork(struct platform_as *as, struct platform_as **out)
{
	struct platform_as *child;
	int sv[2];
	long stubfd, pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return neg_errno();
	stubfd = stub_receive_fd(as, sv[1]);
	close(sv[1]);
	if (stubfd < 0) {
		close(sv[0]);
		return (int)stubfd;
	}
	/* CLONE_PARENT makes the new stub a child of the sentry, not of the
	 * parent stub, so the sentry reaps it. */
	pid = stub_syscall_at(as, stub_off_fork, SYS_clone,
			      CLONE_PARENT | SIGCHLD, 0, 0, 0, 0, 0);
	stub_syscall(as, SYS_close, stubfd, 0, 0, 0, 0, 0);
	if (pid < 0) {
		close(sv[0]);
		return (int)pid;
	}
	child = xcalloc(1, sizeof(*child));
	pthread_mutex_init(&child->data_lock, NULL);
	child->pid = pid;
	child->sock = sv[0];
	child->child_sockfd = stubfd;
	child->base = as->base;
	*out = child;
	return 0;
}

int platform_thread_attach(struct platform_as *as, pid_t tid)
{
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL;
	int status;

	if (ptrace(PTRACE_SEIZE, tid, 0, opts) < 0)
		return neg_errno();
	if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) < 0)
		return neg_errno();
	status = stub_wait(tid);
	if (status < 0 || !WIFSTOPPED(status))
		return -ESRCH;
	platform_set_current(as, tid);
	pin_pair(tid);
	return 0;
}

int platform_clone(struct platform_as *as, bool thread, pid_t *tid)
{
	/* A thread shares everything with the stub process. A vfork-style
	 * child is a separate host process that shares only the memory, and
	 * CLONE_PARENT makes the sentry its parent, so the sentry reaps it. */
	long flags = thread ? CLONE_VM | CLONE_FS | CLONE_FILES |
				  CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM
			    : CLONE_VM | CLONE_PARENT | SIGCHLD;
	long r =
	    stub_syscall_at(as, stub_off_fork, SYS_clone, flags, 0, 0, 0, 0, 0);

	if (r < 0)
		return (int)r;
	*tid = (pid_t)r;
	return 0;
}

void platform_thread_exit(struct platform_as *as)
{
	struct user_regs_struct regs = as->base;

	/* exit() ends only this stub thread (or this vfork-style process);
	 * the address space lives on for the others. Detach instead of
	 * waiting for the exit: a thread group leader's exit is not
	 * reported until every thread has gone, and detaching also drops
	 * PTRACE_O_EXITKILL, which would otherwise kill the whole stub when
	 * this sentry thread ends. The kernel reaps the thread. */
	regs.rip = STUB_BASE + stub_off_syscall;
	regs.rax = SYS_exit;
	regs.rdi = 0;
	regs.orig_rax = -1;
	if (ptrace(PTRACE_SETREGS, tracee, 0, &regs) == 0)
		ptrace(PTRACE_DETACH, tracee, 0, 0);
	platform_set_current(NULL, -1);
}

int platform_as_attach(struct platform_as *as)
{
	long r;

	r = platform_thread_attach(as, as->pid);
	if (r)
		return (int)r;
	if (as->child_sockfd >= 0) {
		r = stub_syscall(as, SYS_dup2, as->child_sockfd, STUB_SOCK_FD,
				 0, 0, 0, 0);
		stub_syscall(as, SYS_close, as->child_sockfd, 0, 0, 0, 0, 0);
		as->child_sockfd = -1;
		if (r < 0)
			return (int)r;
	}
	return 0;
}

int platform_init_regs(struct platform_as *as, struct arch_regs *regs)
{
	const struct user_regs_struct *b = &as->base;

	/* Only the selectors come from the stub; everything else starts at
	 * zero as after execve. */
	memset(regs, 0, sizeof(*regs));
	regs->regs.cs = b->cs;
	regs->regs.ss = b->ss;
	regs->regs.ds = b->ds;
	regs->regs.es = b->es;
	regs->regs.fs = b->fs;
	regs->regs.gs = b->gs;
	regs->regs.eflags = 0x202;
	regs->regs.orig_rax = -1;
	return 0;
}

void platform_interrupt(struct platform_as *as, pid_t tid)
{
	(void)as;
	if (tid > 0)
		syscall(SYS_tkill, tid, SIGSTOP);
}

int platform_get_fpregs(struct platform_as *as, struct arch_regs *regs)
{
	if (ptrace(PTRACE_GETFPREGS, tracee, 0, &regs->fpregs) < 0)
		return neg_errno();
	regs->fpregs_valid = 1;
	return 0;
}

enum platform_stop platform_run(struct platform_as *as, struct arch_regs *regs,
				siginfo_t *info)
{
	int status;

	if (ptrace(PTRACE_SETREGS, tracee, 0, &regs->regs) < 0) {
		log_debug("stub %d: PTRACE_SETREGS failed: %m", tracee);
		return STOP_EXITED;
	}
	/* fpregs_valid == 2: the sentry changed them (sigreturn). */
	if (regs->fpregs_valid == 2) {
		ptrace(PTRACE_SETFPREGS, tracee, 0, &regs->fpregs);
		regs->fpregs_valid = 1;
	}
	if (ptrace(PTRACE_SYSEMU, tracee, 0, 0) < 0)
		return STOP_EXITED;
	for (;;) {
		status = stub_wait(tracee);
		if (status < 0 || WIFEXITED(status) || WIFSIGNALED(status)) {
			log_debug("stub %d ended (wait status %#x)", tracee,
				  status);
			tracee = -1;
			return STOP_EXITED;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (WSTOPSIG(status) == (SIGTRAP | 0x80))
			break;
		if (status >> 16) {
			/* An event stop: not the application's business. */
			if (ptrace(PTRACE_SYSEMU, tracee, 0, 0) < 0)
				return STOP_EXITED;
			continue;
		}
		if (WSTOPSIG(status) == SIGSTOP) {
			if (ptrace(PTRACE_GETREGS, tracee, 0, &regs->regs) < 0)
				return STOP_EXITED;
			return STOP_INTERRUPT;
		}
		if (ptrace(PTRACE_GETSIGINFO, tracee, 0, info) < 0)
			return STOP_EXITED;
		if (ptrace(PTRACE_GETREGS, tracee, 0, &regs->regs) < 0)
			return STOP_EXITED;
		regs->fpregs_valid = 0;
		return STOP_SIGNAL;
	}
	if (ptrace(PTRACE_GETREGS, tracee, 0, &regs->regs) < 0)
		return STOP_EXITED;
	regs->fpregs_valid = 0;
	return STOP_SYSCALL;
}
