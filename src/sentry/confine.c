#include "sentry/confine.h"
#include "sentry/seccomp.h"
#include "common/log.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The existing directory the empty tmpfs is mounted on before it becomes
 * the root. Any directory works because the mount is in the sentry's own
 * mount namespace; /proc exists wherever moat can run, since the
 * supervisor starts the sentry through /proc/self/exe. */
#define NEW_ROOT_MOUNTPOINT "/proc"

#define TEST_HOOK_OPENAT "sentry-openat"

static int fail(const char *what, const char *arg)
{
	int r = neg_errno();

	log_error("sentry confinement failed: %s%s%s: %s", what, arg ? " " : "",
		  arg ? arg : "", strerror(-r));
	return r;
}

static int pivot_root(const char *new_root, const char *put_old)
{
	return syscall(SYS_pivot_root, new_root, put_old);
}

/* Make "/" an empty read-only tmpfs and detach every host mount. */
static int confine_filesystem(void)
{
	/* Keep the mounts below from propagating to the host's namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail("mount --make-rprivate", "/");
	if (mount("moat-empty", NEW_ROOT_MOUNTPOINT, "tmpfs",
		  MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=4k,nr_inodes=1,mode=0555") < 0)
		return fail("mount tmpfs on", NEW_ROOT_MOUNTPOINT);
	if (chdir(NEW_ROOT_MOUNTPOINT) < 0)
		return fail("chdir", NEW_ROOT_MOUNTPOINT);
	/* pivot_root(".", ".") stacks the old root on top of the new one,
	 * so the new root needs no directory to hold the old root, and a
	 * read-only tmpfs works. The old root is then the top mount at "."
	 * and is detached with all the mounts below it. */
	if (pivot_root(".", ".") < 0)
		return fail("pivot_root", NEW_ROOT_MOUNTPOINT);
	if (umount2(".", MNT_DETACH) < 0)
		return fail("umount2 (detach the old root)", NULL);
	if (chdir("/") < 0)
		return fail("chdir", "/");
	return 0;
}

static int drop_capabilities(void)
{
	struct __user_cap_header_struct header = {
	    .version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {0};

	/* Locked securebits: exec of a setuid-root binary or a uid change
	 * can never grant capabilities again. */
	if (prctl(PR_SET_SECUREBITS,
		  SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
		      SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED |
		      SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
		      SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED) < 0)
		return fail("prctl(PR_SET_SECUREBITS)", NULL);

	/* PR_CAPBSET_DROP fails with EINVAL past the kernel's last
	 * capability, which ends the loop. */
	for (int cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL)
			break;
		return fail("prctl(PR_CAPBSET_DROP)", NULL);
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return fail("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", NULL);
	if (syscall(SYS_capset, &header, data) < 0)
		return fail("capset (clear all capabilities)", NULL);

	/* Check that nothing is left, in case the kernel ignored a step. */
	if (syscall(SYS_capget, &header, data) < 0)
		return fail("capget", NULL);
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
		if (data[i].effective || data[i].permitted ||
		    data[i].inheritable) {
			log_error("sentry confinement failed: capabilities "
				  "remain after capset");
			return -EPERM;
		}
	}
	return 0;
}

static int run_test_hook(const char *hook)
{
	if (strcmp(hook, TEST_HOOK_OPENAT) != 0) {
		log_debug("test hook %s is not handled by sentry_confine",
			  hook);
		return 0;
	}
	log_info("test hook %s: calling openat(\"/\"), which seccomp must "
		 "answer by killing the sentry",
		 hook);
	int fd = openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	log_error("test hook %s: openat(\"/\") returned %d instead of killing "
		  "the sentry: the seccomp filter is not working",
		  hook, fd);
	return -ENOTRECOVERABLE;
}

int sentry_confine(const struct sentry_config *cfg)
{
	int r;

	r = confine_filesystem();
	if (r < 0)
		return r;
	r = drop_capabilities();
	if (r < 0)
		return r;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fail("prctl(PR_SET_NO_NEW_PRIVS)", NULL);
	r = sentry_seccomp_install();
	if (r < 0)
		return r;
	log_info("sentry confined: empty root, no capabilities, seccomp "
		 "filter loaded");

	if (cfg->test_hook)
		return run_test_hook(cfg->test_hook);
	return 0;
}
