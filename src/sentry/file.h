/* Open file descriptions and their operations.
 *
 * A struct file is what an FD refers to. Its f_op table implements the
 * I/O; every buffer passed to f_op is sentry memory (syscall handlers copy
 * to and from the application). An operation that is missing means the
 * call is not supported on that kind of file; the syscall layer maps it to
 * the errno Linux returns (EINVAL for read/write, ESPIPE for llseek,
 * ENOTTY for ioctl, ENOTDIR for iterate).
 *
 * Locking: f_pos_lock serialises position updates (read, write, lseek,
 * getdents) as Linux's f_pos_lock does. f_flags is protected by f_lock.
 */
#ifndef MOAT_SENTRY_FILE_H
#define MOAT_SENTRY_FILE_H

#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "sentry/vfs.h"

struct task;
struct file;

/* One entry handed to a getdents filler. Return nonzero to stop. */
typedef int (*filldir_t)(void *ctx, const char *name, size_t namelen,
			 int64_t next_off, uint64_t ino, unsigned type);

struct file_operations {
	/* Read or write at *pos and advance it. t may block; it must return
	 * -ERESTARTSYS (or -EINTR) when a signal interrupts it. */
	long (*read)(struct task *t, struct file *f, void *buf, size_t len,
		     int64_t *pos);
	long (*write)(struct task *t, struct file *f, const void *buf,
		      size_t len, int64_t *pos);
	int64_t (*llseek)(struct file *f, int64_t off, int whence);
	/* List entries from f->f_pos; update f->f_pos as entries are
	 * consumed. */
	int (*iterate)(struct task *t, struct file *f, filldir_t fill,
		       void *ctx);
	/* arg is the raw guest argument (often a guest pointer). */
	long (*ioctl)(struct task *t, struct file *f, unsigned cmd,
		      uint64_t arg);
	/* Current readiness (POLLIN, POLLOUT...). If the file is backed by
	 * a host FD, host_poll_fd returns it so poll can wait on it. */
	unsigned (*poll)(struct file *f);
	int (*host_poll_fd)(struct file *f);
	int (*fsync)(struct file *f, bool datasync);
	int (*truncate)(struct file *f, int64_t len);
	int (*fallocate)(struct file *f, int mode, int64_t off, int64_t len);
	/* The host FD for mmap (see vfs_mmap_fd). */
	int (*mmap_fd)(struct file *f, int *hostfd, bool shared_write);
	int (*stat)(struct file *f, struct stat *st);
	/* Called when the last reference goes away. */
	void (*release)(struct file *f);
};

struct file {
	int refcount; /* atomic */
	pthread_mutex_t f_lock;
	pthread_mutex_t f_pos_lock;
	unsigned f_flags; /* O_* flags as opened, minus O_CREAT etc. */
	int64_t f_pos;
	struct path f_path; /* mnt/dentry, or NULLs for anonymous files */
	struct inode *f_inode; /* reference, or NULL for anonymous files */
	const struct file_operations *f_op;
	int host_fd;  /* host FD owned by this file, or -1 */
	void *private_data;
	/* Owner for F_SETOWN/F_GETOWN (not used for signals yet). */
	int f_owner;
};

/* Allocate a file with one reference; takes ownership of host_fd. */
struct file *file_alloc(const struct file_operations *fop, unsigned flags,
			int host_fd, void *private_data);

#endif
