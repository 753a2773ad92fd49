/* Mount namespace and capability confinement of the gofer.
 *
 * After gofer_confine_mounts the gofer's root is a read-only tmpfs that
 * contains only /m0, /m1, ...: one bind mount per --mount, a directory or
 * a regular file, so no path the gofer could ever resolve leads to
 * another host file.
 *
 * Which mounts below a HOSTPATH the gofer serves depends on the user
 * namespace. As root in the initial one, the bind mount is non-recursive,
 * so file systems mounted below a HOSTPATH (for example /proc below /)
 * appear as empty directories; pass them as separate --mount flags if the
 * sandbox needs them. In a user namespace that the supervisor created for
 * a non-root caller, the kernel locks the mounts copied from the host to
 * each other and rejects a non-recursive bind of a directory with mounts
 * below it (EINVAL), because that would reveal what they cover. There the
 * bind is recursive: the gofer serves every file system mounted below a
 * HOSTPATH, with the caller's own host permissions, and makes all of them
 * read-only, nosuid and nodev as it does the top one.
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
#include <unistd.h>

/* An existing host directory the staging tmpfs is mounted over. It is
 * hidden only inside the gofer's private mount namespace. */
#define STAGE "/tmp"

static int fail(const char *what, const char *path)
{
	int err = neg_errno();

	log_error("%s %s failed: %s", what, path, strerror(-err));
	return err;
}

/* Log a failure of one --mount, which then fails only its attach. */
static int fail_mount(uint32_t index, const char *path, const char *what,
		      int err)
{
	log_error("mount %u (%s): %s failed: %s", index, path, what,
		  strerror(-err));
	return err;
}

/* Return a detached copy of the mount tree at path (a directory or a
 * regular file), taken before STAGE is covered, in *tree_fd and the file
 * type in *type. */
static int clone_tree(const char *path, uint32_t index, int *tree_fd,
		      mode_t *type)
{
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH;
	_cleanup_close_ int fd = -1;
	struct stat st;

	/* The supervisor passes a canonical path, so a symlink here means
	 * the path changed since. */
	fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fail_mount(index, path, "opening the host path",
				  neg_errno());
	if (fstat(fd, &st) < 0)
		return fail_mount(index, path, "stat", neg_errno());
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		log_error("mount %u (%s): not a directory or a regular file "
			  "(mode %#o)",
			  index, path, (unsigned)st.st_mode);
		return -EINVAL;
	}
	*type = st.st_mode & S_IFMT;

	*tree_fd = open_tree(fd, "", flags);
	if (*tree_fd < 0 && errno == EINVAL) {
		/* Mounts below path are locked to it (see the top of this
		 * file), so only the whole tree can be bound. */
		*tree_fd = open_tree(fd, "", flags | AT_RECURSIVE);
		if (*tree_fd >= 0)
			log_info("mount %u (%s): the user namespace locks the "
				 "mounts below it, so they are served too",
				 index, path);
	}
	if (*tree_fd < 0)
		return fail_mount(index, path,
				  "open_tree (needs Linux 5.2 or later)",
				  neg_errno());
	return 0;
}

/* Make the tree mounted at target nosuid and nodev, and read-only if
 * requested. MS_NODEV: the gofer never opens devices; MS_NOSUID: it never
 * executes. Not noexec, because the sentry maps executables from the FDs
 * the gofer opens. */
static int set_tree_attrs(const char *target, bool readonly)
{
	struct mount_attr attr = {
	    .attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			(readonly ? MOUNT_ATTR_RDONLY : 0),
	};
	unsigned long flags = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV;

	if (mount_setattr(AT_FDCWD, target, AT_RECURSIVE | AT_SYMLINK_NOFOLLOW,
			  &attr, sizeof(attr)) == 0)
		return 0;
	if (errno != ENOSYS)
		return neg_errno();
	/* Before Linux 5.12: only the top mount. Below it there are other
	 * mounts only in a user namespace, and the gofer still rejects
	 * writes to a read-only mount itself. */
	if (readonly)
		flags |= MS_RDONLY;
	if (mount(NULL, target, NULL, flags, NULL) < 0)
		return neg_errno();
	return 0;
}

