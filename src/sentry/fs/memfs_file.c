/* memfs file I/O: regular files through their memfd (or, before copy-up,
 * the lower layer's read-only host FD), and directory listings. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "sentry/fs/memfs.h"

/* Open the lower file read-only if not done yet (inode->lock held). */
static int open_lower_locked(struct inode *inode)
{
	struct memfs_inode *mi = inode->private;

	if (mi->lower_fd >= 0)
		return 0;
	if (!mi->has_lower)
		return -EIO;
	return gofer_open(memfs_gofer(inode->sb), mi->lower_fid, O_RDONLY,
			  &mi->lower_fd);
}

/* The host FD holding the file's current content; stays open as long as
 * the inode. */
static int backing_fd(struct inode *inode)
{
	struct memfs_inode *mi = inode->private;
	int fd;

	pthread_mutex_lock(&inode->lock);
	fd = mi->memfd;
	if (fd < 0) {
		int err = open_lower_locked(inode);
		fd = err < 0 ? err : mi->lower_fd;
	}
	pthread_mutex_unlock(&inode->lock);
	return fd;
}

static int copy_data(int from, int to)
{
	enum { CHUNK = 1 << 16 };
	_cleanup_free_ char *buf = xmalloc(CHUNK);
	off_t off = 0;

	for (;;) {
		ssize_t n = pread(from, buf, CHUNK, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return neg_errno();
		if (n == 0)
			return 0;
		for (ssize_t done = 0; done < n;) {
			ssize_t w =
			    pwrite(to, buf + done, n - done, off + done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return neg_errno();
			done += w;
		}
		off += n;
	}
}

int memfs_copy_up(struct inode *inode)
{
	struct memfs_inode *mi = inode->private;
	int err = 0;

	pthread_mutex_lock(&inode->lock);
	if (mi->memfd >= 0)
		goto out;
	err = open_lower_locked(inode);
	if (err < 0)
		goto out;
	int fd = memfd_create("moat-memfs", MFD_CLOEXEC);
	if (fd < 0) {
		err = neg_errno();
		goto out;
	}
	struct stat lower_st;
	if (fstat(mi->lower_fd, &lower_st) < 0)
		err = neg_errno();
	else
		err = memfs_space_charge(mi, lower_st.st_size);
	if (err == 0)
		err = copy_data(mi->lower_fd, fd);
	if (err < 0) {
		log_warn("memfs: copy-up of inode %llu failed: %s",
			 (unsigned long long)inode->ino, strerror(-err));
		close(fd);
		goto out;
	}
	mi->memfd = fd;
out:
	pthread_mutex_unlock(&inode->lock);
	return err;
}

static long memfs_read(struct task *t, struct file *f, void *buf, size_t len,
		       int64_t *pos)
{
	int fd = backing_fd(f->f_inode);

	if (fd < 0)
		return fd;
	ssize_t n = pread(fd, buf, len, *pos);
	if (n < 0)
		return neg_errno();
	*pos += n;
	return n;
}

static long memfs_write(struct task *t, struct file *f, const void *buf,
			size_t len, int64_t *pos)
{
	struct inode *inode = f->f_inode;
	struct memfs_inode *mi = inode->private;
	int err = memfs_copy_up(inode);

	if (err < 0)
		return err;
	/* The lock makes an O_APPEND write atomic with finding the end. */
	pthread_mutex_lock(&inode->lock);
	if (f->f_flags & O_APPEND) {
		struct stat st;
		if (fstat(mi->memfd, &st) < 0) {
			err = neg_errno();
			pthread_mutex_unlock(&inode->lock);
			return err;
		}
		*pos = st.st_size;
	}
	/* Writes only grow a file: charge when the end passes what the
	 * file already holds. */
	if (ALIGN_UP((uint64_t)*pos + len, PAGE_SIZE) > mi->charged) {
		err = memfs_space_charge(mi, (uint64_t)*pos + len);
		if (err < 0) {
			pthread_mutex_unlock(&inode->lock);
			return err;
		}
	}
	ssize_t n = pwrite(mi->memfd, buf, len, *pos);
	if (n < 0)
		err = neg_errno();
	pthread_mutex_unlock(&inode->lock);
	if (n < 0)
		return err;
	*pos += n;
	inode_touch_mtime(inode);
	return n;
}

static int64_t memfs_llseek(struct file *f, int64_t off, int whence)
{
	struct inode *inode = f->f_inode;
	struct stat st;
	int64_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_pos;
		break;
	case SEEK_END: {
		int err = inode_getattr(inode, &st);
		if (err < 0)
			return err;
		base = st.st_size;
		break;
	}
	case SEEK_DATA:
	case SEEK_HOLE: {
		int fd = backing_fd(inode);
		if (fd < 0)
			return fd;
		/* The host offset of a shared FD is never used for I/O
		 * (only pread/pwrite), but lock so seeks don't interleave. */
		pthread_mutex_lock(&inode->lock);
		off_t r = lseek(fd, off, whence);
		int err = r < 0 ? neg_errno() : 0;
		pthread_mutex_unlock(&inode->lock);
		if (r < 0)
			return err;
		f->f_pos = r;
		return r;
	}
	default:
		return -EINVAL;
	}
	int64_t pos;
	if (__builtin_add_overflow(base, off, &pos))
		return -EOVERFLOW;
	if (pos < 0)
		return -EINVAL;
	f->f_pos = pos;
	return pos;
}

static int memfs_fsync(struct file *f, bool datasync)
{
	return 0;
}

static int memfs_truncate(struct file *f, int64_t len)
{
	struct iattr attr = {.ia_valid = ATTR_SIZE, .ia_size = len};

	return memfs_inode_setattr(f->f_inode, &attr);
}

static int memfs_fallocate(struct file *f, int mode, int64_t off, int64_t len)
{
	struct inode *inode = f->f_inode;
	struct memfs_inode *mi = inode->private;
	int err = memfs_copy_up(inode);

	if (err < 0)
		return err;
	pthread_mutex_lock(&inode->lock);
	/* Allocation beyond the size (FALLOC_FL_KEEP_SIZE) takes memory
	 * too; punching holes never adds. */
	if (!(mode & FALLOC_FL_PUNCH_HOLE) &&
	    ALIGN_UP((uint64_t)off + len, PAGE_SIZE) > mi->charged)
		err = memfs_space_charge(mi, (uint64_t)off + len);
	if (!err && fallocate(mi->memfd, mode, off, len) < 0)
		err = neg_errno();
	pthread_mutex_unlock(&inode->lock);
	if (err < 0)
		return err;
	inode_touch_mtime(inode);
	return 0;
}

static int memfs_mmap_fd(struct file *f, int *hostfd, bool shared_write)
{
	if (shared_write) {
		int err = memfs_copy_up(f->f_inode);
		if (err < 0)
			return err;
	}
	int fd = backing_fd(f->f_inode);
	if (fd < 0)
		return fd;
	*hostfd = fd;
	return 0;
}

const struct file_operations memfs_file_fops = {
    .read = memfs_read,
    .write = memfs_write,
    .llseek = memfs_llseek,
    .fsync = memfs_fsync,
    .truncate = memfs_truncate,
    .fallocate = memfs_fallocate,
    .mmap_fd = memfs_mmap_fd,
};

struct dir_emit {
	struct file *file;
	filldir_t fill;
	void *ctx;
};

static int emit_child(struct dentry *child, void *ctx)
{
	struct dir_emit *e = ctx;
	uint64_t ino;
	unsigned type;

	if (child->d_inode) {
		ino = child->d_inode->ino;
		type = (child->d_inode->mode & S_IFMT) >> 12;
	} else if (child->d_flags & DCACHE_LOWER_STUB) {
		ino = child->d_stub_ino;
		type = child->d_stub_type;
	} else {
		return 0; /* a whiteout or a cached absence */
	}
	int64_t next = child->d_off + 1;
	if (e->fill(e->ctx, child->d_name, strlen(child->d_name), next, ino,
		    type))
		return 1;
	e->file->f_pos = next;
	return 0;
}

/* Offsets: 0 is ".", 1 is "..", and each entry's offset is its d_off, so
 * a position stays valid while other entries come and go. */
static int memfs_iterate(struct task *t, struct file *f, filldir_t fill,
			 void *ctx)
{
	struct dentry *dir = f->f_path.dentry;
	struct dir_emit e = {f, fill, ctx};
	int err = 0;

	pthread_mutex_lock(&namespace_lock);
	if (f->f_pos == 0) {
		if (fill(ctx, ".", 1, 1, dir->d_inode->ino, DT_DIR))
			goto out;
		f->f_pos = 1;
	}
	if (f->f_pos == 1) {
		struct inode *parent = dir->d_parent->d_inode;
		if (fill(ctx, "..", 2, 2, parent->ino, DT_DIR))
			goto out;
		f->f_pos = 2;
	}
	/* A removed directory lists nothing after "." and "..". */
	if (dir->d_flags & DCACHE_DELETED)
		goto out;
	err = memfs_load_lower_dir(dir);
	if (err < 0)
		goto out;
	d_for_each_child(dir, f->f_pos, emit_child, &e);
out:
	pthread_mutex_unlock(&namespace_lock);
	return err;
}

static int64_t memfs_dir_llseek(struct file *f, int64_t off, int whence)
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
	f->f_pos = pos;
	return pos;
}

const struct file_operations memfs_dir_fops = {
    .iterate = memfs_iterate,
    .llseek = memfs_dir_llseek,
    .fsync = memfs_fsync,
};
