/* SCM_RIGHTS over socketpair sockets: guest files in flight.
 *
 * The bytes of a message travel through the host socket pair, but the
 * files it carries are sentry objects. The sender registers the files as
 * a batch and attaches a marker to the host message: a fresh host pipe
 * read end sent with a host SCM_RIGHTS control message. The pipe's
 * inode number names the batch, so the receiver finds the batch from
 * the marker it gets, whatever the order in which messages arrive. */
#ifndef MOAT_SENTRY_IO_SCM_RIGHTS_H
#define MOAT_SENTRY_IO_SCM_RIGHTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct task;
struct scm_pair;
struct scm_batch;

/* Create the state shared by the two ends of a socket pair, with one
 * reference per end. */
struct scm_pair *scm_pair_create(void);
/* Close end (0 or 1) of pair and drop its reference. Files in flight to
 * that end can never be received, so their references are dropped. */
void scm_pair_close_end(struct scm_pair *pair, int end);

/* Parse the control buffer of a guest sendmsg (guest address uctl, len
 * bytes) with the checks of Linux's __scm_send. Sets *batch to the files
 * of its SCM_RIGHTS messages, or NULL if there are none. Returns 0,
 * -EINVAL, -EBADF, -EFAULT or -ENOBUFS. */
long scm_parse_control(struct task *t, uint64_t uctl, uint64_t len,
		       struct scm_batch **batch);

/* Register batch as in flight to end dest_end of pair and return the
 * host marker FD to send with the message, or -1 if that end is closed
 * (then the batch is freed), or a negative errno. The caller closes the
 * marker after sending. After a send that did not queue the marker, the
 * caller must call scm_batch_cancel. */
int scm_batch_post(struct scm_batch *batch, struct scm_pair *pair,
		   int dest_end);
/* Withdraw and free a posted batch whose marker was never queued. */
void scm_batch_cancel(struct scm_batch *batch);

/* Find the batch named by a received host marker FD. Without peek the
 * batch is removed from flight; with peek the result is a copy with its
 * own file references. Returns NULL if no batch matches. */
struct scm_batch *scm_batch_take(int marker, bool peek);
/* Merge src into dst (or return src if dst is NULL). */
struct scm_batch *scm_batch_merge(struct scm_batch *dst, struct scm_batch *src);
/* Drop the file references of a batch and free it. NULL is allowed. */
void scm_batch_free(struct scm_batch *batch);

/* Install the files of batch in t's FD table, in order, and write the
 * SCM_RIGHTS message into the guest control buffer of mh. Sets
 * mh->msg_controllen to the bytes used and MSG_CTRUNC in *msg_flags if
 * not every file fit. Frees batch. */
void scm_batch_deliver(struct task *t, struct scm_batch *batch,
		       struct msghdr *mh, bool cloexec, int *msg_flags);

#endif
