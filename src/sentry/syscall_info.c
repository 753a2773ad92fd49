/* The x86-64 syscall table: names, argument kinds and notes.
 *
 * Argument lists follow the kernel's entry points on x86-64 (not glibc's
 * wrappers), in register order. Numbers come from <asm/unistd.h>, so a
 * name misspelled here fails to compile.
 */
#include <stdatomic.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "sentry/syscall_info.h"

#define NARGS(...)   (sizeof((uint8_t[]){0, __VA_ARGS__}) - 1)
#define UNPAREN(...) __VA_ARGS__

/* SYSCALL(name, kinds...) adds the entry for __NR_name; SYSCALL_EX also
 * takes a parenthesised list of extra designated fields. */
#define SYSCALL_EX(sysname, extra, ...)                                        \
	[__NR_##sysname] = {.name = #sysname,                                  \
			    .nargs = NARGS(__VA_ARGS__),                       \
			    .args = {__VA_ARGS__},                             \
			    UNPAREN extra}
#define SYSCALL(sysname, ...) SYSCALL_EX(sysname, (), __VA_ARGS__)

/* Short names keep one syscall per line; they exist only in this file. */
#define I      ARG_INT
#define U      ARG_UINT
#define X      ARG_HEX
#define P      ARG_PTR
#define FD     ARG_FD
#define DFD    ARG_DIRFD
#define STR    ARG_STR
#define PATH   ARG_PATH
#define BIN    ARG_BUF_IN
#define BOUT   ARG_BUF_OUT
#define SZ     ARG_SIZE
#define OFF    ARG_OFF
#define OFLAGS ARG_OPEN_FLAGS
#define MODE   ARG_MODE
#define PROT   ARG_PROT
#define MFLAGS ARG_MMAP_FLAGS
#define SIG    ARG_SIGNAL
#define PID    ARG_PID
#define CLONE  ARG_CLONE_FLAGS
#define ATF    ARG_AT_FLAGS
#define WHENCE ARG_WHENCE
#define IOCTL  ARG_IOCTL
#define AMODE  ARG_ACCESS_MODE
#define FCNTL  ARG_FCNTL_CMD
#define HOW    ARG_SIGPROCMASK_HOW
#define FUTEX  ARG_FUTEX_OP
#define CLOCK  ARG_CLOCKID
#define DOMAIN ARG_SOCK_DOMAIN
#define STYPE  ARG_SOCK_TYPE
#define ARCH   ARG_ARCH_PRCTL
#define PRCTL  ARG_PRCTL_OP
#define WOPT   ARG_WAIT_OPTIONS
#define MADV   ARG_MADVISE
#define MREMAP ARG_MREMAP_FLAGS
#define RLIM   ARG_RLIMIT
#define STRV   ARG_STRV
#define ENVP   ARG_ENVP
#define SIGSET ARG_SIGSET
#define TS     ARG_TIMESPEC
#define FDPAIR ARG_FD_PAIR
#define FDFL   ARG_FD_FLAGS
#define SKIP   ARG_SKIP

/* Features Moat's handler lacks. docs/syscalls.md shows the note when
 * the handler exists; keep it in step with the handler's NOTE and TODO
 * marks. */
#define PARTIAL(text) (.note = text)
#define ENOSYS_IN_LINUX (.flags = SYSCALL_LINUX_ENOSYS)
#define ADDRESS_RESULT	(.ret = RET_HEX)
#define TRACE_AT_ENTER	(.flags = SYSCALL_TRACE_AT_ENTER | SYSCALL_NORETURN)

