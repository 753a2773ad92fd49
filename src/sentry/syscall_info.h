/* The x86-64 system call table as data: every syscall number Linux
 * defines, with its name, its arguments' kinds for strace and a note
 * where Moat's implementation is partial.
 *
 * Which handlers exist is not recorded here, because the dispatcher
 * builds its own table from SYSCALL_DEFINE (see syscall.h). This table
 * is constant, so every function here is thread-safe.
 */
#ifndef MOAT_SENTRY_SYSCALL_INFO_H
#define MOAT_SENTRY_SYSCALL_INFO_H

#include <asm/unistd.h>
#include <stdbool.h>
#include <stdint.h>

/* Syscalls newer than the build host's kernel headers (Debian 12's stop
 * at 450). The numbers are from arch/x86/entry/syscalls/syscall_64.tbl
 * of Linux 6.19. */
#ifndef __NR_uretprobe
#define __NR_uretprobe 335
#endif
#ifndef __NR_uprobe
#define __NR_uprobe 336
#endif
#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#ifndef __NR_map_shadow_stack
#define __NR_map_shadow_stack 453
#endif
#ifndef __NR_futex_wake
#define __NR_futex_wake 454
#endif
#ifndef __NR_futex_wait
#define __NR_futex_wait 455
#endif
#ifndef __NR_futex_requeue
#define __NR_futex_requeue 456
#endif
#ifndef __NR_statmount
#define __NR_statmount 457
#endif
#ifndef __NR_listmount
#define __NR_listmount 458
#endif
#ifndef __NR_lsm_get_self_attr
#define __NR_lsm_get_self_attr 459
#endif
#ifndef __NR_lsm_set_self_attr
#define __NR_lsm_set_self_attr 460
#endif
#ifndef __NR_lsm_list_modules
#define __NR_lsm_list_modules 461
#endif
#ifndef __NR_mseal
#define __NR_mseal 462
#endif

/* One past the highest syscall number in the table. */
#define SYSCALL_NR_MAX 463

/* Decoding of one argument register by strace. The comment of each kind
 * that reads guest memory mentions it, and the other kinds format the
 * register's value alone. */
enum arg_kind {
	ARG_HEX = 0,	 /* unknown or opaque: 0x... */
	ARG_INT,	 /* signed decimal */
	ARG_UINT,	 /* unsigned decimal */
	ARG_PTR,	 /* pointer to a struct: hex, or NULL */
	ARG_FD,		 /* file descriptor (int) */
	ARG_DIRFD,	 /* FD or AT_FDCWD */
	ARG_STR,	 /* C string, read from memory, truncated */
	ARG_PATH,	 /* path name, read from memory in full */
	ARG_BUF_IN,	 /* bytes read by the kernel; length is the next arg */
	ARG_BUF_OUT,	 /* bytes written by the kernel; length is the result */
	ARG_SIZE,	 /* size_t */
	ARG_OFF,	 /* off_t (signed) */
	ARG_OPEN_FLAGS,	 /* O_* */
	ARG_MODE,	 /* mode_t, octal */
	ARG_PROT,	 /* PROT_* */
	ARG_MMAP_FLAGS,	 /* MAP_* */
	ARG_SIGNAL,	 /* signal number */
	ARG_PID,	 /* pid_t */
	ARG_CLONE_FLAGS, /* CLONE_* with the exit signal in the low byte */
	ARG_AT_FLAGS,	 /* AT_* flags of the *at() calls */
	ARG_WHENCE,	 /* SEEK_* */
	ARG_IOCTL,	 /* ioctl request */
	ARG_ACCESS_MODE, /* F_OK or R_OK|W_OK|X_OK */
	ARG_FCNTL_CMD,	 /* F_* */
	ARG_SIGPROCMASK_HOW, /* SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK */
	ARG_FUTEX_OP,	     /* FUTEX_* with FUTEX_PRIVATE_FLAG etc. */
	ARG_CLOCKID,	     /* CLOCK_* */
	ARG_SOCK_DOMAIN,     /* AF_* */
	ARG_SOCK_TYPE,	     /* SOCK_* with SOCK_NONBLOCK|SOCK_CLOEXEC */
	ARG_ARCH_PRCTL,	     /* ARCH_* code */
	ARG_PRCTL_OP,	     /* PR_* option */
	ARG_WAIT_OPTIONS,    /* WNOHANG etc. */
	ARG_MADVISE,	     /* MADV_* */
	ARG_MREMAP_FLAGS,    /* MREMAP_* */
	ARG_RLIMIT,	     /* RLIMIT_* resource */
	ARG_STRV,	     /* char *const[]: argv of execve, read in full */
	ARG_ENVP,	     /* char *const[]: printed as a count of strings */
	ARG_SIGSET,	     /* pointer to a sigset_t, read from memory */
	ARG_TIMESPEC, /* pointer to a struct timespec, read from memory */
	ARG_FD_PAIR,  /* int[2] written by the kernel (pipe, socketpair) */
	ARG_FD_FLAGS, /* O_CLOEXEC|O_NONBLOCK style flags of pipe2, dup3,
		       * eventfd2, accept4... (no access mode) */
	ARG_SKIP,     /* a register strace does not print (the high
		       * half of preadv2's offset) */
	ARG_KIND_COUNT
};

/* Format of a successful result in strace's output. */
enum ret_kind {
	RET_INT = 0, /* signed decimal (also FDs and PIDs) */
	RET_HEX,     /* addresses: mmap, brk, mremap, shmat */
	RET_MODE,    /* octal: umask */
};

/* strace prints the call at entry, not exit: execve replaces the memory
 * holding its arguments, and exit never returns. */
#define SYSCALL_TRACE_AT_ENTER 0x1
/* The syscall does not return to the caller when it succeeds. */
#define SYSCALL_NORETURN 0x2
/* Linux itself returns ENOSYS (removed or never implemented on x86-64). */
#define SYSCALL_LINUX_ENOSYS 0x4

struct syscall_info {
	const char *name; /* without the sys_ prefix, as in strace */
	uint8_t nargs;
	uint8_t args[6]; /* enum arg_kind */
	uint8_t ret;	 /* enum ret_kind */
	uint8_t flags;	 /* SYSCALL_TRACE_AT_ENTER, SYSCALL_NORETURN */
	/* Features Moat's handler lacks, or NULL if it is complete or
	 * missing. docs/syscalls.md prints it. */
	const char *note;
};

/* The entry for nr, or NULL if x86-64 has no syscall with that number. */
const struct syscall_info *syscall_info(int nr);
/* The name of syscall nr, or NULL if there is none. */
const char *syscall_name(int nr);
/* The number of the syscall called name, or -1. */
int syscall_lookup_name(const char *name);

/* Log a warning naming syscall nr the first time it is called with no
 * handler; later calls for the same number log nothing. Numbers outside
 * the table share one warning. Thread-safe. */
void syscall_warn_unimplemented(int nr);

#endif
