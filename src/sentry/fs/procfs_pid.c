/* /proc/PID and /proc/PID/task/TID: a fixed set of entries created on
 * lookup, so walking one path builds one inode, not the whole tree. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "sentry/fs/procfs.h"
#include "sentry/task.h"

enum pid_entry_type {
	ENTRY_FILE,
	ENTRY_LINK,
	ENTRY_FD_DIR,
	ENTRY_FDINFO_DIR,
	ENTRY_TASK_DIR,
};

struct pid_entry {
	const char *name;
	enum pid_entry_type type;
	mode_t mode;
	const struct synth_file_ops *ops; /* ENTRY_FILE */
	enum procfs_link_kind link;	  /* ENTRY_LINK */
};

/* Modes as Linux 6.18 shows them: environ and auxv are private to the
 * owner. */
static const struct pid_entry pid_entries[] = {
    {"task", ENTRY_TASK_DIR, 0555},
    {"fd", ENTRY_FD_DIR, 0500},
    {"fdinfo", ENTRY_FDINFO_DIR, 0555},
    {"environ", ENTRY_FILE, 0400, &procfs_environ_ops},
    {"auxv", ENTRY_FILE, 0400, &procfs_auxv_ops},
    {"status", ENTRY_FILE, 0444, &procfs_status_ops},
    {"cmdline", ENTRY_FILE, 0444, &procfs_cmdline_ops},
    {"stat", ENTRY_FILE, 0444, &procfs_stat_ops},
    {"statm", ENTRY_FILE, 0444, &procfs_statm_ops},
    {"maps", ENTRY_FILE, 0444, &procfs_maps_ops},
    {"comm", ENTRY_FILE, 0644, &procfs_comm_ops},
    {"mounts", ENTRY_FILE, 0444, &procfs_mounts_ops},
    {"mountinfo", ENTRY_FILE, 0444, &procfs_mountinfo_ops},
    {"cwd", ENTRY_LINK, 0777, NULL, PROCFS_LINK_CWD},
    {"root", ENTRY_LINK, 0777, NULL, PROCFS_LINK_ROOT},
    {"exe", ENTRY_LINK, 0777, NULL, PROCFS_LINK_EXE},
};

/* The priv of a PID or task directory: its identity and the super block
 * that lookup creates entries on. */
struct pid_dir_priv {
	struct procfs_pid id;
	struct super_block *sb;
};

static struct inode *task_dir_create(struct super_block *sb,
				     const struct procfs_pid *id);

/* task/ exists only in /proc/PID, not in /proc/PID/task/TID. */
static bool entry_visible(const struct pid_entry *e,
			  const struct procfs_pid *id)
{
	return e->type != ENTRY_TASK_DIR || id->tid == 0;
}

static struct inode *entry_create(struct super_block *sb,
				  const struct pid_entry *e,
				  const struct procfs_pid *id)
{
	switch (e->type) {
	case ENTRY_FILE:
		return synth_file_create(sb, e->mode, e->ops,
					 procfs_pid_dup(id, -1), free);
	case ENTRY_LINK:
		return procfs_link_create(sb, id, e->link);
	case ENTRY_FD_DIR:
		return procfs_fd_dir_create(sb, id, false);
	case ENTRY_FDINFO_DIR:
		return procfs_fd_dir_create(sb, id, true);
	case ENTRY_TASK_DIR:
		return task_dir_create(sb, id);
	}
	BUG_ON(1);
	return NULL;
}

static int pid_dir_lookup(struct task *t, void *priv, const char *name,
			  struct inode **out)
{
	const struct pid_dir_priv *dir = priv;

	for (size_t i = 0; i < ARRAY_SIZE(pid_entries); i++) {
		const struct pid_entry *e = &pid_entries[i];

		if (strcmp(e->name, name) != 0 || !entry_visible(e, &dir->id))
			continue;
		*out = entry_create(dir->sb, e, &dir->id);
		procfs_set_owner(*out, &dir->id);
		return 0;
	}
	return -ENOENT;
}