/* One entry per line reads better than clang-format's layout. */
/* clang-format off */
static const struct syscall_info syscall_table[SYSCALL_NR_MAX] = {
	SYSCALL(read, FD, BOUT, SZ),
	SYSCALL(write, FD, BIN, SZ),
	SYSCALL_EX(open, PARTIAL("O_TMPFILE fails with EOPNOTSUPP"), PATH, OFLAGS, MODE),
	SYSCALL(close, FD),
	SYSCALL(stat, PATH, P),
	SYSCALL(fstat, FD, P),
	SYSCALL(lstat, PATH, P),
	SYSCALL(poll, P, U, I),
	SYSCALL(lseek, FD, OFF, WHENCE),
	SYSCALL_EX(mmap, ADDRESS_RESULT, P, SZ, PROT, MFLAGS, FD, X),
	SYSCALL(mprotect, X, SZ, PROT),
	SYSCALL(munmap, X, SZ),
	SYSCALL_EX(brk, ADDRESS_RESULT, X),
	SYSCALL(rt_sigaction, SIG, P, P, SZ),
	SYSCALL(rt_sigprocmask, HOW, SIGSET, SIGSET, SZ),
	SYSCALL(rt_sigreturn),
	SYSCALL(ioctl, FD, IOCTL, X),
	SYSCALL(pread64, FD, BOUT, SZ, OFF),
	SYSCALL(pwrite64, FD, BIN, SZ, OFF),
	SYSCALL(readv, FD, P, I),
	SYSCALL(writev, FD, P, I),
	SYSCALL(access, PATH, AMODE),
	SYSCALL(pipe, FDPAIR),
	SYSCALL(select, I, P, P, P, P),
	SYSCALL(sched_yield),
	SYSCALL_EX(mremap, (.ret = RET_HEX, .note = "MREMAP_DONTUNMAP and duplicating a shared mapping fail with EINVAL"),
		   X, SZ, SZ, MREMAP, X),
	SYSCALL(msync, X, SZ, X),
	SYSCALL(mincore, X, SZ, P),
	SYSCALL(madvise, X, SZ, MADV),
	SYSCALL(shmget, X, SZ, X),
	SYSCALL_EX(shmat, ADDRESS_RESULT, I, X, X),
	SYSCALL(shmctl, I, I, P),
	SYSCALL(dup, FD),
	SYSCALL(dup2, FD, FD),
	SYSCALL(pause),
	SYSCALL(nanosleep, TS, P),
	SYSCALL(getitimer, I, P),
	SYSCALL(alarm, U),
	SYSCALL(setitimer, I, P, P),
	SYSCALL(getpid),
	SYSCALL(sendfile, FD, FD, P, SZ),
	SYSCALL(socket, DOMAIN, STYPE, I),
	SYSCALL(connect, FD, P, I),
	SYSCALL(accept, FD, P, P),
	SYSCALL(sendto, FD, BIN, SZ, X, P, I),
	SYSCALL(recvfrom, FD, BOUT, SZ, X, P, P),
	SYSCALL_EX(sendmsg, PARTIAL("control messages (SCM_RIGHTS, SCM_CREDENTIALS) fail with EOPNOTSUPP"), FD, P, X),
	SYSCALL(recvmsg, FD, P, X),
	SYSCALL(shutdown, FD, I),
	SYSCALL(bind, FD, P, I),
	SYSCALL(listen, FD, I),
	SYSCALL(getsockname, FD, P, P),
	SYSCALL(getpeername, FD, P, P),
	SYSCALL(socketpair, DOMAIN, STYPE, I, FDPAIR),
	SYSCALL_EX(setsockopt, PARTIAL("SO_SNDBUF and SO_RCVBUF do not resize the host socket's buffers"), FD, I, I, P, I),
	SYSCALL(getsockopt, FD, I, I, P, P),
	SYSCALL_EX(clone, PARTIAL("CLONE_THREAD, and CLONE_VM without CLONE_VFORK, fail with ENOSYS"), CLONE, X, P, P, X),
	SYSCALL(fork),
	SYSCALL(vfork),
	SYSCALL_EX(execve, TRACE_AT_ENTER, PATH, STRV, ENVP),
	SYSCALL_EX(exit, TRACE_AT_ENTER, I),
	SYSCALL(wait4, PID, P, WOPT, P),
	SYSCALL(kill, PID, SIG),
	SYSCALL(uname, P),
	SYSCALL(semget, X, I, X),
	SYSCALL(semop, I, P, SZ),
	SYSCALL(semctl, I, I, I, X),
	SYSCALL(shmdt, X),
	SYSCALL(msgget, X, X),
	SYSCALL(msgsnd, I, P, SZ, X),
	SYSCALL(msgrcv, I, P, SZ, I, X),
	SYSCALL(msgctl, I, I, P),
	SYSCALL_EX(fcntl, PARTIAL("F_SETOWN never sends SIGIO; record locks are granted without being recorded"), FD, FCNTL, X),
	SYSCALL_EX(flock, PARTIAL("locks are granted without being recorded"), FD, X),
	SYSCALL(fsync, FD),
	SYSCALL(fdatasync, FD),
	SYSCALL(truncate, PATH, OFF),
	SYSCALL(ftruncate, FD, OFF),
	SYSCALL(getdents, FD, P, U),
	SYSCALL(getcwd, BOUT, SZ),
	SYSCALL(chdir, PATH),
	SYSCALL(fchdir, FD),
	SYSCALL(rename, PATH, PATH),
	SYSCALL(mkdir, PATH, MODE),
	SYSCALL(rmdir, PATH),
	SYSCALL(creat, PATH, MODE),
	SYSCALL(link, PATH, PATH),
	SYSCALL(unlink, PATH),
	SYSCALL(symlink, PATH, PATH),
	SYSCALL(readlink, PATH, BOUT, SZ),
	SYSCALL(chmod, PATH, MODE),
	SYSCALL(fchmod, FD, MODE),
	SYSCALL(chown, PATH, I, I),
	SYSCALL(fchown, FD, I, I),
	SYSCALL(lchown, PATH, I, I),
	SYSCALL_EX(umask, (.ret = RET_MODE), MODE),
	SYSCALL(gettimeofday, P, P),
	SYSCALL(getrlimit, RLIM, P),
	SYSCALL(getrusage, I, P),
	SYSCALL(sysinfo, P),
	SYSCALL(times, P),
	SYSCALL(ptrace, I, PID, X, X),
	SYSCALL(getuid),
	SYSCALL(syslog, I, P, I),
	SYSCALL(getgid),
	SYSCALL(setuid, I),
	SYSCALL(setgid, I),
	SYSCALL(geteuid),
	SYSCALL(getegid),
	SYSCALL(setpgid, PID, PID),
	SYSCALL(getppid),
	SYSCALL(getpgrp),
	SYSCALL(setsid),
	SYSCALL(setreuid, I, I),
	SYSCALL(setregid, I, I),
	SYSCALL(getgroups, I, P),
	SYSCALL(setgroups, SZ, P),
	SYSCALL(setresuid, I, I, I),
	SYSCALL(getresuid, P, P, P),
	SYSCALL(setresgid, I, I, I),
	SYSCALL(getresgid, P, P, P),
	SYSCALL(getpgid, PID),
	SYSCALL(setfsuid, I),
	SYSCALL(setfsgid, I),
	SYSCALL(getsid, PID),
	SYSCALL(capget, P, P),
	SYSCALL(capset, P, P),
	SYSCALL(rt_sigpending, SIGSET, SZ),
	SYSCALL(rt_sigtimedwait, SIGSET, P, TS, SZ),
	SYSCALL(rt_sigqueueinfo, PID, SIG, P),
	SYSCALL(rt_sigsuspend, SIGSET, SZ),
	SYSCALL(sigaltstack, P, P),
	SYSCALL(utime, PATH, P),
	SYSCALL_EX(mknod, PARTIAL("device nodes fail with EPERM"), PATH, MODE, X),
	/* Linux 6.19 has no entry point for uselib or lookup_dcookie. */
	SYSCALL_EX(uselib, ENOSYS_IN_LINUX, PATH),
	SYSCALL(personality, X),
	SYSCALL(ustat, X, P),
	SYSCALL(statfs, PATH, P),
	SYSCALL(fstatfs, FD, P),
	SYSCALL(sysfs, I, X, X),
	SYSCALL(getpriority, I, I),
	SYSCALL(setpriority, I, I, I),
	SYSCALL(sched_setparam, PID, P),
	SYSCALL(sched_getparam, PID, P),
	SYSCALL(sched_setscheduler, PID, I, P),
	SYSCALL(sched_getscheduler, PID),
	SYSCALL(sched_get_priority_max, I),
	SYSCALL(sched_get_priority_min, I),
	SYSCALL(sched_rr_get_interval, PID, P),
	SYSCALL(mlock, X, SZ),
	SYSCALL(munlock, X, SZ),
	SYSCALL(mlockall, X),
	SYSCALL(munlockall),
	SYSCALL(vhangup),
	SYSCALL(modify_ldt, I, P, SZ),
	SYSCALL(pivot_root, PATH, PATH),
	SYSCALL_EX(_sysctl, ENOSYS_IN_LINUX, P),
	SYSCALL(prctl, PRCTL, X, X, X, X),
	SYSCALL(arch_prctl, ARCH, X),
	SYSCALL(adjtimex, P),
	SYSCALL(setrlimit, RLIM, P),
	SYSCALL(chroot, PATH),
	SYSCALL(sync),
	SYSCALL(acct, PATH),
	SYSCALL(settimeofday, P, P),
	SYSCALL(mount, STR, PATH, STR, X, P),
	SYSCALL(umount2, PATH, X),
	SYSCALL(swapon, PATH, X),
	SYSCALL(swapoff, PATH),
	SYSCALL(reboot, X, X, X, P),
	SYSCALL(sethostname, BIN, SZ),
	SYSCALL(setdomainname, BIN, SZ),
	SYSCALL(iopl, I),
	SYSCALL(ioperm, X, X, I),
	SYSCALL_EX(create_module, ENOSYS_IN_LINUX, STR, SZ),
	SYSCALL(init_module, P, SZ, STR),
	SYSCALL(delete_module, STR, X),
	SYSCALL_EX(get_kernel_syms, ENOSYS_IN_LINUX, P),
	SYSCALL_EX(query_module, ENOSYS_IN_LINUX, STR, I, P, SZ, P),
	SYSCALL(quotactl, X, PATH, I, P),
	SYSCALL_EX(nfsservctl, ENOSYS_IN_LINUX, I, P, P),
	SYSCALL_EX(getpmsg, ENOSYS_IN_LINUX, X, X, X, X, X),
	SYSCALL_EX(putpmsg, ENOSYS_IN_LINUX, X, X, X, X, X),
	SYSCALL_EX(afs_syscall, ENOSYS_IN_LINUX, X, X, X, X, X),
	SYSCALL_EX(tuxcall, ENOSYS_IN_LINUX, X, X, X),
	SYSCALL_EX(security, ENOSYS_IN_LINUX, X, X, X),
	SYSCALL(gettid),
	SYSCALL(readahead, FD, OFF, SZ),
	SYSCALL(setxattr, PATH, STR, BIN, SZ, X),
	SYSCALL(lsetxattr, PATH, STR, BIN, SZ, X),
	SYSCALL(fsetxattr, FD, STR, BIN, SZ, X),
	SYSCALL(getxattr, PATH, STR, BOUT, SZ),
	SYSCALL(lgetxattr, PATH, STR, BOUT, SZ),
	SYSCALL(fgetxattr, FD, STR, BOUT, SZ),
	SYSCALL(listxattr, PATH, BOUT, SZ),
	SYSCALL(llistxattr, PATH, BOUT, SZ),
	SYSCALL(flistxattr, FD, BOUT, SZ),
	SYSCALL(removexattr, PATH, STR),
	SYSCALL(lremovexattr, PATH, STR),
	SYSCALL(fremovexattr, FD, STR),
	SYSCALL(tkill, PID, SIG),
	SYSCALL(time, P),
	SYSCALL_EX(futex, PARTIAL("only FUTEX_WAIT, FUTEX_WAKE and their bitset forms; shared futexes match by address only"), P, FUTEX, I, P, P, I),
	SYSCALL(sched_setaffinity, PID, SZ, P),
	SYSCALL(sched_getaffinity, PID, SZ, P),
	/* x86-64 programs set the TLS base with arch_prctl instead. */
	SYSCALL_EX(set_thread_area, ENOSYS_IN_LINUX, P),
	SYSCALL(io_setup, U, P),
	SYSCALL(io_destroy, X),
	SYSCALL(io_getevents, X, I, I, P, TS),
	SYSCALL(io_submit, X, I, P),
	SYSCALL(io_cancel, X, P, P),
	SYSCALL_EX(get_thread_area, ENOSYS_IN_LINUX, P),
	SYSCALL_EX(lookup_dcookie, ENOSYS_IN_LINUX, X, BOUT, SZ),
	SYSCALL(epoll_create, I),
	SYSCALL_EX(epoll_ctl_old, ENOSYS_IN_LINUX, FD, I, FD, P),
	SYSCALL_EX(epoll_wait_old, ENOSYS_IN_LINUX, FD, P, I, I),
	SYSCALL(remap_file_pages, X, SZ, PROT, SZ, X),
	SYSCALL(getdents64, FD, P, U),
	SYSCALL(set_tid_address, P),
	SYSCALL(restart_syscall),
	SYSCALL(semtimedop, I, P, SZ, TS),
	SYSCALL(fadvise64, FD, OFF, SZ, I),
	SYSCALL(timer_create, CLOCK, P, P),
	SYSCALL(timer_settime, I, X, P, P),
	SYSCALL(timer_gettime, I, P),
	SYSCALL(timer_getoverrun, I),
	SYSCALL(timer_delete, I),
	SYSCALL(clock_settime, CLOCK, TS),
	SYSCALL(clock_gettime, CLOCK, TS),
	SYSCALL(clock_getres, CLOCK, TS),
	SYSCALL(clock_nanosleep, CLOCK, X, TS, P),
	SYSCALL_EX(exit_group, TRACE_AT_ENTER, I),
	SYSCALL(epoll_wait, FD, P, I, I),
	SYSCALL(epoll_ctl, FD, I, FD, P),
	SYSCALL(tgkill, PID, PID, SIG),
	SYSCALL(utimes, PATH, P),
	SYSCALL_EX(vserver, ENOSYS_IN_LINUX, X, X, X, X, X),
	SYSCALL(mbind, X, SZ, I, P, U, X),
	SYSCALL(set_mempolicy, I, P, U),
	SYSCALL(get_mempolicy, P, P, U, X, X),
	SYSCALL(mq_open, STR, OFLAGS, MODE, P),
	SYSCALL(mq_unlink, STR),
	SYSCALL(mq_timedsend, FD, BIN, SZ, U, TS),
	SYSCALL(mq_timedreceive, FD, BOUT, SZ, P, TS),
	SYSCALL(mq_notify, FD, P),
	SYSCALL(mq_getsetattr, FD, P, P),
	SYSCALL(kexec_load, X, U, P, X),
	SYSCALL(waitid, I, PID, P, WOPT, P),
	SYSCALL(add_key, STR, STR, BIN, SZ, I),
	SYSCALL(request_key, STR, STR, STR, I),
	SYSCALL(keyctl, I, X, X, X, X),
	SYSCALL(ioprio_set, I, I, I),
	SYSCALL(ioprio_get, I, I),
	SYSCALL(inotify_init),
	SYSCALL(inotify_add_watch, FD, PATH, X),
	SYSCALL(inotify_rm_watch, FD, I),
	SYSCALL(migrate_pages, PID, U, P, P),
	SYSCALL_EX(openat, PARTIAL("O_TMPFILE fails with EOPNOTSUPP"), DFD, PATH, OFLAGS, MODE),
	SYSCALL(mkdirat, DFD, PATH, MODE),
	SYSCALL_EX(mknodat, PARTIAL("device nodes fail with EPERM"), DFD, PATH, MODE, X),
	SYSCALL(fchownat, DFD, PATH, I, I, ATF),
	SYSCALL(futimesat, DFD, PATH, P),
	SYSCALL(newfstatat, DFD, PATH, P, ATF),
	SYSCALL(unlinkat, DFD, PATH, ATF),
	SYSCALL(renameat, DFD, PATH, DFD, PATH),
	SYSCALL(linkat, DFD, PATH, DFD, PATH, ATF),
	SYSCALL(symlinkat, PATH, DFD, PATH),
	SYSCALL(readlinkat, DFD, PATH, BOUT, SZ),
	/* The kernel's fchmodat and faccessat take no flags argument. */
	SYSCALL(fchmodat, DFD, PATH, MODE),
	SYSCALL(faccessat, DFD, PATH, AMODE),
	SYSCALL(pselect6, I, P, P, P, TS, P),
	SYSCALL(ppoll, P, U, TS, SIGSET, SZ),
	SYSCALL(unshare, CLONE),
	SYSCALL(set_robust_list, P, SZ),
	SYSCALL(get_robust_list, PID, P, P),
	SYSCALL_EX(splice, PARTIAL("SPLICE_F_NONBLOCK does not make a blocking pipe non-blocking"), FD, P, FD, P, SZ, X),
	SYSCALL(tee, FD, FD, SZ, X),
	SYSCALL(sync_file_range, FD, OFF, OFF, X),
	SYSCALL(vmsplice, FD, P, SZ, X),
	SYSCALL(move_pages, PID, SZ, P, P, P, X),
	SYSCALL(utimensat, DFD, PATH, P, ATF),
	SYSCALL(epoll_pwait, FD, P, I, I, SIGSET, SZ),
	SYSCALL(signalfd, FD, SIGSET, SZ),
	SYSCALL(timerfd_create, CLOCK, FDFL),
	SYSCALL(eventfd, U),
	SYSCALL(fallocate, FD, I, OFF, OFF),
	SYSCALL(timerfd_settime, FD, X, P, P),
	SYSCALL(timerfd_gettime, FD, P),
	SYSCALL(accept4, FD, P, P, FDFL),
	SYSCALL(signalfd4, FD, SIGSET, SZ, FDFL),
	SYSCALL(eventfd2, U, FDFL),
	SYSCALL(epoll_create1, FDFL),
	SYSCALL(dup3, FD, FD, FDFL),
	SYSCALL(pipe2, FDPAIR, FDFL),
	SYSCALL(inotify_init1, FDFL),
	/* The fifth register is the high half of the offset, which 64-bit
	 * Linux ignores. */
	SYSCALL(preadv, FD, P, I, OFF),
	SYSCALL(pwritev, FD, P, I, OFF),
	SYSCALL(rt_tgsigqueueinfo, PID, PID, SIG, P),
	SYSCALL(perf_event_open, P, PID, I, FD, X),
	SYSCALL(recvmmsg, FD, P, U, X, TS),
	SYSCALL(fanotify_init, X, X),
	SYSCALL(fanotify_mark, FD, X, X, DFD, PATH),
	SYSCALL(prlimit64, PID, RLIM, P, P),
	SYSCALL(name_to_handle_at, DFD, PATH, P, P, ATF),
	SYSCALL(open_by_handle_at, FD, P, OFLAGS),
	SYSCALL(clock_adjtime, CLOCK, P),
	SYSCALL(syncfs, FD),
	SYSCALL(sendmmsg, FD, P, U, X),
	SYSCALL(setns, FD, CLONE),
	SYSCALL(getcpu, P, P, P),
	SYSCALL(process_vm_readv, PID, P, SZ, P, SZ, X),
	SYSCALL(process_vm_writev, PID, P, SZ, P, SZ, X),
	SYSCALL(kcmp, PID, PID, I, X, X),
	SYSCALL(finit_module, FD, STR, X),
	SYSCALL(sched_setattr, PID, P, X),
	SYSCALL(sched_getattr, PID, P, U, X),
	SYSCALL_EX(renameat2, PARTIAL("RENAME_WHITEOUT fails with EINVAL; RENAME_EXCHANGE does not work on volumes"), DFD, PATH, DFD, PATH, X),
	SYSCALL(seccomp, U, X, P),
	SYSCALL(getrandom, BOUT, SZ, X),
	SYSCALL(memfd_create, STR, X),
	SYSCALL(kexec_file_load, FD, FD, SZ, STR, X),
	SYSCALL(bpf, I, P, U),
	SYSCALL_EX(execveat, TRACE_AT_ENTER, DFD, PATH, STRV, ENVP, ATF),
	SYSCALL(userfaultfd, X),
	SYSCALL(membarrier, I, X, I),
	SYSCALL(mlock2, X, SZ, X),
	SYSCALL(copy_file_range, FD, P, FD, P, SZ, X),
	SYSCALL_EX(preadv2, PARTIAL("RWF_* hints are ignored"), FD, P, I, OFF, SKIP, X),
	SYSCALL_EX(pwritev2, PARTIAL("RWF_* hints are ignored and RWF_APPEND does not append"), FD, P, I, OFF, SKIP, X),
	SYSCALL(pkey_mprotect, X, SZ, PROT, I),
	SYSCALL(pkey_alloc, X, X),
	SYSCALL(pkey_free, I),
	SYSCALL(statx, DFD, PATH, ATF, X, P),
	SYSCALL(io_pgetevents, X, I, I, P, TS, P),
	SYSCALL(rseq, P, U, X, X),
	/* Called only from the trampolines the kernel inserts for uprobes. */
	SYSCALL(uretprobe),
	SYSCALL(uprobe),
	SYSCALL(pidfd_send_signal, FD, SIG, P, X),
	SYSCALL(io_uring_setup, U, P),
	SYSCALL(io_uring_enter, FD, U, U, X, SIGSET, SZ),
	SYSCALL(io_uring_register, FD, U, P, U),
	SYSCALL(open_tree, DFD, PATH, X),
	SYSCALL(move_mount, DFD, PATH, DFD, PATH, X),
	SYSCALL(fsopen, STR, X),
	SYSCALL(fsconfig, FD, U, STR, P, I),
	SYSCALL(fsmount, FD, X, X),
	SYSCALL(fspick, DFD, PATH, X),
	SYSCALL(pidfd_open, PID, X),
	SYSCALL_EX(clone3, PARTIAL("always fails with ENOSYS, so glibc falls back to clone"), P, SZ),
	SYSCALL(close_range, U, U, X),
	SYSCALL_EX(openat2, PARTIAL("O_TMPFILE fails with EOPNOTSUPP"), DFD, PATH, P, SZ),
	SYSCALL(pidfd_getfd, FD, FD, X),
	SYSCALL(faccessat2, DFD, PATH, AMODE, ATF),
	SYSCALL(process_madvise, FD, P, SZ, MADV, X),
	SYSCALL(epoll_pwait2, FD, P, I, TS, SIGSET, SZ),
	SYSCALL(mount_setattr, DFD, PATH, ATF, P, SZ),
	SYSCALL(quotactl_fd, FD, X, I, P),
	SYSCALL(landlock_create_ruleset, P, SZ, X),
	SYSCALL(landlock_add_rule, FD, I, P, X),
	SYSCALL(landlock_restrict_self, FD, X),
	SYSCALL(memfd_secret, X),
	SYSCALL(process_mrelease, FD, X),
	SYSCALL(futex_waitv, P, U, X, TS, CLOCK),
	SYSCALL(set_mempolicy_home_node, X, SZ, U, X),
	SYSCALL(cachestat, FD, P, P, X),
	SYSCALL(fchmodat2, DFD, PATH, MODE, ATF),
	SYSCALL_EX(map_shadow_stack, ADDRESS_RESULT, X, SZ, X),
	SYSCALL(futex_wake, P, X, I, X),
	SYSCALL(futex_wait, P, X, X, X, TS, CLOCK),
	SYSCALL(futex_requeue, P, X, I, I),
	SYSCALL(statmount, P, P, SZ, X),
	SYSCALL(listmount, P, P, SZ, X),
	SYSCALL(lsm_get_self_attr, U, P, P, X),
	SYSCALL(lsm_set_self_attr, U, P, SZ, X),
	SYSCALL(lsm_list_modules, P, P, X),
	SYSCALL(mseal, X, SZ, X),
};
/* clang-format on */

