/* procfs: the sandbox's /proc, built from the sentry's own state.
 *
 * Everything is synthetic (see "Synthetic file systems" in fs.h): the
 * sentry cannot read the host's /proc once confined, and the guest must
 * see its own processes anyway. Per-process directories hold only a PID,
 * never a task pointer, and look the task up on every access, so a
 * directory of an exited process simply fails with ENOENT or ESRCH.
 *
 * The first part is the interface for the VFS; the rest is shared by the
 * procfs*.c files only.
 */
#ifndef MOAT_SENTRY_FS_PROCFS_H
#define MOAT_SENTRY_FS_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sentry/fs/fs.h"

/* Build the tree of a proc super block (from sb_alloc("proc", "proc",
 * NULL)) and return its root directory inode with one reference. */
int procfs_fill_super(struct super_block *sb, struct inode **root);

/* ---- Internal to procfs*.c ---- */

struct mm;
struct fdtable;
struct fs_struct;
struct thread_group;

/* A growing text buffer for a file's content (xmalloc'd, NUL-terminated). */
struct procfs_text {
	char *buf;
	size_t len, cap;
};

void procfs_printf(struct procfs_text *text, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hand the content to a synth_file_ops->show caller. */
int procfs_text_finish(struct procfs_text *text, char **buf, size_t *len);

/* Identity of a per-process or per-thread entry: the thread group and,
 * under /proc/PID/task/TID, the thread. Stored as a synth priv. */
struct procfs_pid {
	pid_t tgid;
	pid_t tid; /* 0 under /proc/PID: the whole thread group */
	int fd;	   /* the N of fd/N and fdinfo/N, else -1 */
};

/* A malloc'd copy of id with fd set, for a synth priv released by free. */
struct procfs_pid *procfs_pid_dup(const struct procfs_pid *id, int fd);

/* A new reference to the task a directory describes: the thread for
 * task/TID, else a live thread of the group (the leader while it runs).
 * NULL if it exited. Takes tasklist_lock. */
struct task *procfs_get_task(const struct procfs_pid *id);

/* References to a task's address space, file table and fs_struct, or
 * NULL once the task has released them. Release with mm_put,
 * fdtable_put and fs_struct_put. */
struct mm *procfs_task_mm(struct task *t);
struct fdtable *procfs_task_files(struct task *t);
struct fs_struct *procfs_task_fs(struct task *t);

/* Inode constructors for the per-process tree. */
struct inode *procfs_pid_dir_create(struct super_block *sb, pid_t tgid,
				    pid_t tid);
struct inode *procfs_fd_dir_create(struct super_block *sb,
				   const struct procfs_pid *id, bool fdinfo);
/* The magic links exe, cwd and root. */
enum procfs_link_kind { PROCFS_LINK_EXE, PROCFS_LINK_CWD, PROCFS_LINK_ROOT };
struct inode *procfs_link_create(struct super_block *sb,
				 const struct procfs_pid *id,
				 enum procfs_link_kind kind);
/* The magic link fd/N. */
struct inode *procfs_fd_link_create(struct super_block *sb,
				    const struct procfs_pid *id, int fd);

/* Files of /proc/PID and /proc/PID/task/TID. */
extern const struct synth_file_ops procfs_status_ops;
extern const struct synth_file_ops procfs_stat_ops;
extern const struct synth_file_ops procfs_statm_ops;
extern const struct synth_file_ops procfs_cmdline_ops;
extern const struct synth_file_ops procfs_environ_ops;
extern const struct synth_file_ops procfs_auxv_ops;
extern const struct synth_file_ops procfs_maps_ops;
extern const struct synth_file_ops procfs_comm_ops;
extern const struct synth_file_ops procfs_mounts_ops;
extern const struct synth_file_ops procfs_mountinfo_ops;

/* Fill the system-wide entries of /proc (cpuinfo, meminfo, sys/...). */
int procfs_add_system_files(struct super_block *sb, struct inode *root);

/* Copy text into buf as readlink(2) does: no NUL, cut at size bytes.
 * Returns the number of bytes copied. */
int procfs_copy_link(char *buf, size_t size, const char *text);
/* Parse a decimal PID or FD name ("42"); -1 if it is not one. */
int procfs_parse_number(const char *name);
/* Set an inode's owner to the task's effective IDs, as Linux does for
 * /proc/PID entries. */
void procfs_set_owner(struct inode *inode, const struct procfs_pid *id);

#endif
