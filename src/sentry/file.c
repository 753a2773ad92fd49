/* Open file descriptions: allocation and reference counting. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/file.h"
#include "sentry/fs/fs.h"
#include "sentry/io/locks.h"

struct file *file_alloc(const struct file_operations *fop, unsigned flags,
			int host_fd, void *private_data)
{
	struct file *f = xcalloc(1, sizeof(*f));

	f->refcount = 1;
	pthread_mutex_init(&f->f_lock, NULL);
	pthread_mutex_init(&f->f_pos_lock, NULL);
	f->f_flags = flags;
	f->f_op = fop;
	f->host_fd = host_fd;
	f->private_data = private_data;
	return f;
}

void file_get(struct file *f)
{
	__atomic_add_fetch(&f->refcount, 1, __ATOMIC_RELAXED);
}

/* Drop a reference. The last one runs f_op->release (which frees
 * private_data), then drops the path and inode and closes host_fd. */
void file_put(struct file *f)
{
	if (!f)
		return;
	int left = __atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL);
	BUG_ON(left < 0);
	if (left > 0)
		return;

	locks_remove_file(f);
	if (f->f_op && f->f_op->release)
		f->f_op->release(f);
	path_put(&f->f_path);
	if (f->f_inode)
		inode_put(f->f_inode);
	if (f->host_fd >= 0)
		close(f->host_fd);
	pthread_mutex_destroy(&f->f_lock);
	pthread_mutex_destroy(&f->f_pos_lock);
	free(f);
}

bool file_readable(struct file *f)
{
	unsigned acc = f->f_flags & O_ACCMODE;

	return !(f->f_flags & O_PATH) && (acc == O_RDONLY || acc == O_RDWR);
}

bool file_writable(struct file *f)
{
	unsigned acc = f->f_flags & O_ACCMODE;

	return !(f->f_flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}
