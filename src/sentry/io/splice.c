/* In-sentry copies between files: sendfile, copy_file_range, splice and
 * tee, and the hints readahead and fadvise64.
 *
 * sendfile, copy_file_range and splice read into a sentry buffer and
 * write it out; tee needs two host pipes and uses the host's tee. */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/fs/fs.h"
#include "sentry/io/io_internal.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/wait.h"

#ifndef SPLICE_F_MOVE
#define SPLICE_F_MOVE	  1
#define SPLICE_F_NONBLOCK 2
#define SPLICE_F_MORE	  4
#define SPLICE_F_GIFT	  8
#endif
#define SPLICE_F_ALL                                                           \
	(SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)

/* Move up to len bytes from in to out at the given offsets (NULL: the
 * file positions). Stops after a short read or write, and after one
 * chunk when in could block, so a call never waits for more input once it has
 * data. Bytes read but not written are lost unless in has a position to give
 * them back to. */
static long transfer(struct task *t, struct file *in, int64_t *in_pos,
		     struct file *out, int64_t *out_pos, size_t len)
{
	_cleanup_free_ char *bounce = xmalloc(MIN(len, IO_CHUNK) + 1);
	int64_t *ip = in_pos ? in_pos : &in->f_pos;
	int64_t *op = out_pos ? out_pos : &out->f_pos;
	size_t done = 0;

	while (done < len) {
		size_t want = MIN(len - done, IO_CHUNK);
		long n = in->f_op->read(t, in, bounce, want, ip);

		if (n <= 0)
			return done ? (long)done : n;
		long w = out->f_op->write(t, out, bounce, n, op);
		if (w < 0) {
			if (file_has_position(in))
				*ip -= n;
			return done ? (long)done : w;
		}
		if (w < n && file_has_position(in))
			*ip -= n - w;
		done += w;
		if (w < n || (size_t)n < want || !file_never_blocks(in))
			break;
	}
	return done;
}

static int get_offset(struct task *t, uint64_t uoff, int64_t *off)
{
	if (copy_from_user(t, off, uoff, sizeof(*off)) < 0)
		return -EFAULT;
	return *off < 0 ? -EINVAL : 0;
}

/* Check the two files of a copy and take the file references. */
static long get_files(struct task *t, int infd, int outfd, struct file **in,
		      struct file **out)
{
	*out = NULL;
	*in = fget(t, infd);
	if (!*in)
		return -EBADF;
	*out = fget(t, outfd);
	if (!*out)
		return -EBADF;
	if (!file_readable(*in) || !file_writable(*out))
		return -EBADF;
	if (!(*in)->f_op->read || !(*out)->f_op->write)
		return -EINVAL;
	return 0;
}

static void put_files(struct file *in, struct file *out)
{
	file_put(in);
	file_put(out);
}

SYSCALL_DEFINE(SYS_sendfile, sendfile)
{
	struct file *in, *out;
	int64_t off;
	uint64_t uoff = args[2];
	long ret = get_files(t, (int)args[1], (int)args[0], &in, &out);

	if (ret < 0)
		goto out_put;
	if (uoff && !in->f_op->llseek) {
		ret = -ESPIPE;
		goto out_put;
	}
	if (out->f_flags & O_APPEND) {
		ret = -EINVAL;
		goto out_put;
	}
	if (uoff && (ret = get_offset(t, uoff, &off)) < 0)
		goto out_put;
	ret = transfer(t, in, uoff ? &off : NULL, out, NULL,
		       MIN(args[3], MAX_RW_COUNT));
	if (uoff && ret >= 0 && copy_to_user(t, uoff, &off, sizeof(off)) < 0)
		ret = -EFAULT;
out_put:
	put_files(in, out);
	return ret;
}

/* Linux's generic_copy_file_checks on the file types and modes. */
static long copy_range_checks(struct file *in, struct file *out)
{
	mode_t imode = in->f_inode ? in->f_inode->mode : 0;
	mode_t omode = out->f_inode ? out->f_inode->mode : 0;

	if (S_ISDIR(imode) || S_ISDIR(omode))
		return -EISDIR;
	if (!S_ISREG(imode) || !S_ISREG(omode))
		return -EINVAL;
	if (out->f_flags & O_APPEND)
		return -EBADF;
	return 0;
}

SYSCALL_DEFINE(SYS_copy_file_range, copy_file_range)
{
	struct file *in, *out;
	int64_t off_in, off_out;
	uint64_t uoff_in = args[1], uoff_out = args[3];
	size_t len = MIN(args[4], MAX_RW_COUNT);
	long ret;

	if (args[5] != 0)
		return -EINVAL;
	ret = get_files(t, (int)args[0], (int)args[2], &in, &out);
	if (ret == 0)
		ret = copy_range_checks(in, out);
	if (ret == 0 && uoff_in)
		ret = get_offset(t, uoff_in, &off_in);
	if (ret == 0 && uoff_out)
		ret = get_offset(t, uoff_out, &off_out);
	if (ret < 0)
		goto out_put;
	int64_t start_in = uoff_in ? off_in : in->f_pos;
	int64_t start_out = uoff_out ? off_out : out->f_pos;
	if (in->f_inode == out->f_inode &&
	    start_in + (int64_t)len > start_out &&
	    start_out + (int64_t)len > start_in) {
		ret = -EINVAL;
		goto out_put;
	}

	ret = transfer(t, in, uoff_in ? &off_in : NULL, out,
		       uoff_out ? &off_out : NULL, len);
	if (ret >= 0 && uoff_in &&
	    copy_to_user(t, uoff_in, &off_in, sizeof(off_in)) < 0)
		ret = -EFAULT;
	if (ret >= 0 && uoff_out &&
	    copy_to_user(t, uoff_out, &off_out, sizeof(off_out)) < 0)
		ret = -EFAULT;
out_put:
	put_files(in, out);
	return ret;
}