const struct syscall_info *syscall_info(int nr)
{
	if (nr < 0 || nr >= SYSCALL_NR_MAX || !syscall_table[nr].name)
		return NULL;
	return &syscall_table[nr];
}

const char *syscall_name(int nr)
{
	const struct syscall_info *info = syscall_info(nr);

	return info ? info->name : NULL;
}

int syscall_lookup_name(const char *name)
{
	for (int nr = 0; nr < SYSCALL_NR_MAX; nr++) {
		if (syscall_table[nr].name &&
		    strcmp(syscall_table[nr].name, name) == 0)
			return nr;
	}
	return -1;
}

/* One bit per syscall number: set once its missing handler was logged.
 * Numbers outside the table share the last bit. */
static atomic_uint_least64_t warned[(SYSCALL_NR_MAX + 1 + 63) / 64];

/* Logged to the debug log only: the guest's stderr is the user's, and a
 * program that probes for a syscall must not print anything new. */
void syscall_warn_unimplemented(int nr)
{
	int slot = (nr >= 0 && nr < SYSCALL_NR_MAX) ? nr : SYSCALL_NR_MAX;
	uint64_t bit = 1ULL << (slot % 64);
	const char *name = syscall_name(nr);

	if (atomic_fetch_or(&warned[slot / 64], bit) & bit)
		return;
	if (name)
		log_info("no handler for syscall %s (%d); later calls are not "
			 "logged",
			 name, nr);
	else
		log_info("unknown syscall number %d; later unknown numbers are "
			 "not logged",
			 nr);
}
