/* Files of /proc/PID that show a process's memory: cmdline and environ
 * (read from the guest's stack), auxv and maps. A process without an
 * address space (a zombie) shows them empty, as in Linux. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "sentry/fs/procfs.h"
#include "sentry/mm.h"
#include "sentry/task.h"

/* Larger argument or environment areas are cut here. Linux limits
 * execve's strings to a quarter of the stack limit (2 MiB by default),
 * so only a process with a stack limit above 64 MiB can exceed this. */
#define AREA_MAX (16UL << 20)

static struct mm *target_mm(const struct procfs_pid *id)
{
	struct task *t = procfs_get_task(id);
	struct mm *mm;

	if (!t)
		return NULL;
	mm = procfs_task_mm(t);
	task_put(t);
	return mm;
}

/* Copy [start, end) of the guest's memory; an unreadable area gives an
 * empty file. */
static int show_area(struct mm *mm, uint64_t start, uint64_t end, char **buf,
		     size_t *len)
{
	size_t size = end > start ? MIN(end - start, AREA_MAX) : 0;

	*buf = NULL;
	*len = 0;
	if (!size)
		return 0;
	*buf = xmalloc(size);
	if (access_remote(mm, start, *buf, size, false) < 0) {
		free(*buf);
		*buf = NULL;
		return 0;
	}
	*len = size;
	return 0;
}

/* Show the argument (or environment) strings of id's process.
 * NOTE: Linux follows a process that overwrote the NUL at the end of its
 * arguments (setproctitle) into the environment area. This shows only
 * the original argument area. */
static int show_strings(const struct procfs_pid *id, bool env_area, char **buf,
			size_t *len)
{
	struct mm *mm = target_mm(id);
	uint64_t start, end;
	int err;

	*buf = NULL;
	*len = 0;
	if (!mm)
		return 0;
	pthread_mutex_lock(&mm->lock);
	start = env_area ? mm->env_start : mm->arg_start;
	end = env_area ? mm->env_end : mm->arg_end;
	pthread_mutex_unlock(&mm->lock);
	err = show_area(mm, start, end, buf, len);
	mm_put(mm);
	return err;
}

static int cmdline_show(struct task *t, void *priv, char **buf, size_t *len)
{
	return show_strings(priv, false, buf, len);
}

const struct synth_file_ops procfs_cmdline_ops = {
    .show = cmdline_show,
};

static int environ_show(struct task *t, void *priv, char **buf, size_t *len)
{
	return show_strings(priv, true, buf, len);
}

const struct synth_file_ops procfs_environ_ops = {
    .show = environ_show,
};

/* The auxiliary vector as the loader built it: pairs of 64-bit words. */
static int auxv_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct mm *mm = target_mm(priv);
	size_t size;

	*buf = NULL;
	*len = 0;
	if (!mm)
		return 0;
	pthread_mutex_lock(&mm->lock);
	size = MIN((size_t)mm->auxv_len, ARRAY_SIZE(mm->auxv)) *
	       sizeof(mm->auxv[0]);
	*buf = xmalloc(size + 1);
	memcpy(*buf, mm->auxv, size);
	pthread_mutex_unlock(&mm->lock);
	*len = size;
	mm_put(mm);
	return 0;
}

const struct synth_file_ops procfs_auxv_ops = {
    .show = auxv_show,
};

static int maps_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct mm *mm = target_mm(priv);

	*buf = NULL;
	*len = 0;
	if (!mm)
		return 0;
	*buf = mm_format_maps(mm);
	*len = strlen(*buf);
	mm_put(mm);
	return 0;
}

const struct synth_file_ops procfs_maps_ops = {
    .show = maps_show,
};