/* One side of a splice: a pipe takes no offset, other files need one
 * that is seekable if given. */
static long splice_side(struct task *t, struct file *f, uint64_t uoff,
			int64_t *off)
{
	if (!uoff)
		return 0;
	if (file_is_pipe(f) || !f->f_op->llseek)
		return -ESPIPE;
	return get_offset(t, uoff, off);
}

/* NOTE: SPLICE_F_NONBLOCK is accepted but a pipe without O_NONBLOCK
 * still blocks. */
SYSCALL_DEFINE(SYS_splice, splice)
{
	struct file *in, *out;
	int64_t off_in, off_out;
	uint64_t uoff_in = args[1], uoff_out = args[3];
	long ret;

	ret = get_files(t, (int)args[0], (int)args[2], &in, &out);
	if (ret < 0)
		goto out_put;
	if (args[5] & ~(uint64_t)SPLICE_F_ALL ||
	    (!file_is_pipe(in) && !file_is_pipe(out))) {
		ret = -EINVAL;
		goto out_put;
	}
	if ((ret = splice_side(t, in, uoff_in, &off_in)) < 0 ||
	    (ret = splice_side(t, out, uoff_out, &off_out)) < 0)
		goto out_put;
	if (!file_is_pipe(out) && (out->f_flags & O_APPEND)) {
		ret = -EINVAL;
		goto out_put;
	}
	ret = transfer(t, in, uoff_in ? &off_in : NULL, out,
		       uoff_out ? &off_out : NULL, MIN(args[4], MAX_RW_COUNT));
	if (ret >= 0 && uoff_in &&
	    copy_to_user(t, uoff_in, &off_in, sizeof(off_in)) < 0)
		ret = -EFAULT;
	if (ret >= 0 && uoff_out &&
	    copy_to_user(t, uoff_out, &off_out, sizeof(off_out)) < 0)
		ret = -EFAULT;
out_put:
	put_files(in, out);
	return ret;
}

/* Duplicate pipe data with the host's tee, waiting for data in in and
 * room in out unless SPLICE_F_NONBLOCK. */
static long do_tee(struct task *t, struct file *in, struct file *out,
		   size_t len, unsigned flags)
{
	bool nonblock = flags & SPLICE_F_NONBLOCK;

	for (;;) {
		ssize_t n =
		    tee(in->host_fd, out->host_fd, len, SPLICE_F_NONBLOCK);
		if (n >= 0)
			return n;
		if (errno != EAGAIN)
			return neg_errno();
		if (nonblock)
			return -EAGAIN;
		int r = host_wait_fd(t, in->host_fd, POLLIN);
		if (r == 0)
			r = host_wait_fd(t, out->host_fd, POLLOUT);
		if (r < 0)
			return r;
	}
}

SYSCALL_DEFINE(SYS_tee, tee)
{
	struct file *in, *out;
	long ret = get_files(t, (int)args[0], (int)args[1], &in, &out);

	if (ret < 0)
		goto out_put;
	if (args[3] & ~(uint64_t)SPLICE_F_ALL || !file_is_pipe(in) ||
	    !file_is_pipe(out))
		ret = -EINVAL;
	else if (args[2] == 0)
		ret = 0;
	else
		ret = do_tee(t, in, out, MIN(args[2], MAX_RW_COUNT),
			     (unsigned)args[3]);
out_put:
	put_files(in, out);
	return ret;
}

SYSCALL_DEFINE(SYS_readahead, readahead)
{
	struct file *f = fget(t, (int)args[0]);
	long ret = 0;

	if (!f)
		return -EBADF;
	if (!file_readable(f))
		ret = -EBADF;
	else if (!f->f_inode || !S_ISREG(f->f_inode->mode))
		ret = -EINVAL;
	file_put(f);
	return ret;
}

/* Advice is only a hint, so only Linux's argument checks run. */
SYSCALL_DEFINE(SYS_fadvise64, fadvise64)
{
	struct file *f = fget(t, (int)args[0]);
	int64_t len = (int64_t)args[2];
	int advice = (int)args[3];
	long ret = 0;

	if (!f)
		return -EBADF;
	if (file_is_pipe(f) || (f->f_inode && S_ISFIFO(f->f_inode->mode)))
		ret = -ESPIPE;
	else if (advice < POSIX_FADV_NORMAL || advice > POSIX_FADV_NOREUSE ||
		 len < 0)
		ret = -EINVAL;
	file_put(f);
	return ret;
}
