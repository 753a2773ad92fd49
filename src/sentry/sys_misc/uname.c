/* uname, sethostname and setdomainname. The sandbox has one UTS name
 * for all its processes (like a UTS namespace): the host's kernel
 * release, version, machine and host name, until a guest changes the
 * host or domain name. */
#include <errno.h>
#include <linux/capability.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/sys_misc/cred_rules.h"
#include "sentry/task.h"

/* Linux's __NEW_UTS_LEN: the longest name, without the NUL. */
#define UTS_NAME_MAX 64

static pthread_mutex_t uts_lock = PTHREAD_MUTEX_INITIALIZER;
static struct utsname uts;
static bool uts_ready;

/* Fill uts from the host on first use (uts_lock held). */
static void uts_init_locked(void)
{
	if (uts_ready)
		return;
	if (uname(&uts) < 0)
		memset(&uts, 0, sizeof(uts));
	strcpy(uts.sysname, "Linux");
	/* Linux's default when no domain name was ever set. */
	strcpy(uts.domainname, "(none)");
	uts_ready = true;
}

SYSCALL_DEFINE(SYS_uname, uname)
{
	struct utsname copy;

	pthread_mutex_lock(&uts_lock);
	uts_init_locked();
	copy = uts;
	pthread_mutex_unlock(&uts_lock);
	if (copy_to_user(t, args[0], &copy, sizeof(copy)) < 0)
		return -EFAULT;
	return 0;
}

/* Replace field (of UTS_NAME_MAX + 1 bytes) with len bytes of guest
 * memory, in Linux's order of checks. */
static long set_uts_field(struct task *t, char *field, uint64_t addr, int len)
{
	char name[UTS_NAME_MAX + 1] = {0};

	if (!(t->cred.cap_effective & CAP_BIT(CAP_SYS_ADMIN)))
		return -EPERM;
	if (len < 0 || len > UTS_NAME_MAX)
		return -EINVAL;
	if (copy_from_user(t, name, addr, len) < 0)
		return -EFAULT;

	pthread_mutex_lock(&uts_lock);
	uts_init_locked();
	memcpy(field, name, sizeof(name));
	pthread_mutex_unlock(&uts_lock);
	return 0;
}

SYSCALL_DEFINE(SYS_sethostname, sethostname)
{
	return set_uts_field(t, uts.nodename, args[0], (int)args[1]);
}

SYSCALL_DEFINE(SYS_setdomainname, setdomainname)
{
	return set_uts_field(t, uts.domainname, args[0], (int)args[1]);
}
