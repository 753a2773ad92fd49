/* read(2), write(2), pread64(2), pwrite64(2) and lseek(2), and the read
 * and write cores every other I/O syscall uses.
 *
 * Data moves through a sentry bounce buffer of IO_CHUNK bytes. A read
 * that faults after some data was copied returns the count copied, as on
 * Linux.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/fs/fs.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/syscall.h"
#include "sentry/wait.h"

struct file *fget(struct task *t, int fd)
{
	return fd_get(t->files, fd);
}

bool file_nonblock(struct file *f)
{
	bool on;

	pthread_mutex_lock(&f->f_lock);
	on = f->f_flags & O_NONBLOCK;
	pthread_mutex_unlock(&f->f_lock);
	return on;
}

bool file_has_position(struct file *f)
{
	return f->f_inode &&
	       (S_ISREG(f->f_inode->mode) || S_ISDIR(f->f_inode->mode));
}

bool file_never_blocks(struct file *f)
{
	if (f->f_inode && S_ISREG(f->f_inode->mode))
		return true;
	return !f->f_op->poll && !f->f_op->host_poll_fd;
}

long io_no_read_errno(struct file *f)
{
	/* Linux's directories have a read that fails with EISDIR. */
	return f->f_op->iterate ? -EISDIR : -EINVAL;
}

long io_read_iter(struct task *t, struct file *f, struct user_iter *it,
		  int64_t *pos)
{
	_cleanup_free_ char *bounce = NULL;
	size_t done = 0;

	if (!f->f_op->read)
		return io_no_read_errno(f);
	if (pos != &f->f_pos && *pos < 0)
		return -EINVAL;
	if (it->count == 0)
		return 0;
	bounce = xmalloc(MIN(it->count, IO_CHUNK));

	while (it->count > 0) {
		size_t want = MIN(it->count, IO_CHUNK);
		long n = f->f_op->read(t, f, bounce, want, pos);

		if (n < 0)
			return done ? (long)done : n;
		if (n == 0)
			break;
		size_t copied = user_iter_copy_out(t, it, bounce, n);
		if (copied < (size_t)n) {
			/* Give back what the guest did not receive. */
			if (file_has_position(f))
				*pos -= n - copied;
			done += copied;
			return done ? (long)done : -EFAULT;
		}
		done += n;
		/* A second read of a pipe or socket could block after data
		 * was returned, which Linux never does. */
		if ((size_t)n < want || !file_never_blocks(f))
			break;
	}
	return done;
}

/* Is f a regular file, including a host file wrapping one? */
static bool file_is_regular(struct file *f)
{
	struct stat st;

	if (f->f_inode)
		return S_ISREG(f->f_inode->mode);
	if (!f->f_op->stat || f->f_op->stat(f, &st) < 0)
		return false;
	return S_ISREG(st.st_mode);
}

/* The offset a write to the regular file f at pos starts at: the end of
 * the file for O_APPEND, the host's offset for a sequential write to a
 * host file (which keeps its offset on the host), else *pos. */
static int64_t write_start_offset(struct file *f, const int64_t *pos)
{
	bool host_offset = !f->f_inode && f->host_fd >= 0;
	bool append = f->f_flags & O_APPEND;
	struct stat st;

	if (host_offset) {
		int fl = fcntl(f->host_fd, F_GETFL);

		append |= fl >= 0 && (fl & O_APPEND);
	}
	if (append) {
		int r = f->f_inode ? inode_getattr(f->f_inode, &st)
				   : f->f_op->stat(f, &st);
		return r < 0 ? *pos : st.st_size;
	}
	if (host_offset && pos == &f->f_pos) {
		off_t off = lseek(f->host_fd, 0, SEEK_CUR);

		return off < 0 ? *pos : off;
	}
	return *pos;
}

static rlim_t task_fsize_limit(struct task *t)
{
	rlim_t limit;

	pthread_mutex_lock(&tasklist_lock);
	limit = t->tg->rlim[RLIMIT_FSIZE].rlim_cur;
	pthread_mutex_unlock(&tasklist_lock);
	return limit;
}

/* Apply RLIMIT_FSIZE to a write of count bytes to a regular file, as
 * Linux's generic_write_check_limits: a write starting at or past the
 * limit raises SIGXFSZ and fails with EFBIG, and one that crosses it is
 * shortened. Returns the bytes that may be written or -EFBIG. */
static long write_check_fsize(struct task *t, struct file *f,
			      const int64_t *pos, size_t count)
{
	rlim_t limit = task_fsize_limit(t);
	int64_t start;

	if (limit == RLIM_INFINITY || !file_is_regular(f))
		return count;
	start = write_start_offset(f, pos);
	if (start >= 0 && (uint64_t)start >= limit) {
		send_signal_to_task(t, SIGXFSZ, SI_USER);
		return -EFBIG;
	}
	if (start >= 0 && count > limit - start)
		count = limit - start;
	return count;
}

