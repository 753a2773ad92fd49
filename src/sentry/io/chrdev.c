/* Character devices implemented in the sentry: /dev/null, /dev/zero,
 * /dev/full, /dev/random, /dev/urandom and /dev/tty. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/io.h"
#include "sentry/io/io_internal.h"
#include "sentry/wait.h"

static long null_read(struct task *t, struct file *f, void *buf, size_t len,
		      int64_t *pos)
{
	return 0;
}

static long null_write(struct task *t, struct file *f, const void *buf,
		       size_t len, int64_t *pos)
{
	return len;
}

/* Linux's null_lseek: the position stays 0 and every seek succeeds. */
static int64_t null_llseek(struct file *f, int64_t off, int whence)
{
	f->f_pos = 0;
	return 0;
}

static long zero_read(struct task *t, struct file *f, void *buf, size_t len,
		      int64_t *pos)
{
	memset(buf, 0, len);
	return len;
}

static long full_write(struct task *t, struct file *f, const void *buf,
		       size_t len, int64_t *pos)
{
	return -ENOSPC;
}

/* Mapping /dev/zero is anonymous memory: the core's mmap treats a
 * -ENODEV from mmap_fd of this device as MAP_ANONYMOUS (shared mappings
 * as MAP_SHARED|MAP_ANONYMOUS), as Linux's mmap_zero does. */
static int zero_mmap_fd(struct file *f, int *hostfd, bool shared_write)
{
	return -ENODEV;
}

static long random_read(struct task *t, struct file *f, void *buf, size_t len,
			int64_t *pos)
{
	ssize_t n = getrandom(buf, len, 0);

	return n < 0 ? neg_errno() : n;
}

/* Linux's noop_llseek: report the position, change nothing. */
static int64_t noop_llseek(struct file *f, int64_t off, int whence)
{
	return f->f_pos;
}

static const struct file_operations null_fops = {
    .read = null_read,
    .write = null_write,
    .llseek = null_llseek,
};

static const struct file_operations zero_fops = {
    .read = zero_read,
    .write = null_write,
    .llseek = null_llseek,
    .mmap_fd = zero_mmap_fd,
};

static const struct file_operations full_fops = {
    .read = zero_read,
    .write = full_write,
    .llseek = null_llseek,
};

/* Writes to the random devices only mix entropy in on Linux; the
 * sentry drops them. */
static const struct file_operations random_fops = {
    .read = random_read,
    .write = null_write,
    .llseek = noop_llseek,
};

/* The host terminal behind /dev/tty: the first of the sentry's FDs 0, 1
 * and 2 that is a terminal, or -1. The sentry never closes those FDs. */
static int tty_host_fd(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (isatty(fd))
			return fd;
	}
	return -1;
}

static long devtty_read(struct task *t, struct file *f, void *buf, size_t len,
			int64_t *pos)
{
	int fd = tty_host_fd();

	if (fd < 0)
		return -EIO;
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int r = task_poll_host(t, &pfd, 1, NULL);

		if (r < 0)
			return r;
		ssize_t n = read(fd, buf, len);
		if (n >= 0)
			return n;
		if (errno != EAGAIN && errno != EINTR)
			return neg_errno();
	}
}

static long devtty_write(struct task *t, struct file *f, const void *buf,
			 size_t len, int64_t *pos)
{
	int fd = tty_host_fd();
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	int r;

	if (fd < 0)
		return -EIO;
	r = task_poll_host(t, &pfd, 1, NULL);
	if (r < 0)
		return r;
	ssize_t n = write(fd, buf, len);
	return n < 0 ? neg_errno() : n;
}

static long devtty_ioctl(struct task *t, struct file *f, unsigned cmd,
			 uint64_t arg)
{
	int fd = tty_host_fd();

	return fd < 0 ? -EIO : tty_ioctl(t, fd, cmd, arg);
}

static int devtty_host_poll_fd(struct file *f)
{
	return tty_host_fd();
}

static const struct file_operations devtty_fops = {
    .read = devtty_read,
    .write = devtty_write,
    .ioctl = devtty_ioctl,
    .host_poll_fd = devtty_host_poll_fd,
};

const struct file_operations *chrdev_fops(dev_t rdev)
{
	unsigned major = major(rdev), minor = minor(rdev);

	if (major == 1) {
		switch (minor) {
		case 3:
			return &null_fops;
		case 5:
			return &zero_fops;
		case 7:
			return &full_fops;
		case 8:
		case 9:
			return &random_fops;
		}
		return NULL;
	}
	/* Without a host terminal the sandbox has no controlling terminal,
	 * and Linux fails the open with ENXIO. */
	if (major == 5 && minor == 0)
		return tty_host_fd() >= 0 ? &devtty_fops : NULL;
	/* /dev/pts/N is the host terminal the sandbox runs on (Unix 98 pty
	 * slaves have majors 136 to 143); other ptys do not exist here. */
	if (major >= 136 && major <= 143) {
		struct stat st;
		int fd = tty_host_fd();

		if (fd >= 0 && fstat(fd, &st) == 0 && st.st_rdev == rdev)
			return &devtty_fops;
	}
	return NULL;
}
