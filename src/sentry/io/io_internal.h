/* Shared internals of the FD syscalls, pipes, sockets and polling. */
#ifndef MOAT_SENTRY_IO_IO_INTERNAL_H
#define MOAT_SENTRY_IO_IO_INTERNAL_H

#include <poll.h>
#include <sys/epoll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include <time.h>

#include "sentry/file.h"
#include "sentry/task.h"

/* Linux's MAX_RW_COUNT: one read or write moves at most this much. */
#define MAX_RW_COUNT (INT32_MAX & ~(int32_t)(PAGE_SIZE - 1))
/* Size of the sentry bounce buffer between a file and guest memory. */
#define IO_CHUNK (64 * 1024)
/* Linux's UIO_MAXIOV. */
#define IO_IOV_MAX 1024
/* Readiness of a file that never blocks (Linux's DEFAULT_POLLMASK). */
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* Get a reference to the file at fd of t, or NULL. */
struct file *fget(struct task *t, int fd);

static inline void file_putp(struct file **f)
{
	file_put(*f);
}
/* Drop a file reference (or nothing for NULL) when the variable leaves
 * scope. */
#define _cleanup_file_ __attribute__((cleanup(file_putp)))

/* Is [addr, addr + len) inside the application's address range? The
 * check Linux's access_ok makes before any copy. */
bool user_range_ok(uint64_t addr, uint64_t len);

/* Is O_NONBLOCK set on the file (f_lock)? */
bool file_nonblock(struct file *f);

/* A guest buffer list being consumed: readv/writev's iovecs, or one
 * segment for read/write. */
struct user_iter {
	struct iovec *iov; /* guest addresses in iov_base */
	int nr_segs;
	int seg;       /* current segment */
	size_t offset; /* bytes consumed of the current segment */
	size_t count;  /* bytes left in all segments */
	struct iovec single;
	struct iovec *allocated; /* freed by user_iter_release */
};

void user_iter_init_single(struct user_iter *it, uint64_t buf, size_t len);
/* Copy and validate a guest iovec array like Linux's import_iovec:
 * -EINVAL for nr_segs > IOV_MAX or a negative length, -EFAULT for an
 * unreadable array or a segment outside the address range; the total is
 * clamped to MAX_RW_COUNT. */
int user_iter_import(struct task *t, struct user_iter *it, uint64_t uiov,
		     uint64_t nr_segs);
void user_iter_release(struct user_iter *it);
/* Copy len bytes to or from the guest at the iterator, advancing it.
 * Returns the bytes copied: fewer than len after a fault. */
size_t user_iter_copy_out(struct task *t, struct user_iter *it, const void *buf,
			  size_t len);
size_t user_iter_copy_in(struct task *t, struct user_iter *it, void *buf,
			 size_t len);

/* The read and write cores shared by every read/write syscall. pos is
 * &f->f_pos for the sequential calls. Check access modes first. */
long io_read_iter(struct task *t, struct file *f, struct user_iter *it,
		  int64_t *pos);
long io_write_iter(struct task *t, struct file *f, struct user_iter *it,
		   int64_t *pos);
/* Run a read or write core at *pos, or at f->f_pos (under f_pos_lock)
 * when pos is NULL. */
long io_rw(struct task *t, struct file *f, struct user_iter *it, int64_t *pos,
	   bool write);
/* The errno for a file without read/write operations. */
long io_no_read_errno(struct file *f);
/* Does f keep a file position (regular files and directories)? */
bool file_has_position(struct file *f);
/* Can every read of f return without waiting (no readiness to wait on)? */
bool file_never_blocks(struct file *f);

/* Waiting on host FDs, interruptibly. Both return 0 when fd is ready,
 * -ERESTARTSYS on a signal. */
int host_wait_fd(struct task *t, int fd, short events);

/* Read or write a host FD that has O_NONBLOCK set, waiting (unless
 * nonblock) while it would block. host_write_wait writes all of buf
 * unless nonblock, an error or a signal stops it, and then returns the
 * bytes written if any. */
long host_read_wait(struct task *t, int fd, void *buf, size_t len,
		    bool nonblock);
long host_write_wait(struct task *t, int fd, const void *buf, size_t len,
		     bool nonblock);

/* fcntl's record-lock commands on f (locks.c). */
long fcntl_lock(struct task *t, struct file *f, int cmd, uint64_t arg);

