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
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/file.h"
#include "sentry/fs/procfs.h"
#include "sentry/fs/vfs_internal.h"
#include "sentry/io.h"
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
	else if (S_ISCHR(st.st_mode) && major(st.st_rdev) >= 136 &&
		 major(st.st_rdev) <= 143)
		/* The host terminal, which /dev/pts shows under this name. */
		return snprintf(buf, size, "/dev/pts/%u",
				(major(st.st_rdev) - 136) * 256 +
				    minor(st.st_rdev));
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

/* ---- Walking through fd/N of a file without a path ----
 *
 * stat(2) of /dev/stdin on a pipe, or diff's stat of /dev/fd/63, walks
 * through fd/N and needs a path to land on. Like Linux's pipefs, such
 * paths are on an internal mount that no mount table lists. Each walk
 * gets a fresh unhashed dentry there whose inode holds a reference to the
 * file and stats it. open(2) does not come here (see link_open_link). */

static struct mount *pathless_mnt;
static pthread_once_t pathless_mnt_once = PTHREAD_ONCE_INIT;

static const struct inode_operations pathless_root_iops;

static void pathless_mnt_init(void)
{
	struct super_block *sb = sb_alloc("anon_inodefs", "anon_inodefs", NULL);
	struct dentry *root = d_alloc(NULL, "/", 1);
	struct mount *m = xcalloc(1, sizeof(*m));

	root->d_sb = sb;
	d_instantiate(
	    root, inode_alloc(sb, S_IFDIR | 0500, &pathless_root_iops, NULL));
	sb->s_root = root;
	m->refcount = 1;
	m->mnt_parent = m;
	m->mnt_mountpoint = dget(root);
	m->mnt_root = dget(root);
	m->mnt_sb = sb;
	m->mnt_opts = "";
	pathless_mnt = m;
}

static int pathless_getattr(struct inode *inode, struct stat *st)
{
	return vfs_fstat(inode->private, st);
}

static void pathless_evict(struct inode *inode)
{
	file_put(inode->private);
}

/* NOTE: an O_PATH file opened at such a path keeps the file open, so a
 * pipe end stays open (and its reader sees no EOF) while it exists. On
 * Linux an O_PATH file does not hold the pipe open. */
static const struct inode_operations pathless_iops = {
    .getattr = pathless_getattr,
    .evict = pathless_evict,
};

/* Store in *out a new path whose inode returns f's fstat. */
static int pathless_target(struct file *f, struct path *out)
{
	char name[64];
	struct inode *inode;
	struct dentry *d;
	struct stat st;
	int err = vfs_fstat(f, &st);

	if (err < 0)
		return err;
	err = procfs_file_name(f, name, sizeof(name));
	if (err < 0)
		return err;
	pthread_once(&pathless_mnt_once, pathless_mnt_init);

	/* The type and owner let the VFS check access(2) and reject
	 * execve(2) or chdir(2) as it would for the file itself. */
	inode =
	    inode_alloc(pathless_mnt->mnt_sb, st.st_mode, &pathless_iops, NULL);
	inode->uid = st.st_uid;
	inode->gid = st.st_gid;
	file_get(f);
	inode->private = f;

	d = d_alloc(pathless_mnt->mnt_root, name, strnlen(name, sizeof(name)));
	d_instantiate(d, inode);
	out->mnt = mntget(pathless_mnt);
	out->dentry = d;
	return 0;
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
		if (!f) {
			err = -ENOENT;
		} else if (!f->f_path.dentry) {
			err = pathless_target(f, out);
		} else {
			*out = f->f_path;
			path_get(out);
		}
		file_put(f);
	}
	task_put(target);
	return err;
}

/* A host regular file (stdio redirected to a file) reopened through
 * fd/N. On Linux the new open file description has its own offset, but a
 * duplicated host FD shares the caller's, so these operations keep the
 * offset in f_pos and use pread and pwrite. The I/O paths lock
 * f_pos_lock only for files with an inode, so these take it themselves
 * when they move f_pos. */

static void lock_pos(struct file *f, const int64_t *pos)
{
	if (pos == &f->f_pos)
		pthread_mutex_lock(&f->f_pos_lock);
}

static void unlock_pos(struct file *f, const int64_t *pos)
{
	if (pos == &f->f_pos)
		pthread_mutex_unlock(&f->f_pos_lock);
}

static long reopened_read(struct task *t, struct file *f, void *buf, size_t len,
			  int64_t *pos)
{
	ssize_t n;

	lock_pos(f, pos);
	n = pread(f->host_fd, buf, len, *pos);
	if (n > 0)
		*pos += n;
	unlock_pos(f, pos);
	return n < 0 ? neg_errno() : n;
}

/* Write at *pos, or append when the guest opened with O_APPEND or the
 * caller's host FD has it (">>"), because the host's pwrite then
 * appends anyway. */
static long reopened_write(struct task *t, struct file *f, const void *buf,
			   size_t len, int64_t *pos)
{
	int host_flags = fcntl(f->host_fd, F_GETFL);
	struct stat st;
	bool append;
	int64_t off;
	ssize_t n;

	pthread_mutex_lock(&f->f_lock);
	append = f->f_flags & O_APPEND;
	pthread_mutex_unlock(&f->f_lock);
	if (host_flags >= 0 && (host_flags & O_APPEND))
		append = true;

	lock_pos(f, pos);
	off = *pos;
	if (append && fstat(f->host_fd, &st) == 0)
		off = st.st_size;
	n = pwrite(f->host_fd, buf, len, off);
	if (n >= 0)
		*pos = off + n;
	unlock_pos(f, pos);
	return n < 0 ? neg_errno() : n;
}

