/* System V message queues: msgget, msgsnd, msgrcv and msgctl.
 *
 * Senders and receivers that must wait sleep on msg_cond, which every
 * change to any queue broadcasts, and check their queue again when woken.
 * A signal ends the wait with -ERESTARTNOHAND, as in Linux's ipc/msg.c:
 * the call fails with EINTR if a handler runs and restarts otherwise.
 * Removing a queue wakes its waiters, which fail with EIDRM.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/ipc/ipc.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/wait.h"

/* Linux's defaults (include/uapi/linux/msg.h). */
#define MSG_MAX_QUEUES 32000 /* MSGMNI */
#define MSG_MAX_SIZE   8192  /* MSGMAX: bytes in one message */
#define MSG_MAX_BYTES  16384 /* MSGMNB: default bytes in one queue */

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

struct msg {
	long type;
	size_t size;
	struct msg *next;
	char text[];
};

struct msg_queue {
	struct ipc_perm_state perm; /* first, for the ipc_table helpers */
	struct msg *head, *tail;
	size_t bytes;	  /* __msg_cbytes */
	size_t count;	  /* msg_qnum */
	size_t max_bytes; /* msg_qbytes */
	pid_t lspid, lrpid;
	time_t stime, rtime, ctime;
};

/* msg_lock protects msg_table and every queue and message. msg_cond is
 * broadcast after every send, receive, IPC_SET and removal. */
static pthread_mutex_t msg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t msg_cond = PTHREAD_COND_INITIALIZER;
static struct ipc_table msg_table = {.max = MSG_MAX_QUEUES};

static long msg_create(struct task *t, key_t key, int flags)
{
	struct msg_queue *q = xcalloc(1, sizeof(*q));
	int id;

	ipc_init_perm(t, &q->perm, key, flags);
	q->max_bytes = MSG_MAX_BYTES;
	q->ctime = ipc_now();
	id = ipc_add(&msg_table, q);
	if (id < 0)
		free(q);
	return id;
}

static void msg_destroy(struct msg_queue *q, int id)
{
	ipc_remove(&msg_table, id);
	while (q->head) {
		struct msg *m = q->head;

		q->head = m->next;
		free(m);
	}
	free(q);
	pthread_cond_broadcast(&msg_cond);
}

SYSCALL_DEFINE(SYS_msgget, msgget)
{
	key_t key = (key_t)args[0];
	int flags = (int)args[1];
	struct msg_queue *q;
	long ret;

	pthread_mutex_lock(&msg_lock);
	q = key == IPC_PRIVATE ? NULL : ipc_find_key(&msg_table, key);
	if (!q) {
		if (key != IPC_PRIVATE && !(flags & IPC_CREAT))
			ret = -ENOENT;
		else
			ret = msg_create(t, key, flags);
	} else if ((flags & IPC_CREAT) && (flags & IPC_EXCL)) {
		ret = -EEXIST;
	} else {
		ret = ipc_check_perm(t, &q->perm, flags);
		if (ret == 0)
			ret = ipc_id_of(&msg_table, q);
	}
	pthread_mutex_unlock(&msg_lock);
	return ret;
}

/* Wait on msg_cond for queue id to change (msg_lock held). Returns 0,
 * -EIDRM if the queue was removed or -ERESTARTNOHAND on a signal. */
static int msg_wait(struct task *t, int id, struct msg_queue *q)
{
	int r = task_wait_cond(t, &msg_cond, &msg_lock, NULL);

	if (ipc_find_id(&msg_table, id) != q)
		return -EIDRM;
	return r == -ERESTARTSYS ? -ERESTARTNOHAND : 0;
}

SYSCALL_DEFINE(SYS_msgsnd, msgsnd)
{
	int id = (int)args[0], flags = (int)args[3];
	long size = (long)args[2];
	struct msg_queue *q;
	struct msg *m;
	long ret;

	if (size < 0 || size > MSG_MAX_SIZE || id < 0)
		return -EINVAL;
	m = xmalloc(sizeof(*m) + size);
	if (copy_from_user(t, &m->type, args[1], sizeof(m->type)) < 0 ||
	    copy_from_user(t, m->text, args[1] + sizeof(long), size) < 0) {
		free(m);
		return -EFAULT;
	}
	if (m->type < 1) {
		free(m);
		return -EINVAL;
	}
	m->size = size;
	m->next = NULL;

	pthread_mutex_lock(&msg_lock);
	q = ipc_find_id(&msg_table, id);
	if (!q) {
		ret = -EINVAL;
		goto out;
	}
	ret = ipc_check_perm(t, &q->perm, 0200);
	if (ret < 0)
		goto out;
	/* Linux also limits the number of messages to msg_qbytes, so a
	 * queue cannot fill with empty messages. */
	while (q->bytes + size > q->max_bytes || q->count + 1 > q->max_bytes) {
		if (flags & IPC_NOWAIT) {
			ret = -EAGAIN;
			goto out;
		}
		ret = msg_wait(t, id, q);
		if (ret < 0)
			goto out;
		ret = ipc_check_perm(t, &q->perm, 0200);
		if (ret < 0)
			goto out;
	}
	if (q->tail)
		q->tail->next = m;
	else
		q->head = m;
	q->tail = m;
	m = NULL;
	q->bytes += size;
	q->count++;
	q->lspid = t->tg->tgid;
	q->stime = ipc_now();
	pthread_cond_broadcast(&msg_cond);
out:
	pthread_mutex_unlock(&msg_lock);
	free(m);
	return ret;
}