/* Pipes. */
bool file_is_pipe(struct file *f);
/* Make a connected read end and write end; flags are O_NONBLOCK and
 * O_DIRECT of pipe2. */
int pipe_create(unsigned flags, struct file **rd, struct file **wr);
long pipe_get_size(struct file *f);
long pipe_set_size(struct file *f, unsigned long size);

/* Sockets (socketpair only). */
bool file_is_socket(struct file *f);

/* Host terminal ioctls shared by host files and /dev/tty. */
long tty_ioctl(struct task *t, int hostfd, unsigned cmd, uint64_t arg);

/* Readiness of a set of files (poll.c). */
struct poll_entry {
	struct file *file; /* reference, or NULL: skipped */
	short events;
	short revents;
};
/* Wait until an entry is ready, the absolute CLOCK_MONOTONIC deadline
 * passes (NULL: forever; an expired deadline just checks) or a signal
 * arrives. Returns the number of ready entries, 0 on timeout or
 * -ERESTARTNOHAND. */
int poll_files(struct task *t, struct poll_entry *ents, int n,
	       const struct timespec *deadline);
/* The readiness of one file, without waiting. */
unsigned file_poll_now(struct file *f, short events);

/* Interval at which a wait re-polls files for which
 * file_poll_needs_recheck is true. */
#define POLL_RECHECK_NS 10000000L
/* Can f become ready without its host FD becoming ready? True for
 * signalfds (a queued signal makes no host FD ready) and for epolls
 * that contain such a file (epoll.c). */
bool file_poll_needs_recheck(struct file *f);
/* The earlier of deadline (NULL: none) and now + POLL_RECHECK_NS, stored
 * in slice when that is the earlier. */
const struct timespec *recheck_deadline(const struct timespec *deadline,
					struct timespec *slice);

/* The cores of eventfd, signalfd and epoll below the syscalls' guest
 * copies. Each returns 0 or a negative errno unless stated otherwise. */
/* Make an eventfd file; flags are eventfd2's EFD_* flags. */
int eventfd_create(unsigned initval, int flags, struct file **out);
/* Make a signalfd file for mask; flags are signalfd4's SFD_* flags, which
 * the caller checked. SIGKILL and SIGSTOP are removed from mask. */
struct file *signalfd_create(ksigset_t mask, int flags);
bool file_is_signalfd(struct file *f);
int epoll_create_file(struct file **out);
/* epoll_ctl(2) on the epoll epf for file f, open as fd. */
int epoll_ctl_file(struct file *epf, int op, int fd, struct file *f,
		   const struct epoll_event *event);
/* Wait until deadline (NULL: forever) and store up to max events in out.
 * Returns the number stored, 0 on timeout, or -EINTR when a signal
 * interrupts the wait (Linux never restarts epoll_wait). */
int epoll_wait_file(struct task *t, struct file *epf, struct epoll_event *out,
		    int max, const struct timespec *deadline);

/* Convert a relative timeout to an absolute CLOCK_MONOTONIC deadline. */
void deadline_from_timeout(struct timespec *deadline,
			   const struct timespec *timeout);
/* Time left until deadline (zero if past). */
void deadline_remaining(const struct timespec *deadline, struct timespec *left);
/* Has deadline passed? False for NULL (no deadline). */
bool deadline_passed(const struct timespec *deadline);

/* Install the temporary signal mask of ppoll/pselect6/epoll_pwait from
 * guest memory (usigmask 0: keep the mask). Returns 1 if a mask was
 * installed, 0 if not, or a negative errno. */
int io_set_sigmask(struct task *t, uint64_t usigmask, uint64_t sigsetsize);
/* Undo io_set_sigmask after the call returned ret: at once, or, when a
 * signal interrupted the call, by the core after the signal's handler
 * frame is set up (restore_saved_mask), as Linux does. */
void io_restore_sigmask(struct task *t, bool installed, long ret);
/* Is ret the result of an interrupted wait? */
bool io_interrupted(long ret);
/* Copy in a relative timespec timeout (-EFAULT, -EINVAL if invalid) and
 * turn it into a deadline. */
int io_get_timeout(struct task *t, uint64_t uts, struct timespec *deadline);
/* Write the time left until deadline back to uts and return ret, or
 * -EINTR for an interrupted call whose timeout could not be updated. */
long io_put_timeout(struct task *t, uint64_t uts,
		    const struct timespec *deadline, long ret);

#endif
