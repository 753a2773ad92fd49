/* Symbolic decoding of flag words and enumerations for strace.
 *
 * Values are the x86-64 kernel ABI. They are taken from the host's
 * headers where glibc's value is the kernel's, and written out where it
 * is not (glibc defines O_LARGEFILE as 0 on 64-bit) or where the header
 * is too old for the name.
 */
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <linux/futex.h>

#include "common/util.h"
#include "sentry/strace.h"

struct flag_name {
	uint64_t value;
	const char *name;
};

#define FLAG(x)                                                                \
	{                                                                      \
		x, #x                                                          \
	}

/* Append the names of the flags set in value joined by '|', then any
 * bits left over in hex. Entries with several bits must come before
 * their single-bit parts. Appends zero_name (or "0") if value is 0. */
static void format_flags(struct strace_buf *b, uint64_t value,
			 const struct flag_name *names, size_t count,
			 const char *zero_name)
{
	bool first = true;

	if (value == 0) {
		strace_printf(b, "%s", zero_name ? zero_name : "0");
		return;
	}
	for (size_t i = 0; i < count && value; i++) {
		if (names[i].value &&
		    (value & names[i].value) == names[i].value) {
			strace_printf(b, "%s%s", first ? "" : "|",
				      names[i].name);
			value &= ~names[i].value;
			first = false;
		}
	}
	if (value)
		strace_printf(b, "%s%#llx", first ? "" : "|",
			      (unsigned long long)value);
}

/* Append the name of value, or its decimal (or hex) value if unnamed. */
static void format_enum(struct strace_buf *b, uint64_t value,
			const struct flag_name *names, size_t count, bool hex)
{
	for (size_t i = 0; i < count; i++) {
		if (names[i].value == value) {
			strace_printf(b, "%s", names[i].name);
			return;
		}
	}
	if (hex)
		strace_printf(b, "%#llx", (unsigned long long)value);
	else
		strace_printf(b, "%lld", (long long)value);
}

#define KERNEL_O_LARGEFILE 0100000

static const struct flag_name open_flag_names[] = {
    FLAG(O_TMPFILE), /* includes O_DIRECTORY */
    FLAG(O_SYNC),    /* includes O_DSYNC */
    FLAG(O_CREAT),     FLAG(O_EXCL),
    FLAG(O_NOCTTY),    FLAG(O_TRUNC),
    FLAG(O_APPEND),    FLAG(O_NONBLOCK),
    FLAG(O_DSYNC),     FLAG(O_ASYNC),
    FLAG(O_DIRECT),    {KERNEL_O_LARGEFILE, "O_LARGEFILE"},
    FLAG(O_DIRECTORY), FLAG(O_NOFOLLOW),
    FLAG(O_NOATIME),   FLAG(O_CLOEXEC),
    FLAG(O_PATH),
};

void strace_format_open_flags(struct strace_buf *b, uint64_t flags)
{
	static const char *const access_modes[] = {"O_RDONLY", "O_WRONLY",
						   "O_RDWR", "O_ACCMODE"};
	uint64_t rest = flags & ~(uint64_t)O_ACCMODE;

	strace_printf(b, "%s", access_modes[flags & O_ACCMODE]);
	if (rest) {
		strace_printf(b, "|");
		format_flags(b, rest, open_flag_names,
			     ARRAY_SIZE(open_flag_names), NULL);
	}
}

/* Flags of pipe2, dup3, eventfd2, accept4 and the like, which share the
 * values of O_CLOEXEC and O_NONBLOCK under other names. */
void strace_format_fd_flags(struct strace_buf *b, uint64_t flags)
{
	format_flags(b, flags, open_flag_names, ARRAY_SIZE(open_flag_names),
		     NULL);
}

static const struct flag_name file_type_names[] = {
    FLAG(S_IFREG), FLAG(S_IFDIR), FLAG(S_IFCHR),  FLAG(S_IFBLK),
    FLAG(S_IFIFO), FLAG(S_IFLNK), FLAG(S_IFSOCK),
};

void strace_format_mode(struct strace_buf *b, uint64_t mode)
{
	uint64_t type = mode & S_IFMT;

	if (type) {
		format_enum(b, type, file_type_names,
			    ARRAY_SIZE(file_type_names), true);
		strace_printf(b, "|");
	}
	strace_printf(b, "%#03llo", (unsigned long long)(mode & ~S_IFMT));
}

