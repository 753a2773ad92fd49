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

/* Fields of status, stat and statm for one task, copied under the locks
 * that protect each of them. */
struct procfs_task_info {
	pid_t tgid, tid, ppid, pgid, sid;
	char comm[16];
	char state; /* 'R', 'S', 'T' or 'Z' */
	int nr_threads;
	int exit_signal;
	int exit_status; /* wait(2) encoding once the group exited, else 0 */
	mode_t umask;
	int fd_slots; /* size of the FD table */
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	int ngroups;
	gid_t *groups; /* ngroups entries, malloc'd */
	uint64_t cap_effective;
	uint64_t sig_pending, sig_shared_pending, sig_blocked;
	uint64_t sig_ignored, sig_caught;
	int sig_queued;
	uint64_t rlim_sigpending, rlim_rss;
	/* Clock ticks (sysconf(_SC_CLK_TCK)). */
	uint64_t utime, stime, cutime, cstime, start_time;
};

/* Memory figures of an address space, in bytes. */
struct procfs_vm_info {
	uint64_t size;	     /* every mapping */
	uint64_t accessible; /* mappings that are not PROT_NONE */
	uint64_t text;	     /* executable mappings of the executable */
	uint64_t data;	     /* private writable mappings */
	uint64_t stack;
	uint64_t start_code, end_code, start_stack, start_brk;
	uint64_t arg_start, arg_end, env_start, env_end;
};

/* Fill info for the task of id (reader is the task reading the file).
 * Returns -ESRCH if it is gone. Free info->groups afterwards. */
int procfs_get_task_info(struct task *reader, const struct procfs_pid *id,
			 struct procfs_task_info *info);
/* Fill vm from the address space of id's task; all zero if it has none
 * (a zombie). */
void procfs_get_vm_info(const struct procfs_pid *id, struct procfs_vm_info *vm);

/* Inode constructors for the per-process tree. */
struct inode *procfs_pid_dir_create(struct super_block *sb, pid_t tgid,
				    pid_t tid);
struct inode *procfs_fd_dir_create(struct super_block *sb,
				   const struct procfs_pid *id, bool fdinfo);
/* The "magic links" exe, cwd, root and fd/N (id->fd): readlink gives
 * the target's path, and a path walk jumps to the target itself. */
enum procfs_link_kind {
	PROCFS_LINK_EXE,
	PROCFS_LINK_CWD,
	PROCFS_LINK_ROOT,
	PROCFS_LINK_FD,
};
struct inode *procfs_link_create(struct super_block *sb,
				 const struct procfs_pid *id,
				 enum procfs_link_kind kind);
/* The text of fd/N for file f: its path, or "pipe:[ino]", "socket:[ino]"
 * or "host:[ino]" (stdio inherited from the host) for a file with no
 * path. Returns the length or a negative errno. */
int procfs_file_name(struct file *f, char *buf, size_t size);

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

extern const struct synth_file_ops procfs_cpuinfo_ops;

/* The ID of a mount in mountinfo and fdinfo's mnt_id. */
int procfs_mount_id(struct mount *mnt);

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