/* Linux's generic_file_llseek for a file system without holes. */
static int64_t reopened_llseek(struct file *f, int64_t off, int whence)
{
	struct stat st;
	int64_t base, pos;

	if (whence != SEEK_SET && whence != SEEK_CUR &&
	    fstat(f->host_fd, &st) < 0)
		return neg_errno();

	pthread_mutex_lock(&f->f_pos_lock);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_pos;
		break;
	case SEEK_END:
		base = st.st_size;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		/* The whole file is data, and the only hole is at its end. */
		if ((uint64_t)off >= (uint64_t)st.st_size) {
			pthread_mutex_unlock(&f->f_pos_lock);
			return -ENXIO;
		}
		base = 0;
		if (whence == SEEK_HOLE)
			off = st.st_size;
		break;
	default:
		pthread_mutex_unlock(&f->f_pos_lock);
		return -EINVAL;
	}
	if (__builtin_add_overflow(base, off, &pos) || pos < 0) {
		pthread_mutex_unlock(&f->f_pos_lock);
		return -EINVAL;
	}
	f->f_pos = pos;
	pthread_mutex_unlock(&f->f_pos_lock);
	return pos;
}

static int reopened_stat(struct file *f, struct stat *st)
{
	return fstat(f->host_fd, st) < 0 ? neg_errno() : 0;
}

static int reopened_fsync(struct file *f, bool datasync)
{
	int r = datasync ? fdatasync(f->host_fd) : fsync(f->host_fd);

	return r < 0 ? neg_errno() : 0;
}

static int reopened_truncate(struct file *f, int64_t len)
{
	return ftruncate(f->host_fd, len) < 0 ? neg_errno() : 0;
}

static const struct file_operations reopened_fops = {
    .read = reopened_read,
    .write = reopened_write,
    .llseek = reopened_llseek,
    .stat = reopened_stat,
    .fsync = reopened_fsync,
    .truncate = reopened_truncate,
};

static struct file *reopened_file_create(int host_fd, unsigned flags)
{
	return file_alloc(&reopened_fops, flags, host_fd, NULL);
}

/* Flags that act only during open(2). As in do_open_path, the new file
 * keeps the others. */
#define OPEN_ONLY_FLAGS (O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)

/* Does a host FD with access mode have permit an open with access mode
 * want? */
static bool access_covers(int have, int want)
{
	have &= O_ACCMODE;
	want &= O_ACCMODE;
	return have == O_RDWR || have == want;
}

/* Open a new description of a host file (the sandbox's inherited stdio)
 * on a duplicate of its host FD. The sentry cannot open host paths, so
 * the new description can only have the access the caller's FD has. */
static int reopen_host_file(struct file *f, int flags, struct file **out)
{
	int host_flags = fcntl(f->host_fd, F_GETFL);
	unsigned file_flags = flags & ~OPEN_ONLY_FLAGS;
	_cleanup_close_ int fd = -1;
	struct stat st;

	if (host_flags < 0 || fstat(f->host_fd, &st) < 0)
		return neg_errno();
	if (S_ISSOCK(st.st_mode))
		return -ENXIO;
	if (!access_covers(host_flags, flags)) {
		/* NOTE: Linux opens the other end of a pipe, or checks the
		 * inode's permissions for a terminal or file, and would
		 * succeed here. */
		return S_ISFIFO(st.st_mode) ? -ENXIO : -EACCES;
	}
	fd = fcntl(f->host_fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return neg_errno();

	if (!S_ISREG(st.st_mode)) {
		*out = hostfile_create(take_fd(&fd), file_flags);
		return *out ? 0 : -EBADF;
	}
	/* O_TRUNC needs write access, even with O_RDONLY, as on Linux. */
	if (flags & O_TRUNC) {
		if (!access_covers(host_flags, O_WRONLY))
			return -EACCES;
		if (ftruncate(fd, 0) < 0)
			return neg_errno();
	}
	*out = reopened_file_create(take_fd(&fd), file_flags);
	return 0;
}

/* Open fd/N of a file that has no sandbox path. */
static int reopen_pathless(struct file *f, int flags, struct file **out)
{
	int err;

	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if (file_is_hostfile(f))
		return reopen_host_file(f, flags, out);
	/* NOTE: Linux opens the other end of a pipe too, but a pipe end
	 * here has no host FD of the other one, so that fails with ENXIO. */
	err = pipe_reopen(f, flags & ~OPEN_ONLY_FLAGS, out);
	/* Linux cannot open sockets and anonymous inodes (eventfd, epoll
	 * and the like) through fd/N either. */
	return err == -ENODEV ? -ENXIO : err;
}

/* Linux opens the file behind fd/N anew: a new open file description
 * with the new flags. A file with a sandbox path is left to get_link, so
 * the VFS reopens the path with the usual permission checks. */
static int link_open_link(struct task *t, struct inode *inode, int flags,
			  struct file **out)
{
	const struct procfs_link *l = inode->private;
	struct task *target;
	struct file *f;
	int err;

	if (l->kind != PROCFS_LINK_FD)
		return -EOPNOTSUPP;
	target = procfs_get_task(&l->id);
	if (!target)
		return -ENOENT;
	f = task_fd_file(target, l->id.fd);
	task_put(target);
	if (!f)
		return -ENOENT;
	if (!f->f_path.dentry)
		err = reopen_pathless(f, flags, out);
	else if (f->f_path.mnt == pathless_mnt)
		/* An O_PATH file opened through fd/N of a pathless file. */
		err = reopen_pathless(f->f_inode->private, flags, out);
	else
		err = -EOPNOTSUPP;
	file_put(f);
	return err;
}

static void link_evict(struct inode *inode)
{
	free(inode->private);
}

static const struct inode_operations procfs_link_iops = {
    .readlink = link_readlink,
    .get_link = link_get_link,
    .open_link = link_open_link,
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