/* Attach the tree cloned for mount index at STAGE/m<index>, on a new
 * directory or an empty file matching its type. */
static int attach_tree(int tree_fd, uint32_t index, mode_t type, bool readonly,
		       const char *path)
{
	char target[64];
	int err;

	snprintf(target, sizeof(target), STAGE "/m%u", index);
	if (S_ISDIR(type))
		err = mkdir(target, 0755);
	else
		err = mknod(target, S_IFREG | 0600, 0);
	if (err < 0)
		return fail_mount(index, path, "creating the mount point",
				  neg_errno());
	if (move_mount(tree_fd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) <
	    0)
		return fail_mount(index, path, "move_mount", neg_errno());
	err = set_tree_attrs(target, readonly);
	if (err < 0)
		return fail_mount(index, path, "setting the mount flags", err);
	return 0;
}

/* Build the new root in STAGE and pivot into it. A mount that fails here
 * gets errors[i] set and is left out. */
static int build_root(const int *tree_fds, const mode_t *types,
		      const char **paths, const bool *readonly, uint32_t n,
		      int *errors)
{
	if (mount("tmpfs", STAGE, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0755,size=64k") < 0)
		return fail("mounting tmpfs on", STAGE);
	for (uint32_t i = 0; i < n; i++) {
		if (errors[i] == 0)
			errors[i] = attach_tree(tree_fds[i], i, types[i],
						readonly[i], paths[i]);
	}
	if (mkdir(STAGE "/old", 0755) < 0)
		return fail("creating directories in", STAGE);
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

/* Open the mount roots in the new root, then make the root read-only. */
static int open_roots(uint32_t n, const mode_t *types, const int *errors,
		      struct gofer_mount *mounts)
{
	char path[64];
	struct stat st;

	for (uint32_t i = 0; i < n; i++) {
		mounts[i].root_fd = -1;
		mounts[i].error = -errors[i];
		if (errors[i])
			continue;
		snprintf(path, sizeof(path), "/m%u", i);
		mounts[i].root_fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (mounts[i].root_fd < 0)
			return fail("opening mount root", path);
		if (fstat(mounts[i].root_fd, &st) < 0)
			return fail("stat of mount root", path);
		if ((st.st_mode & S_IFMT) != types[i]) {
			log_error("mount root %s changed type to %#o", path,
				  (unsigned)(st.st_mode & S_IFMT));
			return -EIO;
		}
	}
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
	int tree_fds[nmounts];
	int errors[nmounts];
	mode_t types[nmounts];
	int err = 0;

	for (uint32_t i = 0; i < nmounts; i++) {
		tree_fds[i] = -1;
		errors[i] = 0;
		types[i] = 0;
		mounts[i].readonly = readonly[i];
	}
	if (unshare(CLONE_NEWNS) < 0)
		return fail("unsharing the mount namespace", "");
	/* Keep every mount change below out of the host's namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail("making private", "/");
	/* The host's /proc, opened now because a user namespace may not
	 * mount a new one. The FD keeps working after the old root is
	 * detached, because an open FD pins its mount. */
	*proc_fd = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*proc_fd < 0)
		return fail("opening", "/proc/self/fd");
	/* Clone every host path before STAGE is covered, since a HOSTPATH
	 * may lie below it. A mount that fails only fails its attach, so
	 * the sentry's error names it. */
	for (uint32_t i = 0; i < nmounts; i++)
		errors[i] = clone_tree(paths[i], i, &tree_fds[i], &types[i]);
	err = build_root(tree_fds, types, paths, readonly, nmounts, errors);
	if (err)
		goto out_close;
	err = open_roots(nmounts, types, errors, mounts);

out_close:
	for (uint32_t i = 0; i < nmounts; i++)
		if (tree_fds[i] >= 0)
			close(tree_fds[i]);
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