static unsigned char entry_dtype(const struct pid_entry *e)
{
	return e->type == ENTRY_FILE   ? DT_REG
	       : e->type == ENTRY_LINK ? DT_LNK
				       : DT_DIR;
}

static int pid_dir_iterate(struct task *t, void *priv, int64_t pos,
			   synth_emit_t emit, void *ctx)
{
	const struct pid_dir_priv *dir = priv;
	int64_t index = 0; /* among the visible entries, as pos counts */
	int emitted = 0;

	for (size_t i = 0; i < ARRAY_SIZE(pid_entries); i++) {
		const struct pid_entry *e = &pid_entries[i];

		if (!entry_visible(e, &dir->id) || index++ < pos)
			continue;
		if (emit(ctx, e->name, 0x20000000ULL + i, entry_dtype(e)))
			break;
		emitted++;
	}
	return emitted;
}

static const struct synth_dir_ops pid_dir_ops = {
    .lookup = pid_dir_lookup,
    .iterate = pid_dir_iterate,
};

struct inode *procfs_pid_dir_create(struct super_block *sb, pid_t tgid,
				    pid_t tid)
{
	struct pid_dir_priv *priv = xmalloc(sizeof(*priv));
	struct inode *dir;

	priv->id = (struct procfs_pid){.tgid = tgid, .tid = tid, .fd = -1};
	priv->sb = sb;
	dir = synth_dir_create(sb, 0555, &pid_dir_ops, priv, free);
	procfs_set_owner(dir, &priv->id);
	return dir;
}

/* /proc/PID/task: one directory per thread of the group. */
static int task_dir_lookup(struct task *t, void *priv, const char *name,
			   struct inode **out)
{
	const struct pid_dir_priv *parent = priv;
	int tid = procfs_parse_number(name);
	struct task *thread;
	bool found;

	if (tid <= 0)
		return -ENOENT;
	pthread_mutex_lock(&tasklist_lock);
	thread = pid_task(tid);
	found = thread && thread->tg->tgid == parent->id.tgid;
	pthread_mutex_unlock(&tasklist_lock);
	if (!found)
		return -ENOENT;
	*out = procfs_pid_dir_create(parent->sb, parent->id.tgid, tid);
	return 0;
}

static int task_dir_iterate(struct task *t, void *priv, int64_t pos,
			    synth_emit_t emit, void *ctx)
{
	const struct pid_dir_priv *parent = priv;
	pid_t *tids = NULL;
	int count = 0, emitted = 0;
	struct thread_group *tg;

	pthread_mutex_lock(&tasklist_lock);
	tg = pid_thread_group(parent->id.tgid);
	for (struct task *th = tg ? tg->leader : NULL; th;
	     th = th->next_thread) {
		if (!th->mm && th != tg->leader)
			continue; /* an exited thread */
		tids = xrealloc(tids, (count + 1) * sizeof(*tids));
		tids[count++] = th->tid;
	}
	pthread_mutex_unlock(&tasklist_lock);

	for (int64_t i = pos; i < count; i++) {
		char name[16];

		snprintf(name, sizeof(name), "%d", (int)tids[i]);
		if (emit(ctx, name, 0x30000000ULL + tids[i], DT_DIR))
			break;
		emitted++;
	}
	free(tids);
	return emitted;
}

static const struct synth_dir_ops task_dir_ops = {
    .lookup = task_dir_lookup,
    .iterate = task_dir_iterate,
};

static struct inode *task_dir_create(struct super_block *sb,
				     const struct procfs_pid *id)
{
	struct pid_dir_priv *priv = xmalloc(sizeof(*priv));

	priv->id = *id;
	priv->sb = sb;
	return synth_dir_create(sb, 0555, &task_dir_ops, priv, free);
}
