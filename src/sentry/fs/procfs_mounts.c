/* /proc/PID/mounts and /proc/PID/mountinfo (/proc/mounts links to
 * self/mounts): the sandbox's mount table, which vfs_init builds once
 * and never changes, with paths as seen from the process's root. */
#include <errno.h>
#include <limits.h>
#include <sys/sysmacros.h>

#include "common/util.h"
#include "sentry/fs/procfs.h"
#include "sentry/fs/vfs_internal.h"
#include "sentry/task.h"

/* Mount IDs as mountinfo numbers them: the position in mount_list plus
 * this base, and the root mount's parent is the base itself (a mount
 * outside the sandbox, as in a container). */
#define MOUNT_ID_BASE 20

/* Append s with the octal escapes of Linux's mangle(): space, tab,
 * newline and backslash. */
static void print_escaped(struct procfs_text *text, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			procfs_printf(text, "\\%03o", (unsigned char)*s);
		else
			procfs_printf(text, "%c", *s);
	}
}

static void print_mount_point(struct procfs_text *text, struct mount *m,
			      const struct path *root)
{
	struct path p = {.mnt = m, .dentry = m->mnt_root};
	char buf[PATH_MAX];

	if (d_path(&p, root, buf, sizeof(buf)) < 0)
		procfs_printf(text, "?");
	else
		print_escaped(text, buf);
}

static void print_options(struct procfs_text *text, bool readonly,
			  const char *extra)
{
	procfs_printf(text, "%s", readonly ? "ro" : "rw");
	if (extra && *extra)
		procfs_printf(text, ",%s", extra);
}

int procfs_mount_id(struct mount *target)
{
	int id = MOUNT_ID_BASE;

	for (struct mount *m = mount_list; m; m = m->mnt_next) {
		id++;
		if (m == target)
			return id;
	}
	return MOUNT_ID_BASE;
}

/* The root of id's process, for paths "as seen from" it. */
static int target_root(const struct procfs_pid *id, struct path *root)
{
	struct task *t = procfs_get_task(id);
	struct fs_struct *fs = t ? procfs_task_fs(t) : NULL;

	if (t)
		task_put(t);
	if (!fs)
		return -ENOENT;
	fs_struct_get_root(fs, root);
	fs_struct_put(fs);
	return 0;
}

/* "SOURCE MOUNTPOINT TYPE OPTIONS 0 0", as in fstab(5). */
static int mounts_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct procfs_text text = {0};
	struct path root;
	int err = target_root(priv, &root);

	if (err < 0)
		return err;
	for (struct mount *m = mount_list; m; m = m->mnt_next) {
		print_escaped(&text, m->mnt_sb->s_source ?: "none");
		procfs_printf(&text, " ");
		print_mount_point(&text, m, &root);
		procfs_printf(&text, " %s ", m->mnt_sb->s_type);
		print_options(&text, mnt_readonly(m), m->mnt_opts);
		procfs_printf(&text, " 0 0\n");
	}
	path_put(&root);
	return procfs_text_finish(&text, buf, len);
}

const struct synth_file_ops procfs_mounts_ops = {
    .show = mounts_show,
};

/* "ID PARENT MAJOR:MINOR ROOT MOUNTPOINT OPTIONS - TYPE SOURCE SUPEROPTS",
 * as in proc_pid_mountinfo(5), with no optional (propagation) fields. */
static int mountinfo_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct procfs_text text = {0};
	struct path root;
	int err = target_root(priv, &root);

	if (err < 0)
		return err;
	for (struct mount *m = mount_list; m; m = m->mnt_next) {
		struct super_block *sb = m->mnt_sb;
		bool is_root = m->mnt_parent == m;

		procfs_printf(&text, "%d %d %u:%u / ", procfs_mount_id(m),
			      is_root ? MOUNT_ID_BASE
				      : procfs_mount_id(m->mnt_parent),
			      major(sb->s_dev), minor(sb->s_dev));
		print_mount_point(&text, m, &root);
		procfs_printf(&text, " ");
		print_options(&text, m->mnt_flags & MNT_READONLY, NULL);
		procfs_printf(&text, " - %s ", sb->s_type);
		print_escaped(&text, sb->s_source ?: "none");
		procfs_printf(&text, " ");
		print_options(&text, sb->s_flags & SB_RDONLY, m->mnt_opts);
		procfs_printf(&text, "\n");
	}
	path_put(&root);
	return procfs_text_finish(&text, buf, len);
}

const struct synth_file_ops procfs_mountinfo_ops = {
    .show = mountinfo_show,
};