long io_write_iter(struct task *t, struct file *f, struct user_iter *it,
		   int64_t *pos)
{
	_cleanup_free_ char *bounce = NULL;
	size_t done = 0;
	long allowed;

	if (!f->f_op->write)
		return -EINVAL;
	if (pos != &f->f_pos && *pos < 0)
		return -EINVAL;
	if (it->count == 0)
		return 0;
	allowed = write_check_fsize(t, f, pos, it->count);
	if (allowed < 0)
		return allowed;
	bounce = xmalloc(MIN((size_t)allowed, IO_CHUNK));

	while (done < (size_t)allowed) {
		size_t want = MIN((size_t)allowed - done, IO_CHUNK);
		size_t copied = user_iter_copy_in(t, it, bounce, want);

		/* A fault ends the copy. A regular file takes the bytes
		 * before it, as Linux's generic_perform_write does, but a
		 * pipe or socket write that faults fails with EFAULT
		 * without writing any of its chunk. */
		if (copied < want && !file_is_regular(f))
			copied = 0;
		if (copied == 0)
			return done ? (long)done : -EFAULT;
		long n = f->f_op->write(t, f, bounce, copied, pos);
		if (n < 0)
			return done ? (long)done : n;
		done += n;
		if ((size_t)n < copied || copied < want)
			break;
	}
	return done;
}

/* Lock the position of files that have one, as Linux's fdget_pos. */
static void pos_lock(struct file *f)
{
	if (file_has_position(f))
		pthread_mutex_lock(&f->f_pos_lock);
}

static void pos_unlock(struct file *f)
{
	if (file_has_position(f))
		pthread_mutex_unlock(&f->f_pos_lock);
}

/* Run a read or write core at pos, or at f->f_pos when pos is NULL. */
long io_rw(struct task *t, struct file *f, struct user_iter *it, int64_t *pos,
	   bool write)
{
	long ret;

	if (pos) {
		return write ? io_write_iter(t, f, it, pos)
			     : io_read_iter(t, f, it, pos);
	}
	pos_lock(f);
	ret = write ? io_write_iter(t, f, it, &f->f_pos)
		    : io_read_iter(t, f, it, &f->f_pos);
	pos_unlock(f);
	return ret;
}

/* The checks of Linux's vfs_read/vfs_write before any data moves. */
static long rw_check(struct file *f, uint64_t buf, size_t count, bool write)
{
	if (write ? !file_writable(f) : !file_readable(f))
		return -EBADF;
	if (write ? !f->f_op->write : !f->f_op->read)
		return write ? -EINVAL : io_no_read_errno(f);
	if (!user_range_ok(buf, count))
		return -EFAULT;
	return 0;
}

static long rw_file(struct task *t, struct file *f, uint64_t buf, size_t count,
		    int64_t *pos, bool write)
{
	struct user_iter it;
	long ret = rw_check(f, buf, count, write);

	if (ret < 0)
		return ret;
	user_iter_init_single(&it, buf, MIN(count, MAX_RW_COUNT));
	return io_rw(t, f, &it, pos, write);
}

static long do_rw(struct task *t, int fd, uint64_t buf, size_t count,
		  bool write)
{
	struct file *f = fget(t, fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = rw_file(t, f, buf, count, NULL, write);
	file_put(f);
	return ret;
}

SYSCALL_DEFINE(SYS_read, read)
{
	return do_rw(t, (int)args[0], args[1], args[2], false);
}

SYSCALL_DEFINE(SYS_write, write)
{
	return do_rw(t, (int)args[0], args[1], args[2], true);
}

/* Positioned I/O needs a seekable file: pipes, sockets and terminals
 * fail with ESPIPE. */
static long do_prw(struct task *t, int fd, uint64_t buf, size_t count,
		   int64_t pos, bool write)
{
	struct file *f;
	long ret;

	if (pos < 0)
		return -EINVAL;
	f = fget(t, fd);
	if (!f)
		return -EBADF;
	if (!f->f_op->llseek)
		ret = -ESPIPE;
	else
		ret = rw_file(t, f, buf, count, &pos, write);
	file_put(f);
	return ret;
}

SYSCALL_DEFINE(SYS_pread64, pread64)
{
	return do_prw(t, (int)args[0], args[1], args[2], (int64_t)args[3],
		      false);
}

SYSCALL_DEFINE(SYS_pwrite64, pwrite64)
{
	return do_prw(t, (int)args[0], args[1], args[2], (int64_t)args[3],
		      true);
}

SYSCALL_DEFINE(SYS_lseek, lseek)
{
	struct file *f = fget(t, (int)args[0]);
	int whence = (int)args[2];
	int64_t ret;

	if (!f)
		return -EBADF;
	if ((unsigned)whence > SEEK_HOLE)
		ret = -EINVAL;
	else if (!f->f_op->llseek)
		ret = -ESPIPE;
	else {
		pos_lock(f);
		ret = f->f_op->llseek(f, (int64_t)args[1], whence);
		pos_unlock(f);
	}
	file_put(f);
	return ret;
}
