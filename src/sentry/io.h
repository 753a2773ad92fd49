/* File descriptors, pipes, host-backed files, character devices and
 * readiness polling: the interface the rest of the sentry uses.
 *
 * Contracts with the file systems' file_operations (see file.h):
 *  - read() and write() pass &f->f_pos itself as pos (holding f_pos_lock
 *    for regular files and directories); pread() and friends pass a
 *    pointer to a local offset. Host-backed files use this to tell a
 *    sequential read, which must move the shared host offset, from a
 *    positioned one.
 *  - f_op->write applies O_APPEND itself, because only the file system
 *    tracks the current size. Linux appends even for pwrite(2).
 *  - f_op->llseek updates f->f_pos and returns the new offset.
 */
#ifndef MOAT_SENTRY_IO_H
#define MOAT_SENTRY_IO_H

#include <stdbool.h>
#include <sys/types.h>

struct task;
struct file;
struct inode;
struct fdtable;
struct file_operations;

/* Wrap an FD the sentry inherited from its caller (stdin, stdout,
 * stderr: a terminal, pipe, file or /dev/null) as a guest file. Takes
 * ownership of hostfd; flags are the guest's O_* flags (the access mode
 * should match how the caller opened it). Returns NULL if hostfd is not
 * open. The host FD's O_NONBLOCK flag is never changed, because the
 * caller's shell shares it. */
struct file *hostfile_create(int hostfd, unsigned flags);

/* The guest's foreground process group of the terminal (TIOCSPGRP), or 0
 * if the guest never set one. */
pid_t tty_foreground_group(void);

/* Is f a file made by hostfile_create? */
bool file_is_hostfile(struct file *f);

/* Open a new file description of the pipe end f with the O_* flags of an
 * open of /proc/PID/fd/N. Its host FD is a duplicate of f's. Returns
 * -ENODEV if f is not a pipe and -ENXIO if the access mode is not f's,
 * because f has no host FD of the other end. */
int pipe_reopen(struct file *f, unsigned flags, struct file **out);

/* Install guest FDs 0, 1 and 2 in fdt as host files wrapping the
 * sentry's own FDs 0, 1 and 2 (duplicates of them, so the sentry's stdio
 * stays usable for its own messages). An FD the sentry lacks is left
 * closed in the guest too. Returns 0 or a negative errno. */
int io_install_stdio(struct fdtable *fdt);

/* Open a FIFO inode for f (called by the VFS for S_IFIFO inodes). Blocks
 * per fifo(7): a reader waits for a writer and a writer for a reader,
 * unless O_NONBLOCK, where a write-only open without readers fails with
 * ENXIO. O_RDWR never blocks. The shared pipe lives in inode->i_pipe.
 * Returns 0, -ERESTARTSYS if a signal interrupted the wait, or another
 * negative errno. The pipe and its unread data are freed when the
 * last open file of the FIFO is released, as on Linux. */
int fifo_open(struct task *t, struct inode *inode, struct file *f);

/* The file operations of character device rdev, or NULL (the VFS returns
 * ENXIO). Supported: null (1,3), zero (1,5), full (1,7), random (1,8),
 * urandom (1,9) and tty (5,0). */
const struct file_operations *chrdev_fops(dev_t rdev);

/* The RLIMIT_NOFILE soft limit of t's process, capped at Linux's default
 * fs.nr_open (1048576), as the FD limit for fd_install. */
int task_nofile_limit(struct task *t);

/* Extra operations on FD tables (see fdtable.h for the locking). */
void fdtable_get(struct fdtable *fdt);
/* Close every open FD in [lo, hi] (close_range(2)). */
void fd_close_range(struct fdtable *fdt, unsigned lo, unsigned hi);
/* Set close-on-exec on every open FD in [lo, hi]. */
void fd_set_cloexec_range(struct fdtable *fdt, unsigned lo, unsigned hi);
/* The number of slots, the bound select(2) applies to nfds. */
int fdtable_size(struct fdtable *fdt);

#endif
