/* arch_prctl: the FS and GS bases and CPUID faulting. The core writes
 * t->regs back to the stub after the syscall, so setting a base is a
 * register write. */
#include <asm/prctl.h>
#include <errno.h>
#include <sys/syscall.h>

#include "platform/platform.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

static long put_ulong(struct task *t, uint64_t addr, uint64_t value)
{
	return copy_to_user(t, addr, &value, sizeof(value)) < 0 ? -EFAULT : 0;
}

SYSCALL_DEFINE(SYS_arch_prctl, arch_prctl)
{
	uint64_t arg = args[1];

	switch ((int)args[0]) {
	case ARCH_SET_FS:
		/* Linux rejects non-canonical and kernel addresses. */
		if (arg >= TASK_SIZE_MAX)
			return -EPERM;
		t->regs.regs.fs_base = arg;
		return 0;
	case ARCH_SET_GS:
		if (arg >= TASK_SIZE_MAX)
			return -EPERM;
		t->regs.regs.gs_base = arg;
		return 0;
	case ARCH_GET_FS:
		return put_ulong(t, arg, t->regs.regs.fs_base);
	case ARCH_GET_GS:
		return put_ulong(t, arg, t->regs.regs.gs_base);
	case ARCH_GET_CPUID:
		/* CPUID always works in the guest. */
		return 1;
	case ARCH_SET_CPUID:
		/* Enabling is a no-op. Disabling needs CPUID faulting in the
		 * stubs, which the ptrace platform cannot set up, so Linux's
		 * result for hardware without it applies. */
		return arg ? 0 : -ENODEV;
	}
	return -EINVAL;
}
