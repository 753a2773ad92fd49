/* /proc/PID/fd (a magic link per open FD) and /proc/PID/fdinfo (a file
 * per open FD with its position and flags). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/file.h"
#include "sentry/fs/procfs.h"
#include "sentry/task.h"

struct fd_dir_priv {
	struct procfs_pid id;
	struct super_block *sb;
	bool fdinfo;
};

static struct fdtable *target_files(const struct procfs_pid *id)
{
	struct task *t = procfs_get_task(id);
	struct fdtable *files;

	if (!t)
		return NULL;
	files = procfs_task_files(t);
	task_put(t);
	return files;
}

/* The file at fd with a reference and its close-on-exec bit, or NULL. */
static struct file *target_fd(const struct procfs_pid *id, int fd,
			      bool *cloexec)
{
	struct fdtable *files = target_files(id);
	struct file *f;

	if (!files)
		return NULL;
	f = fd_get(files, fd);
	if (f && cloexec)
		*cloexec = fd_get_cloexec(files, fd) > 0;
	fdtable_put(files);
	return f;
}

/* Linux shows O_CLOEXEC in flags although it is a property of the FD.
 * Files without a mount (pipes, host stdio) show mnt_id 0. */
static int fdinfo_show(struct task *t, void *priv, char **buf, size_t *len)
{
	const struct procfs_pid *id = priv;
	struct procfs_text text = {0};
	bool cloexec = false;
	struct file *f = target_fd(id, id->fd, &cloexec);
	struct stat st;
	unsigned flags;
	int64_t pos;
	int mnt_id;

	if (!f)
		return -ENOENT;
	pthread_mutex_lock(&f->f_lock);
	flags = f->f_flags;
	pthread_mutex_unlock(&f->f_lock);
	pthread_mutex_lock(&f->f_pos_lock);
	pos = f->f_pos;
	pthread_mutex_unlock(&f->f_pos_lock);
	mnt_id = f->f_path.mnt ? procfs_mount_id(f->f_path.mnt) : 0;
	if (vfs_fstat(f, &st) < 0)
		st.st_ino = 0;
	file_put(f);

	if (cloexec)
		flags |= O_CLOEXEC;
	procfs_printf(&text, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\n",
		      (long long)pos, flags, mnt_id);
	procfs_printf(&text, "ino:\t%llu\n", (unsigned long long)st.st_ino);
	return procfs_text_finish(&text, buf, len);
}

static const struct synth_file_ops fdinfo_ops = {
    .show = fdinfo_show,
};

/* Linux gives fd/N the owner's read and write bits of the file's access
 * mode, plus x: "lr-x------" for a file open read-only. */
static void set_link_mode(struct inode *link, struct file *f)
{
	mode_t mode = S_IXUSR;

	if (file_readable(f))
		mode |= S_IRUSR;
	if (file_writable(f))
		mode |= S_IWUSR;
	pthread_mutex_lock(&link->lock);
	link->mode = S_IFLNK | mode;
	pthread_mutex_unlock(&link->lock);
}

static int fd_dir_lookup(struct task *t, void *priv, const char *name,
			 struct inode **out)
{
	const struct fd_dir_priv *dir = priv;
	int fd = procfs_parse_number(name);
	struct file *f;
	struct procfs_pid id = dir->id;

	if (fd < 0)
		return -ENOENT;
	f = target_fd(&dir->id, fd, NULL);
	if (!f)
		return -ENOENT;
	id.fd = fd;
	if (dir->fdinfo) {
		*out = synth_file_create(dir->sb, 0444, &fdinfo_ops,
					 procfs_pid_dup(&id, fd), free);
	} else {
		*out = procfs_link_create(dir->sb, &id, PROCFS_LINK_FD);
		set_link_mode(*out, f);
	}
	file_put(f);
	procfs_set_owner(*out, &id);
	return 0;
}

static int fd_dir_iterate(struct task *t, void *priv, int64_t pos,
			  synth_emit_t emit, void *ctx)
{
	const struct fd_dir_priv *dir = priv;
	struct fdtable *files = target_files(&dir->id);
	int emitted = 0;

	if (!files)
		return 0;
	/* NOTE: pos counts the open FDs already listed, so an FD closed
	 * between two getdents calls may make the next call skip one. */
	pthread_mutex_lock(&files->lock);
	int64_t index = 0;
	for (int fd = 0; fd < files->size; fd++) {
		char name[16];

		if (!files->files[fd] || index++ < pos)
			continue;
		snprintf(name, sizeof(name), "%d", fd);
		if (emit(ctx, name, 0x40000000ULL + fd,
			 dir->fdinfo ? DT_REG : DT_LNK))
			break;
		emitted++;
	}
	pthread_mutex_unlock(&files->lock);
	fdtable_put(files);
	return emitted;
}

static const struct synth_dir_ops fd_dir_ops = {
    .lookup = fd_dir_lookup,
    .iterate = fd_dir_iterate,
};

struct inode *procfs_fd_dir_create(struct super_block *sb,
				   const struct procfs_pid *id, bool fdinfo)
{
	struct fd_dir_priv *priv = xmalloc(sizeof(*priv));

	priv->id = *id;
	priv->sb = sb;
	priv->fdinfo = fdinfo;
	/* As in Linux, fd/ is private to the owner and fdinfo/ is not. */
	return synth_dir_create(sb, fdinfo ? 0555 : 0500, &fd_dir_ops, priv,
				free);
}
