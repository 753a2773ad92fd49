/* The root of /proc: one directory per thread group, the self and
 * thread-self links, and the system-wide files (procfs_sys.c). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/util.h"
#include "sentry/fs/procfs.h"
#include "sentry/task.h"

/* "self" names the reading task's thread group. */
static int self_link(struct task *t, void *priv, char *buf, size_t size)
{
	char text[32];

	if (!t)
		return -ENOENT;
	snprintf(text, sizeof(text), "%d", (int)t->tg->tgid);
	return procfs_copy_link(buf, size, text);
}

static int thread_self_link(struct task *t, void *priv, char *buf, size_t size)
{
	char text[64];

	if (!t)
		return -ENOENT;
	snprintf(text, sizeof(text), "%d/task/%d", (int)t->tg->tgid,
		 (int)t->tid);
	return procfs_copy_link(buf, size, text);
}

static int mounts_link(struct task *t, void *priv, char *buf, size_t size)
{
	return procfs_copy_link(buf, size, "self/mounts");
}

/* /proc/N exists for every thread, as in Linux, but only thread group
 * leaders are listed. /proc/TID of another thread shows that thread. */
static int root_lookup(struct task *t, void *priv, const char *name,
		       struct inode **out)
{
	struct super_block *sb = priv;
	int pid = procfs_parse_number(name);
	struct task *target;
	pid_t tgid = 0;

	if (pid <= 0)
		return -ENOENT;
	pthread_mutex_lock(&tasklist_lock);
	target = pid_task(pid);
	if (target)
		tgid = target->tg->tgid;
	pthread_mutex_unlock(&tasklist_lock);
	if (!tgid)
		return -ENOENT;
	*out = procfs_pid_dir_create(sb, tgid, tgid == pid ? 0 : pid);
	return 0;
}

struct tgid_list {
	pid_t *tgids;
	int count, cap;
};

static void collect_tgid(struct thread_group *tg, void *arg)
{
	struct tgid_list *list = arg;

	if (list->count == list->cap) {
		list->cap = MAX(list->cap * 2, 64);
		list->tgids =
		    xrealloc(list->tgids, list->cap * sizeof(*list->tgids));
	}
	list->tgids[list->count++] = tg->tgid;
}

/* Synthetic inode numbers for listings; a looked-up directory has its own
 * inode number, which may differ. */
static uint64_t pid_dir_ino(pid_t tgid)
{
	return 0x10000000ULL + tgid;
}

static int root_iterate(struct task *t, void *priv, int64_t pos,
			synth_emit_t emit, void *ctx)
{
	struct tgid_list list = {0};
	int emitted = 0;

	pthread_mutex_lock(&tasklist_lock);
	for_each_thread_group(collect_tgid, &list);
	pthread_mutex_unlock(&tasklist_lock);

	/* NOTE: positions are indexes into the current list, so a process
	 * that exits between two getdents calls shifts the rest by one and
	 * one entry may be skipped (Linux resumes by PID instead). */
	for (int64_t i = pos; i < list.count; i++) {
		char name[16];

		snprintf(name, sizeof(name), "%d", (int)list.tgids[i]);
		if (emit(ctx, name, pid_dir_ino(list.tgids[i]), DT_DIR))
			break;
		emitted++;
	}
	free(list.tgids);
	return emitted;
}

static const struct synth_dir_ops root_ops = {
    .lookup = root_lookup,
    .iterate = root_iterate,
};

int procfs_fill_super(struct super_block *sb, struct inode **root)
{
	struct inode *dir = synth_dir_create(sb, 0555, &root_ops, sb, NULL);
	int err;

	err = synth_dir_add(dir, "self",
			    synth_symlink_create(sb, self_link, NULL, NULL));
	if (!err)
		err = synth_dir_add(
		    dir, "thread-self",
		    synth_symlink_create(sb, thread_self_link, NULL, NULL));
	if (!err)
		err = synth_dir_add(
		    dir, "mounts",
		    synth_symlink_create(sb, mounts_link, NULL, NULL));
	if (!err)
		err = procfs_add_system_files(sb, dir);
	if (err) {
		inode_put(dir);
		return err;
	}
	*root = dir;
	return 0;
}
