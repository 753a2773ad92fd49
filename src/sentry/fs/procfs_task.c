/* procfs access to other tasks' state, and the text buffer every
 * generated file uses.
 *
 * NOTE: taking a reference to t->mm, t->files or t->fs under
 * tasklist_lock is only safe if the core also replaces those pointers
 * under tasklist_lock (exec_commit and task_exit do not yet); until then
 * a reader racing with execve or exit may see a freed object.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/fs/procfs.h"
#include "sentry/mm.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

void procfs_printf(struct procfs_text *text, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = text->cap - text->len;

		va_start(ap, fmt);
		n = vsnprintf(text->buf ? text->buf + text->len : NULL, room,
			      fmt, ap);
		va_end(ap);
		BUG_ON(n < 0);
		if ((size_t)n < room) {
			text->len += n;
			return;
		}
		text->cap = MAX(text->cap * 2, text->len + n + 1);
		text->cap = MAX(text->cap, (size_t)256);
		text->buf = xrealloc(text->buf, text->cap);
	}
}

int procfs_text_finish(struct procfs_text *text, char **buf, size_t *len)
{
	*buf = text->buf;
	*len = text->len;
	text->buf = NULL;
	return 0;
}

/* A thread of tg that still has its resources (tasklist_lock held). */
static struct task *live_thread(struct thread_group *tg)
{
	for (struct task *th = tg->leader; th; th = th->next_thread) {
		if (th->state == TASK_RUNNING && th->mm)
			return th;
	}
	return NULL;
}

struct task *procfs_get_task(const struct procfs_pid *id)
{
	struct thread_group *tg;
	struct task *t = NULL;

	pthread_mutex_lock(&tasklist_lock);
	tg = pid_thread_group(id->tgid);
	if (tg && id->tid) {
		t = pid_task(id->tid);
		if (t && t->tg != tg)
			t = NULL;
	} else if (tg) {
		/* A zombie leader still names the group (status, stat). */
		t = live_thread(tg);
		if (!t)
			t = tg->leader;
	}
	if (t)
		t->refcount++;
	pthread_mutex_unlock(&tasklist_lock);
	return t;
}

struct mm *procfs_task_mm(struct task *t)
{
	struct mm *mm;

	pthread_mutex_lock(&tasklist_lock);
	mm = t->mm;
	if (mm)
		mm_get(mm);
	pthread_mutex_unlock(&tasklist_lock);
	return mm;
}

struct fdtable *procfs_task_files(struct task *t)
{
	struct fdtable *files;

	pthread_mutex_lock(&tasklist_lock);
	files = t->files;
	if (files)
		__atomic_add_fetch(&files->users, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&tasklist_lock);
	return files;
}

struct fs_struct *procfs_task_fs(struct task *t)
{
	struct fs_struct *fs;

	pthread_mutex_lock(&tasklist_lock);
	fs = t->fs;
	if (fs)
		__atomic_add_fetch(&fs->users, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&tasklist_lock);
	return fs;
}

struct procfs_pid *procfs_pid_dup(const struct procfs_pid *id, int fd)
{
	struct procfs_pid *copy = xmalloc(sizeof(*copy));

	*copy = *id;
	copy->fd = fd;
	return copy;
}

int procfs_copy_link(char *buf, size_t size, const char *text)
{
	size_t len = MIN(strlen(text), size);

	memcpy(buf, text, len);
	return len;
}

int procfs_parse_number(const char *name)
{
	long value = 0;

	/* Linux accepts no sign, no leading zero and nothing after. */
	if (name[0] < '1' || name[0] > '9')
		return name[0] == '0' && name[1] == '\0' ? 0 : -1;
	for (const char *p = name; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		value = value * 10 + (*p - '0');
		if (value > INT_MAX)
			return -1;
	}
	return value;
}

void procfs_set_owner(struct inode *inode, const struct procfs_pid *id)
{
	struct task *t = procfs_get_task(id);

	if (!t)
		return;
	pthread_mutex_lock(&inode->lock);
	inode->uid = t->cred.euid;
	inode->gid = t->cred.egid;
	pthread_mutex_unlock(&inode->lock);
	task_put(t);
}