static const struct flag_name prot_names[] = {
    FLAG(PROT_READ),   FLAG(PROT_WRITE),     FLAG(PROT_EXEC),
    {0x8, "PROT_SEM"}, FLAG(PROT_GROWSDOWN), FLAG(PROT_GROWSUP),
};

void strace_format_prot(struct strace_buf *b, uint64_t prot)
{
	format_flags(b, prot, prot_names, ARRAY_SIZE(prot_names), "PROT_NONE");
}

#define KERNEL_MAP_TYPE		   0x0f
#define KERNEL_MAP_SHARED_VALIDATE 0x03
#define KERNEL_MAP_SYNC		   0x80000
#define KERNEL_MAP_FIXED_NOREPLACE 0x100000

static const struct flag_name mmap_type_names[] = {
    FLAG(MAP_SHARED),
    FLAG(MAP_PRIVATE),
    {KERNEL_MAP_SHARED_VALIDATE, "MAP_SHARED_VALIDATE"},
};

static const struct flag_name mmap_flag_names[] = {
    FLAG(MAP_FIXED),
    FLAG(MAP_ANONYMOUS),
    FLAG(MAP_32BIT),
    FLAG(MAP_GROWSDOWN),
    FLAG(MAP_DENYWRITE),
    FLAG(MAP_EXECUTABLE),
    FLAG(MAP_LOCKED),
    FLAG(MAP_NORESERVE),
    FLAG(MAP_POPULATE),
    FLAG(MAP_NONBLOCK),
    FLAG(MAP_STACK),
    FLAG(MAP_HUGETLB),
    {KERNEL_MAP_SYNC, "MAP_SYNC"},
    {KERNEL_MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"},
};

void strace_format_mmap_flags(struct strace_buf *b, uint64_t flags)
{
	uint64_t rest = flags & ~(uint64_t)KERNEL_MAP_TYPE;

	format_enum(b, flags & KERNEL_MAP_TYPE, mmap_type_names,
		    ARRAY_SIZE(mmap_type_names), true);
	if (rest) {
		strace_printf(b, "|");
		format_flags(b, rest, mmap_flag_names,
			     ARRAY_SIZE(mmap_flag_names), NULL);
	}
}

static const struct flag_name at_flag_names[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"},
    {0x400, "AT_SYMLINK_FOLLOW"},   {0x800, "AT_NO_AUTOMOUNT"},
    {0x1000, "AT_EMPTY_PATH"},	    {0x2000, "AT_STATX_FORCE_SYNC"},
    {0x4000, "AT_STATX_DONT_SYNC"}, {0x8000, "AT_RECURSIVE"},
};

/* NOTE: 0x200 is AT_EACCESS for faccessat2 and AT_REMOVEDIR elsewhere;
 * it always prints as AT_REMOVEDIR. */
void strace_format_at_flags(struct strace_buf *b, uint64_t flags)
{
	format_flags(b, flags, at_flag_names, ARRAY_SIZE(at_flag_names), NULL);
}

static const struct flag_name clone_flag_names[] = {
    FLAG(CLONE_VM),
    FLAG(CLONE_FS),
    FLAG(CLONE_FILES),
    FLAG(CLONE_SIGHAND),
    FLAG(CLONE_PIDFD),
    FLAG(CLONE_PTRACE),
    FLAG(CLONE_VFORK),
    FLAG(CLONE_PARENT),
    FLAG(CLONE_THREAD),
    FLAG(CLONE_NEWNS),
    FLAG(CLONE_SYSVSEM),
    FLAG(CLONE_SETTLS),
    FLAG(CLONE_PARENT_SETTID),
    FLAG(CLONE_CHILD_CLEARTID),
    FLAG(CLONE_DETACHED),
    FLAG(CLONE_UNTRACED),
    FLAG(CLONE_CHILD_SETTID),
    FLAG(CLONE_NEWCGROUP),
    FLAG(CLONE_NEWUTS),
    FLAG(CLONE_NEWIPC),
    FLAG(CLONE_NEWUSER),
    FLAG(CLONE_NEWPID),
    FLAG(CLONE_NEWNET),
    FLAG(CLONE_IO),
};

/* The low byte is clone's exit signal ("CLONE_VM|...|SIGCHLD"). */
void strace_format_clone_flags(struct strace_buf *b, uint64_t flags)
{
	uint64_t rest = flags & ~(uint64_t)0xff;
	int sig = flags & 0xff;
	bool sig_named = sig >= 1 && sig <= 64;

	if (rest)
		format_flags(b, rest, clone_flag_names,
			     ARRAY_SIZE(clone_flag_names), NULL);
	if (sig_named) {
		if (rest)
			strace_printf(b, "|");
		strace_format_signal(b, sig);
	} else if (sig) {
		strace_printf(b, "%s%#x", rest ? "|" : "", sig);
	} else if (!rest) {
		strace_printf(b, "0");
	}
}

static const char *const signal_abbrevs[32] = {
    [SIGHUP] = "HUP",	    [SIGINT] = "INT",	    [SIGQUIT] = "QUIT",
    [SIGILL] = "ILL",	    [SIGTRAP] = "TRAP",	    [SIGABRT] = "ABRT",
    [SIGBUS] = "BUS",	    [SIGFPE] = "FPE",	    [SIGKILL] = "KILL",
    [SIGUSR1] = "USR1",	    [SIGSEGV] = "SEGV",	    [SIGUSR2] = "USR2",
    [SIGPIPE] = "PIPE",	    [SIGALRM] = "ALRM",	    [SIGTERM] = "TERM",
    [SIGSTKFLT] = "STKFLT", [SIGCHLD] = "CHLD",	    [SIGCONT] = "CONT",
    [SIGSTOP] = "STOP",	    [SIGTSTP] = "TSTP",	    [SIGTTIN] = "TTIN",
    [SIGTTOU] = "TTOU",	    [SIGURG] = "URG",	    [SIGXCPU] = "XCPU",
    [SIGXFSZ] = "XFSZ",	    [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF",
    [SIGWINCH] = "WINCH",   [SIGIO] = "IO",	    [SIGPWR] = "PWR",
    [SIGSYS] = "SYS",
};

const char *signal_abbrev(int sig)
{
	return sig >= 1 && sig < 32 ? signal_abbrevs[sig] : NULL;
}

/* Kernel numbering of real-time signals: 32 is SIGRTMIN (glibc reserves
 * the first two, so its SIGRTMIN is 34) and 64 is SIGRTMAX. */
#define KERNEL_SIGRTMIN 32

static void format_signal_abbrev(struct strace_buf *b, int sig)
{
	if (signal_abbrev(sig))
		strace_printf(b, "%s", signal_abbrev(sig));
	else if (sig == KERNEL_SIGRTMIN)
		strace_printf(b, "RTMIN");
	else if (sig > KERNEL_SIGRTMIN && sig <= 64)
		strace_printf(b, "RT_%d", sig - KERNEL_SIGRTMIN);
	else
		strace_printf(b, "%d", sig);
}

void strace_format_signal(struct strace_buf *b, int sig)
{
	if (sig >= 1 && sig <= 64)
		strace_printf(b, "SIG");
	format_signal_abbrev(b, sig);
}

void strace_format_sigset(struct strace_buf *b, uint64_t set)
{
	bool first = true;

	/* strace prints the complement when most signals are set. */
	if (__builtin_popcountll(set) > 32) {
		strace_printf(b, "~");
		set = ~set;
	}
	strace_printf(b, "[");
	for (int sig = 1; sig <= 64; sig++) {
		if (!(set & (1ULL << (sig - 1))))
			continue;
		strace_printf(b, "%s", first ? "" : " ");
		format_signal_abbrev(b, sig);
		first = false;
	}
	strace_printf(b, "]");
}

static const struct flag_name whence_names[] = {
    FLAG(SEEK_SET),  FLAG(SEEK_CUR),  FLAG(SEEK_END),
    FLAG(SEEK_DATA), FLAG(SEEK_HOLE),
};

void strace_format_whence(struct strace_buf *b, uint64_t whence)
{
	format_enum(b, whence, whence_names, ARRAY_SIZE(whence_names), false);
}

static const struct flag_name access_mode_names[] = {
    FLAG(R_OK),
    FLAG(W_OK),
    FLAG(X_OK),
};

void strace_format_access_mode(struct strace_buf *b, uint64_t mode)
{
	format_flags(b, mode, access_mode_names, ARRAY_SIZE(access_mode_names),
		     "F_OK");
}

static const struct flag_name fcntl_cmd_names[] = {
    FLAG(F_DUPFD),	FLAG(F_GETFD),	    FLAG(F_SETFD),
    FLAG(F_GETFL),	FLAG(F_SETFL),	    FLAG(F_GETLK),
    FLAG(F_SETLK),	FLAG(F_SETLKW),	    FLAG(F_SETOWN),
    FLAG(F_GETOWN),	FLAG(F_SETSIG),	    FLAG(F_GETSIG),
    FLAG(F_SETOWN_EX),	FLAG(F_GETOWN_EX),  FLAG(F_OFD_GETLK),
    FLAG(F_OFD_SETLK),	FLAG(F_OFD_SETLKW), FLAG(F_SETLEASE),
    FLAG(F_GETLEASE),	FLAG(F_NOTIFY),	    FLAG(F_DUPFD_CLOEXEC),
    FLAG(F_SETPIPE_SZ), FLAG(F_GETPIPE_SZ), FLAG(F_ADD_SEALS),
    FLAG(F_GET_SEALS),
};

void strace_format_fcntl_cmd(struct strace_buf *b, uint64_t cmd)
{
	format_enum(b, cmd, fcntl_cmd_names, ARRAY_SIZE(fcntl_cmd_names),
		    false);
}

static const struct flag_name sigprocmask_how_names[] = {
    FLAG(SIG_BLOCK),
    FLAG(SIG_UNBLOCK),
    FLAG(SIG_SETMASK),
};

void strace_format_sigprocmask_how(struct strace_buf *b, uint64_t how)
{
	format_enum(b, how, sigprocmask_how_names,
		    ARRAY_SIZE(sigprocmask_how_names), false);
}

static const struct flag_name futex_cmd_names[] = {
    FLAG(FUTEX_WAIT),
    FLAG(FUTEX_WAKE),
    FLAG(FUTEX_FD),
    FLAG(FUTEX_REQUEUE),
    FLAG(FUTEX_CMP_REQUEUE),
    FLAG(FUTEX_WAKE_OP),
    FLAG(FUTEX_LOCK_PI),
    FLAG(FUTEX_UNLOCK_PI),
    FLAG(FUTEX_TRYLOCK_PI),
    FLAG(FUTEX_WAIT_BITSET),
    FLAG(FUTEX_WAKE_BITSET),
    FLAG(FUTEX_WAIT_REQUEUE_PI),
    FLAG(FUTEX_CMP_REQUEUE_PI),
    {13, "FUTEX_LOCK_PI2"},
};

/* "FUTEX_WAIT_PRIVATE", "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME". */
void strace_format_futex_op(struct strace_buf *b, uint64_t op)
{
	uint64_t cmd = op & FUTEX_CMD_MASK;

	format_enum(b, cmd, futex_cmd_names, ARRAY_SIZE(futex_cmd_names),
		    false);
	if (op & FUTEX_PRIVATE_FLAG)
		strace_printf(b, "_PRIVATE");
	if (op & FUTEX_CLOCK_REALTIME)
		strace_printf(b, "|FUTEX_CLOCK_REALTIME");
}

static const struct flag_name clockid_names[] = {
    FLAG(CLOCK_REALTIME),
    FLAG(CLOCK_MONOTONIC),
    FLAG(CLOCK_PROCESS_CPUTIME_ID),
    FLAG(CLOCK_THREAD_CPUTIME_ID),
    FLAG(CLOCK_MONOTONIC_RAW),
    FLAG(CLOCK_REALTIME_COARSE),
    FLAG(CLOCK_MONOTONIC_COARSE),
    FLAG(CLOCK_BOOTTIME),
    FLAG(CLOCK_REALTIME_ALARM),
    FLAG(CLOCK_BOOTTIME_ALARM),
    FLAG(CLOCK_TAI),
};

void strace_format_clockid(struct strace_buf *b, uint64_t clock)
{
	format_enum(b, (uint64_t)(int64_t)(int)clock, clockid_names,
		    ARRAY_SIZE(clockid_names), false);
}

static const struct flag_name sock_domain_names[] = {
    FLAG(AF_UNSPEC),  FLAG(AF_UNIX),   FLAG(AF_INET),  FLAG(AF_INET6),
    FLAG(AF_NETLINK), FLAG(AF_PACKET), FLAG(AF_VSOCK), FLAG(AF_ALG),
};

void strace_format_sock_domain(struct strace_buf *b, uint64_t domain)
{
	format_enum(b, domain, sock_domain_names, ARRAY_SIZE(sock_domain_names),
		    false);
}

static const struct flag_name sock_type_names[] = {
    FLAG(SOCK_STREAM),	  FLAG(SOCK_DGRAM), FLAG(SOCK_RAW),    FLAG(SOCK_RDM),
    FLAG(SOCK_SEQPACKET), FLAG(SOCK_DCCP),  FLAG(SOCK_PACKET),
};

static const struct flag_name sock_flag_names[] = {
    FLAG(SOCK_NONBLOCK),
    FLAG(SOCK_CLOEXEC),
};

void strace_format_sock_type(struct strace_buf *b, uint64_t type)
{
	uint64_t rest = type & ~(uint64_t)0xf;

	format_enum(b, type & 0xf, sock_type_names, ARRAY_SIZE(sock_type_names),
		    false);
	if (rest) {
		strace_printf(b, "|");
		format_flags(b, rest, sock_flag_names,
			     ARRAY_SIZE(sock_flag_names), NULL);
	}
}

static const struct flag_name arch_prctl_names[] = {
    {0x1001, "ARCH_SET_GS"},	     {0x1002, "ARCH_SET_FS"},
    {0x1003, "ARCH_GET_FS"},	     {0x1004, "ARCH_GET_GS"},
    {0x1011, "ARCH_GET_CPUID"},	     {0x1012, "ARCH_SET_CPUID"},
    {0x1021, "ARCH_GET_XCOMP_SUPP"}, {0x1022, "ARCH_GET_XCOMP_PERM"},
    {0x1023, "ARCH_REQ_XCOMP_PERM"}, {0x2001, "ARCH_MAP_VDSO_X32"},
    {0x2002, "ARCH_MAP_VDSO_32"},    {0x2003, "ARCH_MAP_VDSO_64"},
    {0x5001, "ARCH_SHSTK_ENABLE"},   {0x5002, "ARCH_SHSTK_DISABLE"},
};

void strace_format_arch_prctl(struct strace_buf *b, uint64_t code)
{
	format_enum(b, code, arch_prctl_names, ARRAY_SIZE(arch_prctl_names),
		    true);
}

static const struct flag_name prctl_op_names[] = {
    FLAG(PR_SET_PDEATHSIG),
    FLAG(PR_GET_PDEATHSIG),
    FLAG(PR_GET_DUMPABLE),
    FLAG(PR_SET_DUMPABLE),
    FLAG(PR_GET_KEEPCAPS),
    FLAG(PR_SET_KEEPCAPS),
    FLAG(PR_SET_NAME),
    FLAG(PR_GET_NAME),
    FLAG(PR_GET_SECCOMP),
    FLAG(PR_SET_SECCOMP),
    FLAG(PR_CAPBSET_READ),
    FLAG(PR_CAPBSET_DROP),
    FLAG(PR_GET_TSC),
    FLAG(PR_SET_TSC),
    FLAG(PR_GET_SECUREBITS),
    FLAG(PR_SET_SECUREBITS),
    FLAG(PR_SET_TIMERSLACK),
    FLAG(PR_GET_TIMERSLACK),
    FLAG(PR_SET_MM),
    FLAG(PR_SET_CHILD_SUBREAPER),
    FLAG(PR_GET_CHILD_SUBREAPER),
    FLAG(PR_SET_NO_NEW_PRIVS),
    FLAG(PR_GET_NO_NEW_PRIVS),
    FLAG(PR_GET_TID_ADDRESS),
    FLAG(PR_SET_THP_DISABLE),
    FLAG(PR_GET_THP_DISABLE),
    FLAG(PR_CAP_AMBIENT),
    {0x53564d41, "PR_SET_VMA"},
};

void strace_format_prctl_op(struct strace_buf *b, uint64_t op)
{
	format_enum(b, op, prctl_op_names, ARRAY_SIZE(prctl_op_names), false);
}

static const struct flag_name wait_option_names[] = {
    FLAG(WNOHANG), FLAG(WUNTRACED),   FLAG(WEXITED), FLAG(WCONTINUED),
    FLAG(WNOWAIT), FLAG(__WNOTHREAD), FLAG(__WALL),  FLAG(__WCLONE),
};

void strace_format_wait_options(struct strace_buf *b, uint64_t options)
{
	format_flags(b, options, wait_option_names,
		     ARRAY_SIZE(wait_option_names), NULL);
}

static const struct flag_name madvise_names[] = {
    {0, "MADV_NORMAL"},		 {1, "MADV_RANDOM"},
    {2, "MADV_SEQUENTIAL"},	 {3, "MADV_WILLNEED"},
    {4, "MADV_DONTNEED"},	 {8, "MADV_FREE"},
    {9, "MADV_REMOVE"},		 {10, "MADV_DONTFORK"},
    {11, "MADV_DOFORK"},	 {12, "MADV_MERGEABLE"},
    {13, "MADV_UNMERGEABLE"},	 {14, "MADV_HUGEPAGE"},
    {15, "MADV_NOHUGEPAGE"},	 {16, "MADV_DONTDUMP"},
    {17, "MADV_DODUMP"},	 {18, "MADV_WIPEONFORK"},
    {19, "MADV_KEEPONFORK"},	 {20, "MADV_COLD"},
    {21, "MADV_PAGEOUT"},	 {22, "MADV_POPULATE_READ"},
    {23, "MADV_POPULATE_WRITE"}, {24, "MADV_DONTNEED_LOCKED"},
    {25, "MADV_COLLAPSE"},	 {100, "MADV_HWPOISON"},
    {101, "MADV_SOFT_OFFLINE"},
};

void strace_format_madvise(struct strace_buf *b, uint64_t advice)
{
	format_enum(b, advice, madvise_names, ARRAY_SIZE(madvise_names), false);
}

static const struct flag_name mremap_flag_names[] = {
    {1, "MREMAP_MAYMOVE"},
    {2, "MREMAP_FIXED"},
    {4, "MREMAP_DONTUNMAP"},
};

void strace_format_mremap_flags(struct strace_buf *b, uint64_t flags)
{
	format_flags(b, flags, mremap_flag_names, ARRAY_SIZE(mremap_flag_names),
		     NULL);
}

static const struct flag_name rlimit_names[] = {
    FLAG(RLIMIT_CPU),	   FLAG(RLIMIT_FSIZE),	FLAG(RLIMIT_DATA),
    FLAG(RLIMIT_STACK),	   FLAG(RLIMIT_CORE),	FLAG(RLIMIT_RSS),
    FLAG(RLIMIT_NPROC),	   FLAG(RLIMIT_NOFILE), FLAG(RLIMIT_MEMLOCK),
    FLAG(RLIMIT_AS),	   FLAG(RLIMIT_LOCKS),	FLAG(RLIMIT_SIGPENDING),
    FLAG(RLIMIT_MSGQUEUE), FLAG(RLIMIT_NICE),	FLAG(RLIMIT_RTPRIO),
    FLAG(RLIMIT_RTTIME),
};

void strace_format_rlimit(struct strace_buf *b, uint64_t resource)
{
	format_enum(b, resource, rlimit_names, ARRAY_SIZE(rlimit_names), false);
}

static const struct flag_name ioctl_names[] = {
    FLAG(TCGETS),   FLAG(TCSETS),     FLAG(TCSETSW),	FLAG(TCSETSF),
    FLAG(TCFLSH),   FLAG(TIOCSCTTY),  FLAG(TIOCGPGRP),	FLAG(TIOCSPGRP),
    FLAG(TIOCOUTQ), FLAG(TIOCGWINSZ), FLAG(TIOCSWINSZ), FLAG(FIONREAD),
    FLAG(FIONBIO),  FLAG(TIOCNOTTY),  FLAG(TIOCGSID),	FLAG(FIONCLEX),
    FLAG(FIOCLEX),  FLAG(FIOASYNC),   FLAG(TIOCGPTN),	FLAG(TIOCSPTLCK),
};

void strace_format_ioctl(struct strace_buf *b, uint64_t request)
{
	format_enum(b, request & 0xffffffff, ioctl_names,
		    ARRAY_SIZE(ioctl_names), true);
}
