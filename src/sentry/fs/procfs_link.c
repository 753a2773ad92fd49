/* The magic links of /proc/PID: exe, cwd, root and fd/N.
 *
 * Unlike a synthetic symlink, a walk through one of them does not parse
 * its text: get_link hands the VFS the target path itself, so
 * /proc/self/cwd works even where the text would not resolve.
 *
 * TODO: Linux checks ptrace access (PTRACE_MODE_READ) before following or
 * reading these links; here the inode's owner and mode are the only
 * checks.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/file.h"
#include "sentry/fs/procfs.h"
#include "sentry/fs/vfs_internal.h"
#include "sentry/mm.h"
#include "sentry/task.h"

struct procfs_link {
	struct procfs_pid id;
	enum procfs_link_kind kind;
};

/* A new reference to the executable of the task's address space. */
static struct file *task_exe_file(struct task *t)
{
	struct mm *mm = procfs_task_mm(t);
	struct file *f = NULL;

	if (!mm)
		return NULL;
	pthread_mutex_lock(&mm->lock);
	f = mm->exe_file;
	if (f)
		file_get(f);
	pthread_mutex_unlock(&mm->lock);
	mm_put(mm);
	return f;
}

static struct file *task_fd_file(struct task *t, int fd)
{
	struct fdtable *files = procfs_task_files(t);
	struct file *f;

	if (!files)
		return NULL;
	f = fd_get(files, fd);
	fdtable_put(files);
	return f;
}

static int task_fs_path(struct task *t, enum procfs_link_kind kind,
			struct path *out)
{
	struct fs_struct *fs = procfs_task_fs(t);

	if (!fs)
		return -ENOENT;
	if (kind == PROCFS_LINK_CWD)
		fs_struct_get_pwd(fs, out);
	else
		fs_struct_get_root(fs, out);
	fs_struct_put(fs);
	return 0;
}

/* The file behind an exe or fd/N link, with a reference. */
static struct file *link_file(struct task *target, const struct procfs_link *l)
{
	if (l->kind == PROCFS_LINK_EXE)
		return task_exe_file(target);
	return task_fd_file(target, l->id.fd);
}

/* A file without a sandbox path is a pipe, a socket, a file the sandbox
 * inherited from the host (its stdio), or an anonymous inode. */
int procfs_file_name(struct file *f, char *buf, size_t size)
{
	struct stat st;
	const char *kind;

	if (f->f_path.dentry)
		return file_path(f, buf, size);
	if (vfs_fstat(f, &st) < 0)
		/* NOTE: Linux names the kind ("anon_inode:[eventfd]"), but
		 * files carry no such name here yet. */
		return snprintf(buf, size, "anon_inode:[unknown]");
	if (S_ISFIFO(st.st_mode))
		kind = "pipe";
	else if (S_ISSOCK(st.st_mode))
		kind = "socket";
	else
		/* The host path is neither known nor meant to be shown. */
		kind = "host";
	return snprintf(buf, size, "%s:[%llu]", kind,
			(unsigned long long)st.st_ino);
}

/* The text of a cwd or root link, relative to the reader's root. */
static int fs_link_name(struct task *reader, struct task *target,
			enum procfs_link_kind kind, char *buf, size_t size)
{
	struct path target_path, reader_root;
	int len;

	len = task_fs_path(target, kind, &target_path);
	if (len < 0)
		return len;
	if (!reader || !reader->fs) {
		path_put(&target_path);
		return -ENOENT;
	}
	fs_struct_get_root(reader->fs, &reader_root);
	len = d_path(&target_path, &reader_root, buf, size);
	path_put(&reader_root);
	path_put(&target_path);
	return len;
}

static int link_readlink(struct task *t, struct inode *inode, char *buf,
			 size_t size)
{
	const struct procfs_link *l = inode->private;
	struct task *target = procfs_get_task(&l->id);
	char text[PATH_MAX];
	struct file *f;
	int len;

	if (!target)
		return -ENOENT;
	if (l->kind == PROCFS_LINK_CWD || l->kind == PROCFS_LINK_ROOT) {
		len = fs_link_name(t, target, l->kind, text, sizeof(text));
	} else {
		f = link_file(target, l);
		len = f ? procfs_file_name(f, text, sizeof(text)) : -ENOENT;
		file_put(f);
	}
	task_put(target);
	if (len < 0)
		return len;
	if ((size_t)len >= sizeof(text))
		return -ENAMETOOLONG;
	return procfs_copy_link(buf, size, text);
}

static int link_get_link(struct task *t, struct inode *inode, struct path *out)
{
	const struct procfs_link *l = inode->private;
	struct task *target = procfs_get_task(&l->id);
	struct file *f;
	int err = 0;

	if (!target)
		return -ENOENT;
	if (l->kind == PROCFS_LINK_CWD || l->kind == PROCFS_LINK_ROOT) {
		err = task_fs_path(target, l->kind, out);
	} else {
		f = link_file(target, l);
		/* TODO: Linux reopens a pipe or socket through fd/N, so
		 * /dev/stdin works on a pipe. A file without a path cannot be
		 * reached by a path walk here. */
		if (!f || !f->f_path.dentry) {
			err = -ENOENT;
		} else {
			*out = f->f_path;
			path_get(out);
		}
		file_put(f);
	}
	task_put(target);
	return err;
}

static void link_evict(struct inode *inode)
{
	free(inode->private);
}

static const struct inode_operations procfs_link_iops = {
    .readlink = link_readlink,
    .get_link = link_get_link,
    .evict = link_evict,
};

struct inode *procfs_link_create(struct super_block *sb,
				 const struct procfs_pid *id,
				 enum procfs_link_kind kind)
{
	struct inode *inode =
	    inode_alloc(sb, S_IFLNK | 0777, &procfs_link_iops, NULL);
	struct procfs_link *l = xmalloc(sizeof(*l));

	l->id = *id;
	l->kind = kind;
	inode->private = l;
	return inode;
}
