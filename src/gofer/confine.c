/* Mount namespace and capability confinement of the gofer.
 *
 * After gofer_confine_mounts the gofer's root is a read-only tmpfs that
 * contains only /m0, /m1, ...: one bind mount per --mount, so no path the
 * gofer could ever resolve leads to another host file. Each bind mount is
 * non-recursive, so mounts below a HOSTPATH (for example /proc below /)
 * appear as empty directories. Pass them as separate --mount flags if the
 * sandbox needs them.
 */
#include "gofer/gofer.h"
#include "common/log.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

/* An existing host directory the staging tmpfs is mounted over. It is
 * hidden only inside the gofer's private mount namespace. */
#define STAGE "/tmp"

static int fail(const char *what, const char *path)
{
	int err = neg_errno();

	log_error("%s %s failed: %s", what, path, strerror(-err));
	return err;
}

/* Bind-mount the directory open as host_fd at STAGE/m<index>. The source
 * is the /proc/self/fd magic link, so the bind mounts exactly the
 * directory that was opened, even if a host path changed since. */
static int bind_one(int host_fd, uint32_t index, bool readonly)
{
	unsigned long flags = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV;
	char source[64], target[64];

	snprintf(source, sizeof(source), "/proc/self/fd/%d", host_fd);
	snprintf(target, sizeof(target), STAGE "/m%u", index);
	if (mkdir(target, 0755) < 0)
		return fail("creating mount point", target);
	if (mount(source, target, NULL, MS_BIND, NULL) < 0)
		return fail("bind-mounting onto", target);
	/* MS_NODEV: the gofer never opens devices; MS_NOSUID: it never
	 * executes. Not MS_NOEXEC, because the sentry maps executables from
	 * the FDs the gofer opens. */
	if (readonly)
		flags |= MS_RDONLY;
	if (mount(NULL, target, NULL, flags, NULL) < 0)
		return fail("remounting", target);
	return 0;
}

/* Build the new root in STAGE and pivot into it. */
static int build_root(const int *host_fds, const bool *readonly, uint32_t n)
{
	int err;

	if (mount("tmpfs", STAGE, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0755,size=64k") < 0)
		return fail("mounting tmpfs on", STAGE);
	for (uint32_t i = 0; i < n; i++) {
		err = bind_one(host_fds[i], i, readonly[i]);
		if (err)
			return err;
	}
	if (mkdir(STAGE "/proc", 0755) < 0 || mkdir(STAGE "/old", 0755) < 0)
		return fail("creating directories in", STAGE);
	if (mount("proc", STAGE "/proc", "proc",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return fail("mounting proc on", STAGE "/proc");
	if (syscall(SYS_pivot_root, STAGE, STAGE "/old") < 0)
		return fail("pivot_root into", STAGE);
	if (chdir("/") < 0)
		return fail("chdir to", "/");
	if (umount2("/old", MNT_DETACH) < 0)
		return fail("detaching the old root", "/old");
	if (rmdir("/old") < 0)
		return fail("removing", "/old");
	return 0;
}

/* Open the mount roots and /proc/self/fd in the new root, then hide /proc
 * and make the root read-only. proc_fd keeps working after the detach,
 * because an open directory FD pins its mount. */
static int open_roots(uint32_t n, struct gofer_mount *mounts, int *proc_fd)
{
	char path[64];

	for (uint32_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/m%u", i);
		mounts[i].root_fd =
		    open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (mounts[i].root_fd < 0)
			return fail("opening mount root", path);
	}
	*proc_fd = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*proc_fd < 0)
		return fail("opening", "/proc/self/fd");
	if (umount2("/proc", MNT_DETACH) < 0)
		return fail("detaching", "/proc");
	if (mount(NULL, "/", NULL,
		  MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		return fail("remounting read-only", "/");
	return 0;
}

int gofer_confine_mounts(const char **paths, const bool *readonly,
			 uint32_t nmounts, struct gofer_mount *mounts,
			 int *proc_fd)
{
	int host_fds[nmounts];
	int err = 0;
	uint32_t opened;

	if (unshare(CLONE_NEWNS) < 0)
		return fail("unsharing the mount namespace", "");
	/* Keep every mount change below out of the host's namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail("making private", "/");
	/* Open every host path after the unshare, because a bind mount
	 * source must be a mount of the gofer's own namespace, and before
	 * STAGE is covered, since a HOSTPATH may lie below it. */
	for (opened = 0; opened < nmounts; opened++) {
		host_fds[opened] =
		    open(paths[opened], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (host_fds[opened] < 0) {
			err = fail("opening mount directory", paths[opened]);
			goto out_close;
		}
		mounts[opened].readonly = readonly[opened];
	}
	err = build_root(host_fds, readonly, nmounts);
	if (err)
		goto out_close;
	err = open_roots(nmounts, mounts, proc_fd);

out_close:
	for (uint32_t i = 0; i < opened; i++)
		close(host_fds[i]);
	return err;
}

/* Capabilities the gofer keeps: it acts on host files as root on behalf of
 * the sandbox, whose own permission checks are done by the sentry.
 * CAP_CHOWN gives new nodes the sandbox owner; CAP_DAC_OVERRIDE and
 * CAP_FOWNER let it read, write, chmod and utimes files whatever their
 * host owner and mode; CAP_FSETID keeps set-group-ID on directories
 * chmod-ed for another group. Everything else, notably CAP_SYS_ADMIN and
 * CAP_DAC_READ_SEARCH (open_by_handle_at), is dropped, also from the
 * bounding set. */
#define KEPT_CAPS                                                              \
	((1u << CAP_CHOWN) | (1u << CAP_DAC_OVERRIDE) | (1u << CAP_FOWNER) |   \
	 (1u << CAP_FSETID))

int gofer_drop_caps(void)
{
	struct __user_cap_header_struct hdr = {.version =
						   _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2] = {
	    {.effective = KEPT_CAPS, .permitted = KEPT_CAPS}};

	for (int cap = 0; cap < 64; cap++) {
		if (cap < 32 && (KEPT_CAPS & (1u << cap)))
			continue;
		/* EINVAL: past the kernel's last capability. */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return fail("dropping a capability from the bounding "
				    "set",
				    "");
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return fail("clearing ambient capabilities", "");
	if (syscall(SYS_capset, &hdr, data) < 0)
		return fail("setting capabilities", "");
	return 0;
}
