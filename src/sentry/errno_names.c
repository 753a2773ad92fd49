/* errno names come from glibc (strerrorname_np, glibc 2.32 and later),
 * whose numbering is the x86-64 Linux ABI of the guest. glibc does not
 * know the kernel-internal restart codes, so they are listed here with
 * the descriptions strace gives them. */
#include <string.h>

#include "common/util.h"
#include "sentry/errno_names.h"
#include "sentry/syscall.h"

/* Linux's value for an ioctl a driver does not handle (never returned to
 * user space; it becomes ENOTTY). */
#define ENOIOCTLCMD 515

struct kernel_errno {
	int value;
	const char *name;
	const char *description;
};

static const struct kernel_errno kernel_errnos[] = {
    {ERESTARTSYS, "ERESTARTSYS", "To be restarted if SA_RESTART is set"},
    {ERESTARTNOINTR, "ERESTARTNOINTR", "To be restarted"},
    {ERESTARTNOHAND, "ERESTARTNOHAND", "To be restarted if no handler"},
    {ENOIOCTLCMD, "ENOIOCTLCMD", "No ioctl command"},
    {ERESTART_RESTARTBLOCK, "ERESTART_RESTARTBLOCK", "Interrupted by signal"},
};

static const struct kernel_errno *find_kernel_errno(int e)
{
	for (size_t i = 0; i < ARRAY_SIZE(kernel_errnos); i++) {
		if (kernel_errnos[i].value == e)
			return &kernel_errnos[i];
	}
	return NULL;
}

const char *errno_name(int e)
{
	const struct kernel_errno *k = find_kernel_errno(e);

	if (k)
		return k->name;
	return e > 0 ? strerrorname_np(e) : NULL;
}

const char *errno_description(int e)
{
	const struct kernel_errno *k = find_kernel_errno(e);

	if (k)
		return k->description;
	return e > 0 ? strerrordesc_np(e) : NULL;
}
