/* The gofer's seccomp allowlist. Anything not listed kills the process:
 * there is no execve, no socket, connect or bind, no mount, no ptrace. */
#include "gofer/gofer.h"
#include "common/log.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>

struct rule {
	int nr;
	unsigned int narg;
	struct scmp_arg_cmp arg;
};

/* clang-format off */
#define ANY(name) {SCMP_SYS(name), 0, {0}}
#define ARG(name, cmp) {SCMP_SYS(name), 1, cmp}
/* clang-format on */

static int add_rules(scmp_filter_ctx ctx, int sock)
{
	/* clang-format off */
	const struct rule rules[] = {
		/* The request loop, on the sentry socket only. */
		ARG(recvmsg, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)sock)),
		ARG(sendmsg, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)sock)),
		/* gofer_serve checks the socket type (SO_TYPE). */
		ARG(getsockopt, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)sock)),
		/* gofer_serve clears the umask: modes come from the sentry. */
		ANY(umask),
		/* Telling EOF from an empty datagram (peer_closed). */
		ANY(poll),
		ANY(ppoll),
		/* Log messages: write to the log FD or stderr, with the PID
		 * and a timestamp (clock_gettime if the vDSO falls back). */
		ANY(write),
		ANY(getpid),
		ANY(clock_gettime),
		/* walk, create and reopening nodes via /proc/self/fd. */
		ANY(openat),
		ANY(close),
		/* attach duplicates the mount root FD. */
		ARG(fcntl, SCMP_A1(SCMP_CMP_EQ, F_DUPFD_CLOEXEC)),
		/* getattr (fstatat with AT_EMPTY_PATH) and statfs. */
		ANY(newfstatat),
		ANY(fstat),
		ANY(fstatfs),
		/* getdents: seek to the offset, read entries. */
		ANY(lseek),
		ANY(getdents64),
		ANY(readlinkat),
		/* The write operations, one syscall each. glibc may use
		 * renameat or renameat2 for renameat(). */
		ANY(mkdirat),
		ANY(mknodat),
		ANY(symlinkat),
		ANY(linkat),
		ANY(unlinkat),
		ANY(renameat),
		ANY(renameat2),
		/* setattr and the owner of new nodes. */
		ANY(fchownat),
		ANY(fchmodat),
		ANY(ftruncate),
		ANY(utimensat),
		/* malloc (the fid table grows); never executable memory. */
		ANY(brk),
		ARG(mmap, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)),
		ARG(mprotect, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)),
		ANY(mremap),
		ANY(munmap),
		ANY(madvise),
		/* glibc's internal locks. */
		ANY(futex),
		/* Exiting, and the kernel's own restart and signal return. */
		ANY(exit),
		ANY(exit_group),
		ANY(restart_syscall),
		ANY(rt_sigreturn),
	};
	/* clang-format on */
	int err;

	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		const struct rule *r = &rules[i];

		if (r->narg)
			err = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, r->nr,
						     1, &r->arg);
		else
			err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, r->nr, 0);
		if (err < 0) {
			log_error("adding seccomp rule for syscall %d failed: "
				  "%s",
				  r->nr, strerror(-err));
			return err;
		}
	}
	return 0;
}

/* Install the filter. NOTE: abort() (BUG_ON) needs rt_sigprocmask and
 * tgkill, which are not allowed, so a gofer bug ends in SIGSYS rather
 * than SIGABRT. The process dies either way. */
int gofer_install_seccomp(int sock)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int err;

	if (!ctx) {
		log_error("seccomp_init failed");
		return -ENOMEM;
	}
	err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1);
	if (!err)
		err = add_rules(ctx, sock);
	if (!err)
		err = seccomp_load(ctx);
	if (err)
		log_error("installing the seccomp filter failed: %s",
			  strerror(-err));
	seccomp_release(ctx);
	return err;
}