/* The first message of q that a receive of type selects, and the link
 * that points to it, or NULL (msg_lock held). */
static struct msg *msg_select(struct msg_queue *q, long type, int flags,
			      struct msg ***link)
{
	struct msg *best = NULL, **best_link = NULL;

	for (struct msg **pp = &q->head; *pp; pp = &(*pp)->next) {
		struct msg *m = *pp;

		if (type == 0) {
			best = m, best_link = pp;
			break;
		}
		if (type > 0) {
			if ((flags & MSG_EXCEPT) ? m->type != type
						 : m->type == type) {
				best = m, best_link = pp;
				break;
			}
			continue;
		}
		/* The lowest type not above -type, first of equals. */
		if (m->type <= -type && (!best || m->type < best->type))
			best = m, best_link = pp;
	}
	*link = best_link;
	return best;
}

SYSCALL_DEFINE(SYS_msgrcv, msgrcv)
{
	int id = (int)args[0], flags = (int)args[4];
	long size = (long)args[2], type = (long)args[3];
	struct msg_queue *q;
	struct msg *m = NULL, **link;
	long ret;

	if (size < 0 || id < 0)
		return -EINVAL;
	if (flags & MSG_COPY) {
		/* NOTE: MSG_COPY (for checkpoint and restore) fails as on a
		 * Linux built without CONFIG_CHECKPOINT_RESTORE. */
		return -ENOSYS;
	}

	pthread_mutex_lock(&msg_lock);
	q = ipc_find_id(&msg_table, id);
	if (!q) {
		ret = -EINVAL;
		goto out;
	}
	for (;;) {
		ret = ipc_check_perm(t, &q->perm, 0400);
		if (ret < 0)
			goto out;
		m = msg_select(q, type, flags, &link);
		if (m)
			break;
		if (flags & IPC_NOWAIT) {
			ret = -ENOMSG;
			goto out;
		}
		ret = msg_wait(t, id, q);
		if (ret < 0)
			goto out;
	}
	if (m->size > (size_t)size && !(flags & MSG_NOERROR)) {
		m = NULL;
		ret = -E2BIG;
		goto out;
	}
	/* Take the message off the queue before copying, as Linux does: a
	 * copy that faults loses it. */
	*link = m->next;
	if (q->tail == m) {
		q->tail = NULL;
		for (struct msg *p = q->head; p; p = p->next)
			q->tail = p;
	}
	q->bytes -= m->size;
	q->count--;
	q->lrpid = t->tg->tgid;
	q->rtime = ipc_now();
	pthread_cond_broadcast(&msg_cond);
out:
	pthread_mutex_unlock(&msg_lock);
	if (!m)
		return ret;
	size_t copied = m->size < (size_t)size ? m->size : (size_t)size;
	if (copy_to_user(t, args[1], &m->type, sizeof(m->type)) < 0 ||
	    copy_to_user(t, args[1] + sizeof(long), m->text, copied) < 0)
		ret = -EFAULT;
	else
		ret = copied;
	free(m);
	return ret;
}

SYSCALL_DEFINE(SYS_msgctl, msgctl)
{
	int id = (int)args[0], cmd = (int)args[1];
	struct msqid_ds ds;
	struct msg_queue *q;
	long ret = 0;

	if (id < 0)
		return -EINVAL;
	if (cmd == IPC_SET && copy_from_user(t, &ds, args[2], sizeof(ds)) < 0)
		return -EFAULT;

	pthread_mutex_lock(&msg_lock);
	q = ipc_find_id(&msg_table, id);
	if (!q) {
		pthread_mutex_unlock(&msg_lock);
		return -EINVAL;
	}
	switch (cmd) {
	case IPC_STAT:
		ret = ipc_check_perm(t, &q->perm, 0400);
		if (ret < 0)
			break;
		memset(&ds, 0, sizeof(ds));
		ipc_fill_perm(&q->perm, &ds.msg_perm);
		ds.msg_stime = q->stime;
		ds.msg_rtime = q->rtime;
		ds.msg_ctime = q->ctime;
		ds.__msg_cbytes = q->bytes;
		ds.msg_qnum = q->count;
		ds.msg_qbytes = q->max_bytes;
		ds.msg_lspid = q->lspid;
		ds.msg_lrpid = q->lrpid;
		break;
	case IPC_SET:
		ret = ipc_check_owner(t, &q->perm);
		if (ret < 0)
			break;
		/* Raising the limit above MSGMNB needs CAP_SYS_RESOURCE. */
		if (ds.msg_qbytes > MSG_MAX_BYTES &&
		    ds.msg_qbytes > q->max_bytes && !capable(t)) {
			ret = -EPERM;
			break;
		}
		ipc_set_perm(&q->perm, &ds.msg_perm);
		q->max_bytes = ds.msg_qbytes;
		q->ctime = ipc_now();
		pthread_cond_broadcast(&msg_cond);
		break;
	case IPC_RMID:
		ret = ipc_check_owner(t, &q->perm);
		if (ret == 0)
			msg_destroy(q, id);
		break;
	default:
		/* NOTE: IPC_INFO, MSG_INFO, MSG_STAT and MSG_STAT_ANY are
		 * not implemented. */
		ret = -EINVAL;
		break;
	}
	pthread_mutex_unlock(&msg_lock);
	if (ret == 0 && cmd == IPC_STAT &&
	    copy_to_user(t, args[2], &ds, sizeof(ds)) < 0)
		return -EFAULT;
	return ret;
}
