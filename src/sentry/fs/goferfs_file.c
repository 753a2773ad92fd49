/* goferfs file I/O on the host FD the gofer donated, and directory
 * listings through gofer_getdents. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fs/goferfs.h"

static long goferfs_read(struct task *t, struct file *f, void *buf, size_t len,
			 int64_t *pos)
{
	ssize_t n = pread(f->host_fd, buf, len, *pos);

	if (n < 0)
		return neg_errno();
	*pos += n;
	return n;
}

/* NOTE: an O_APPEND write finds the end with fstat, so it is not atomic
 * against a host process writing the same file. */
static long goferfs_write(struct task *t, struct file *f, const void *buf,
			  size_t len, int64_t *pos)
{
	struct inode *inode = f->f_inode;

	pthread_mutex_lock(&inode->lock);
	if (f->f_flags & O_APPEND) {
		struct stat st;
		if (fstat(f->host_fd, &st) < 0) {
			int err = neg_errno();
			pthread_mutex_unlock(&inode->lock);
			return err;
		}
		*pos = st.st_size;
	}
	ssize_t n = pwrite(f->host_fd, buf, len, *pos);
	int err = n < 0 ? neg_errno() : 0;
	pthread_mutex_unlock(&inode->lock);
	if (n < 0)
		return err;
	*pos += n;
	return n;
}

static int64_t goferfs_llseek(struct file *f, int64_t off, int whence)
{
	struct stat st;
	int64_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_pos;
		break;
	case SEEK_END:
		if (fstat(f->host_fd, &st) < 0)
			return neg_errno();
		base = st.st_size;
		break;
	case SEEK_DATA:
	case SEEK_HOLE: {
		/* The host FD belongs to this file alone. */
		off_t r = lseek(f->host_fd, off, whence);
		if (r < 0)
			return neg_errno();
		return f->f_pos = r;
	}
	default:
		return -EINVAL;
	}
	int64_t pos;
	if (__builtin_add_overflow(base, off, &pos))
		return -EOVERFLOW;
	if (pos < 0)
		return -EINVAL;
	return f->f_pos = pos;
}

static int goferfs_fsync(struct file *f, bool datasync)
{
	int r = datasync ? fdatasync(f->host_fd) : fsync(f->host_fd);

	return r < 0 ? neg_errno() : 0;
}

static int goferfs_truncate(struct file *f, int64_t len)
{
	return ftruncate(f->host_fd, len) < 0 ? neg_errno() : 0;
}

static int goferfs_fallocate(struct file *f, int mode, int64_t off, int64_t len)
{
	return fallocate(f->host_fd, mode, off, len) < 0 ? neg_errno() : 0;
}

static int goferfs_mmap_fd(struct file *f, int *hostfd, bool shared_write)
{
	*hostfd = f->host_fd;
	return 0;
}

const struct file_operations goferfs_file_fops = {
    .read = goferfs_read,
    .write = goferfs_write,
    .llseek = goferfs_llseek,
    .fsync = goferfs_fsync,
    .truncate = goferfs_truncate,
    .fallocate = goferfs_fallocate,
    .mmap_fd = goferfs_mmap_fd,
};

/* A snapshot of the host directory, taken when a listing starts at
 * offset 0, so offsets (indexes into it) stay valid during the listing. */
struct gofer_dir_snapshot {
	struct gofer_dirent *ents;
	int count;
};

static void free_snapshot(struct gofer_dir_snapshot *snap)
{
	if (!snap)
		return;
	free(snap->ents);
	free(snap);
}

static int take_snapshot(struct inode *dir, struct gofer_dir_snapshot **out)
{
	enum { BATCH = 128 };
	struct gofer_dir_snapshot *snap = xcalloc(1, sizeof(*snap));
	uint64_t off = 0;
	int cap = 0;

	for (;;) {
		if (snap->count + BATCH > cap) {
			cap = cap ? cap * 2 : BATCH;
			snap->ents =
			    xrealloc(snap->ents, cap * sizeof(*snap->ents));
		}
		int n = gofer_getdents(goferfs_conn(dir), goferfs_fid(dir), off,
				       snap->ents + snap->count, BATCH);
		if (n < 0) {
			free_snapshot(snap);
			return n;
		}
		if (n == 0)
			break;
		snap->count += n;
		off = snap->ents[snap->count - 1].next_offset;
	}
	*out = snap;
	return 0;
}

static int goferfs_iterate(struct task *t, struct file *f, filldir_t fill,
			   void *ctx)
{
	struct gofer_dir_snapshot *snap = f->private_data;
	struct inode *dir = f->f_inode;

	if (f->f_pos == 0 || !snap) {
		struct gofer_dir_snapshot *fresh;
		int err = take_snapshot(dir, &fresh);
		if (err < 0)
			return err;
		free_snapshot(snap);
		f->private_data = snap = fresh;
	}
	if (f->f_pos == 0) {
		if (fill(ctx, ".", 1, 1, dir->ino, DT_DIR))
			return 0;
		f->f_pos = 1;
	}
	if (f->f_pos == 1) {
		pthread_mutex_lock(&namespace_lock);
		struct inode *parent = f->f_path.dentry->d_parent->d_inode;
		uint64_t ino = parent->ino;
		pthread_mutex_unlock(&namespace_lock);
		if (fill(ctx, "..", 2, 2, ino, DT_DIR))
			return 0;
		f->f_pos = 2;
	}
	while (f->f_pos - 2 < snap->count) {
		struct gofer_dirent *e = &snap->ents[f->f_pos - 2];
		if (fill(ctx, e->name, strlen(e->name), f->f_pos + 1, e->ino,
			 e->type))
			return 0;
		f->f_pos++;
	}
	return 0;
}

static int64_t goferfs_dir_llseek(struct file *f, int64_t off, int whence)
{
	int64_t pos;

	if (whence == SEEK_SET)
		pos = off;
	else if (whence == SEEK_CUR)
		pos = f->f_pos + off;
	else
		return -EINVAL;
	if (pos < 0)
		return -EINVAL;
	return f->f_pos = pos;
}

static void goferfs_dir_release(struct file *f)
{
	free_snapshot(f->private_data);
}

const struct file_operations goferfs_dir_fops = {
    .iterate = goferfs_iterate,
    .llseek = goferfs_dir_llseek,
    .release = goferfs_dir_release,
};
