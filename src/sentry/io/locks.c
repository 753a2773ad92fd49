/* Advisory locks: fcntl record locks (F_GETLK, F_SETLK, F_SETLKW and the
 * F_OFD_* variants) and flock(2), shared by every guest process of the
 * sentry.
 *
 * Locks are kept per locked file in a lock_context, found by a key: the
 * sentry inode when the file has one, else the st_dev and st_ino its
 * stat operation reports. flock locks and record locks never conflict
 * with each other, as on Linux. Record locks of the two kinds (POSIX,
 * owned by an FD table, and OFD, owned by an open file description)
 * share one list and do conflict.
 *
 * Locking: locks_mutex protects the context table, every context and
 * lock in it, posix_waiters and the counters. Waiters sleep on
 * locks_cond, which is broadcast whenever a lock is released or shrunk.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/fs/fs.h"
#include "sentry/io/io_internal.h"
#include "sentry/io/locks.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/wait.h"

#ifndef F_OFD_GETLK
#define F_OFD_GETLK  36
#define F_OFD_SETLK  37
#define F_OFD_SETLKW 38
#endif

/* Linux's OFFSET_MAX: a lock end meaning "to the end of the file". */
#define LOCK_OFFSET_MAX INT64_MAX
/* Linux's MAX_DEADLK_ITERATIONS: the longest wait-for chain followed. */
#define LOCK_DEADLOCK_DEPTH 10
#define LOCK_TABLE_SIZE	    64

enum lock_kind { LOCK_KIND_FLOCK, LOCK_KIND_POSIX, LOCK_KIND_OFD };

struct file_lock {
	struct file_lock *next;
	enum lock_kind kind;
	short type;	    /* F_RDLCK or F_WRLCK */
	int64_t start, end; /* inclusive byte range */
	/* The FD table for POSIX locks, the struct file otherwise. Only
	 * compared, never dereferenced. */
	const void *owner;
	pid_t pid; /* tgid of the locking process, for F_GETLK */
};

/* Identity of a locked file. */
struct lock_key {
	const void *object; /* the inode or, failing a stat, the file */
	dev_t dev;
	ino_t ino;
};

struct lock_context {
	struct lock_context *next; /* hash chain */
	struct lock_key key;
	struct inode *inode; /* reference, or NULL */
	struct file_lock *flocks;
	/* POSIX and OFD locks, grouped by owner in the order owners first
	 * locked, each group sorted by start (the order F_GETLK searches,
	 * as on Linux). */
	struct file_lock *records;
	int waiters; /* tasks sleeping on this context: keeps it alive */
};

/* A process sleeping in F_SETLKW on a POSIX lock, for deadlock
 * detection. */
struct posix_waiter {
	struct posix_waiter *next;
	const void *owner;
	const void *blocker; /* owner of the lock it waits for */
};

static pthread_mutex_t locks_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t locks_cond = PTHREAD_COND_INITIALIZER;
static struct lock_context *lock_table[LOCK_TABLE_SIZE];
static struct posix_waiter *posix_waiters;
/* Locks in records lists, and flock plus OFD locks: the close paths skip
 * all work while these are zero. Read without the mutex there. */
static long nr_record_locks;
static long nr_file_owned_locks;

static void lock_key_of(struct file *f, struct lock_key *key)
{
	struct stat st;

	*key = (struct lock_key){0};
	if (f->f_inode) {
		key->object = f->f_inode;
	} else if (f->f_op->stat && f->f_op->stat(f, &st) == 0) {
		key->dev = st.st_dev;
		key->ino = st.st_ino;
	} else {
		/* NOTE: such a file only conflicts with itself. */
		key->object = f;
	}
}

static bool lock_key_equal(const struct lock_key *a, const struct lock_key *b)
{
	return a->object == b->object && a->dev == b->dev && a->ino == b->ino;
}

static struct lock_context **lock_bucket(const struct lock_key *key)
{
	uint64_t h =
	    (uintptr_t)key->object ^ key->ino ^ ((uint64_t)key->dev << 17);

	h ^= h >> 29;
	h *= 0x9e3779b97f4a7c15ULL;
	return &lock_table[(h >> 40) % LOCK_TABLE_SIZE];
}

/* Find the context for f's file, creating it if create is set. */
static struct lock_context *
lock_context_find(struct file *f, const struct lock_key *key, bool create)
{
	struct lock_context **bucket = lock_bucket(key);
	struct lock_context *ctx;

	for (ctx = *bucket; ctx; ctx = ctx->next) {
		if (lock_key_equal(&ctx->key, key))
			return ctx;
	}
	if (!create)
		return NULL;
	ctx = xcalloc(1, sizeof(*ctx));
	ctx->key = *key;
	if (f->f_inode)
		ctx->inode = inode_get(f->f_inode);
	ctx->next = *bucket;
	*bucket = ctx;
	return ctx;
}

/* Unlink ctx if it contains no locks and no task waits on it. The caller
 * frees the returned context after dropping locks_mutex, because
 * inode_put may call into the file system. */
static struct lock_context *lock_context_unlink_unused(struct lock_context *ctx)
{
	if (!ctx || ctx->flocks || ctx->records || ctx->waiters)
		return NULL;

	struct lock_context **pp = lock_bucket(&ctx->key);

	while (*pp != ctx)
		pp = &(*pp)->next;
	*pp = ctx->next;
	return ctx;
}

static void lock_context_free(struct lock_context *ctx)
{
	if (!ctx)
		return;
	if (ctx->inode)
		inode_put(ctx->inode);
	free(ctx);
}

static bool ranges_overlap(const struct file_lock *a, const struct file_lock *b)
{
	return a->start <= b->end && b->start <= a->end;
}

static bool locks_conflict(const struct file_lock *held,
			   const struct file_lock *req)
{
	if (held->owner == req->owner)
		return false;
	if (req->kind != LOCK_KIND_FLOCK && !ranges_overlap(held, req))
		return false;
	return held->type == F_WRLCK || req->type == F_WRLCK;
}

static struct file_lock *find_conflict(struct file_lock *list,
				       const struct file_lock *req)
{
	for (struct file_lock *l = list; l; l = l->next) {
		if (locks_conflict(l, req))
			return l;
	}
	return NULL;
}

static struct file_lock *lock_dup(const struct file_lock *l)
{
	struct file_lock *copy = xmalloc(sizeof(*copy));

	*copy = *l;
	copy->next = NULL;
	return copy;
}

static void lock_count(const struct file_lock *l, long delta)
{
	if (l->kind != LOCK_KIND_FLOCK)
		nr_record_locks += delta;
	if (l->kind != LOCK_KIND_POSIX)
		nr_file_owned_locks += delta;
}

/* Insert l into the records list: after the last lock of its owner that
 * starts before it, or at the end if its owner holds none. */
static void records_insert(struct lock_context *ctx, struct file_lock *l)
{
	struct file_lock **pp = &ctx->records;
	bool in_group = false;

	for (; *pp; pp = &(*pp)->next) {
		if ((*pp)->owner == l->owner) {
			in_group = true;
			if ((*pp)->start > l->start)
				break;
		} else if (in_group) {
			break;
		}
	}
	l->next = *pp;
	*pp = l;
	lock_count(l, 1);
}

/* Apply req (F_UNLCK or a lock that conflicts with nothing) to its
 * owner's records, as Linux's posix_lock_inode does. The owner's locks
 * lose [start, end], split where needed. Then req is added, merged with
 * the adjacent and overlapping locks of its type. */
static void records_apply(struct lock_context *ctx, const struct file_lock *req)
{
	struct file_lock **pp = &ctx->records;
	int64_t start = req->start, end = req->end;

	/* Same-type neighbours widen the request first, so the clearing
	 * pass below removes them. A wider range may reach more of them. */
	for (bool widened = req->type != F_UNLCK; widened;) {
		widened = false;
		for (struct file_lock *l = ctx->records; l; l = l->next) {
			if (l->owner != req->owner || l->type != req->type)
				continue;
			bool touches =
			    (l->start <= end && start <= l->end) ||
			    (l->end != LOCK_OFFSET_MAX &&
			     l->end + 1 == start) ||
			    (end != LOCK_OFFSET_MAX && end + 1 == l->start);
			if (touches && (l->start < start || l->end > end)) {
				start = MIN(start, l->start);
				end = MAX(end, l->end);
				widened = true;
			}
		}
	}

	while (*pp) {
		struct file_lock *l = *pp;

		if (l->owner != req->owner || l->end < start ||
		    l->start > end) {
			pp = &l->next;
			continue;
		}
		if (l->start < start && l->end > end) {
			struct file_lock *tail = lock_dup(l);

			tail->start = end + 1;
			l->end = start - 1;
			tail->next = l->next;
			l->next = tail;
			lock_count(tail, 1);
			pp = &tail->next;
		} else if (l->start < start) {
			l->end = start - 1;
			pp = &l->next;
		} else if (l->end > end) {
			l->start = end + 1;
			pp = &l->next;
		} else {
			*pp = l->next;
			lock_count(l, -1);
			free(l);
		}
	}

	if (req->type != F_UNLCK) {
		struct file_lock *l = lock_dup(req);

		l->start = start;
		l->end = end;
		records_insert(ctx, l);
	}
}

/* Would owner waiting for blocker close a cycle of POSIX waiters? */
static bool posix_deadlock(const void *owner, const struct file_lock *blocker)
{
	const void *next = blocker->owner;

	for (int depth = 0; depth < LOCK_DEADLOCK_DEPTH; depth++) {
		struct posix_waiter *w = posix_waiters;

		while (w && w->owner != next)
			w = w->next;
		if (!w)
			return false;
		next = w->blocker;
		if (next == owner)
			return true;
	}
	return false;
}

static void posix_waiter_unlink(struct posix_waiter *waiter)
{
	struct posix_waiter **pp = &posix_waiters;

	while (*pp != waiter)
		pp = &(*pp)->next;
	*pp = waiter->next;
}

/* Sleep on ctx until a lock is released (locks_mutex held). Returns 0 or
 * -ERESTARTSYS. */
static int lock_wait(struct task *t, struct lock_context *ctx)
{
	int err;

	ctx->waiters++;
	err = task_wait_cond(t, &locks_cond, &locks_mutex, NULL);
	ctx->waiters--;
	return err;
}

/* Convert a struct flock's whence, start and length into an inclusive
 * range, with the errors of Linux's flock64_to_posix_lock. */
static int flock_to_range(struct file *f, const struct flock *fl,
			  struct file_lock *lock)
{
	int64_t start;
	struct stat st;

	switch (fl->l_whence) {
	case SEEK_SET:
		start = 0;
		break;
	case SEEK_CUR:
		start = __atomic_load_n(&f->f_pos, __ATOMIC_RELAXED);
		break;
	case SEEK_END:
		if (f->f_inode && inode_getattr(f->f_inode, &st) == 0)
			start = st.st_size;
		else if (!f->f_inode && f->f_op->stat &&
			 f->f_op->stat(f, &st) == 0)
			start = st.st_size;
		else
			start = 0;
		break;
	default:
		return -EINVAL;
	}
	if (__builtin_add_overflow(start, (int64_t)fl->l_start, &start))
		return -EOVERFLOW;
	if (start < 0)
		return -EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > LOCK_OFFSET_MAX - start)
			return -EOVERFLOW;
		lock->start = start;
		lock->end = start + (fl->l_len - 1);
	} else if (fl->l_len < 0) {
		if (start + fl->l_len < 0)
			return -EINVAL;
		lock->start = start + fl->l_len;
		lock->end = start - 1;
	} else {
		lock->start = start;
		lock->end = LOCK_OFFSET_MAX;
	}
	return 0;
}

/* F_GETLK and F_OFD_GETLK: report the first lock that would conflict
 * with req, or set l_type to F_UNLCK and leave the rest as passed. */
static long record_getlk(struct task *t, struct file *f, uint64_t arg,
			 struct flock *fl, const struct file_lock *req)
{
	struct lock_key key;
	struct lock_context *ctx;
	struct file_lock *conflict = NULL;

	lock_key_of(f, &key);
	pthread_mutex_lock(&locks_mutex);
	ctx = lock_context_find(f, &key, false);
	if (ctx)
		conflict = find_conflict(ctx->records, req);
	if (conflict) {
		fl->l_type = conflict->type;
		fl->l_whence = SEEK_SET;
		fl->l_start = conflict->start;
		fl->l_len = conflict->end == LOCK_OFFSET_MAX
				? 0
				: conflict->end - conflict->start + 1;
		/* Linux reports -1 for OFD locks, which no process owns. */
		fl->l_pid =
		    conflict->kind == LOCK_KIND_OFD ? -1 : conflict->pid;
	} else {
		fl->l_type = F_UNLCK;
	}
	pthread_mutex_unlock(&locks_mutex);
	return copy_to_user(t, arg, fl, sizeof(*fl));
}

/* F_SETLK, F_SETLKW and the OFD variants. */
static long record_setlk(struct task *t, struct file *f,
			 const struct file_lock *req, bool wait)
{
	struct lock_key key;
	struct lock_context *ctx, *unused;
	struct posix_waiter waiter = {.owner = req->owner};
	long ret;

	lock_key_of(f, &key);
	pthread_mutex_lock(&locks_mutex);
	ctx = lock_context_find(f, &key, req->type != F_UNLCK);
	if (!ctx) {
		pthread_mutex_unlock(&locks_mutex);
		return 0;
	}
	for (;;) {
		struct file_lock *conflict = NULL;

		if (req->type != F_UNLCK)
			conflict = find_conflict(ctx->records, req);
		if (!conflict) {
			records_apply(ctx, req);
			pthread_cond_broadcast(&locks_cond);
			ret = 0;
			break;
		}
		if (!wait) {
			ret = -EAGAIN;
			break;
		}
		if (req->kind == LOCK_KIND_POSIX &&
		    posix_deadlock(req->owner, conflict)) {
			ret = -EDEADLK;
			break;
		}
		if (req->kind == LOCK_KIND_POSIX) {
			waiter.blocker = conflict->owner;
			waiter.next = posix_waiters;
			posix_waiters = &waiter;
		}
		ret = lock_wait(t, ctx);
		if (req->kind == LOCK_KIND_POSIX)
			posix_waiter_unlink(&waiter);
		if (ret < 0)
			break;
	}
	unused = lock_context_unlink_unused(ctx);
	pthread_mutex_unlock(&locks_mutex);
	lock_context_free(unused);
	return ret;
}

long fcntl_lock(struct task *t, struct file *f, int cmd, uint64_t arg)
{
	struct flock fl;
	struct file_lock req = {0};
	bool ofd =
	    cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	bool get = cmd == F_GETLK || cmd == F_OFD_GETLK;
	int err;

	if (copy_from_user(t, &fl, arg, sizeof(fl)) < 0)
		return -EFAULT;

	/* The checks run in the order of Linux's fcntl_getlk and
	 * fcntl_setlk, so a request with several faults gets its errno. */
	if (get && fl.l_type != F_RDLCK && fl.l_type != F_WRLCK)
		return -EINVAL;
	err = flock_to_range(f, &fl, &req);
	if (err < 0)
		return err;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK &&
	    fl.l_type != F_UNLCK)
		return -EINVAL;
	if (!get && fl.l_type == F_RDLCK && !file_readable(f))
		return -EBADF;
	if (!get && fl.l_type == F_WRLCK && !file_writable(f))
		return -EBADF;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;

	req.kind = ofd ? LOCK_KIND_OFD : LOCK_KIND_POSIX;
	req.type = fl.l_type;
	req.owner = ofd ? (const void *)f : (const void *)t->files;
	req.pid = t->tg->tgid;
	if (get)
		return record_getlk(t, f, arg, &fl, &req);
	return record_setlk(t, f, &req, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

/* flock(2) on f. Converting a lock first drops the old one, so a
 * LOCK_NB conversion that fails leaves no lock, as on Linux. */
static long flock_file(struct task *t, struct file *f, short type, bool wait)
{
	struct file_lock req = {
	    .kind = LOCK_KIND_FLOCK,
	    .type = type,
	    .end = LOCK_OFFSET_MAX,
	    .owner = f,
	    .pid = t->tg->tgid,
	};
	struct lock_key key;
	struct lock_context *ctx, *unused;
	long ret = 0;

	lock_key_of(f, &key);
	pthread_mutex_lock(&locks_mutex);
	ctx = lock_context_find(f, &key, type != F_UNLCK);
	if (!ctx) {
		pthread_mutex_unlock(&locks_mutex);
		return 0;
	}

	for (struct file_lock **pp = &ctx->flocks; *pp; pp = &(*pp)->next) {
		struct file_lock *l = *pp;

		if (l->owner != f)
			continue;
		if (l->type == type)
			goto out;
		*pp = l->next;
		lock_count(l, -1);
		free(l);
		pthread_cond_broadcast(&locks_cond);
		break;
	}

	while (type != F_UNLCK) {
		if (!find_conflict(ctx->flocks, &req)) {
			struct file_lock *l = lock_dup(&req);
			struct file_lock **pp = &ctx->flocks;

			while (*pp)
				pp = &(*pp)->next;
			*pp = l;
			lock_count(l, 1);
			break;
		}
		if (!wait) {
			ret = -EWOULDBLOCK;
			break;
		}
		ret = lock_wait(t, ctx);
		if (ret < 0)
			break;
	}
out:
	unused = lock_context_unlink_unused(ctx);
	pthread_mutex_unlock(&locks_mutex);
	lock_context_free(unused);
	return ret;
}

#ifndef LOCK_MAND
#define LOCK_MAND 32
#endif

SYSCALL_DEFINE(SYS_flock, flock)
{
	unsigned op = (unsigned)args[1];
	unsigned cmd = op & ~LOCK_NB;
	struct file *f;
	short type;
	long ret;

	/* Linux (checked on 6.18) ignores LOCK_MAND requests before any
	 * other check, even of the FD. */
	if (op & LOCK_MAND)
		return 0;
	if (cmd == LOCK_SH)
		type = F_RDLCK;
	else if (cmd == LOCK_EX)
		type = F_WRLCK;
	else if (cmd == LOCK_UN)
		type = F_UNLCK;
	else
		return -EINVAL;

	f = fget(t, (int)args[0]);
	if (!f)
		return -EBADF;
	if (f->f_flags & O_PATH)
		ret = -EBADF;
	else
		ret =
		    flock_file(t, f, type, type != F_UNLCK && !(op & LOCK_NB));
	file_put(f);
	return ret;
}

void locks_remove_posix(struct fdtable *fdt, struct file *f)
{
	struct lock_key key;
	struct lock_context *ctx, *unused;

	if (!f || !fdt ||
	    __atomic_load_n(&nr_record_locks, __ATOMIC_RELAXED) == 0)
		return;
	lock_key_of(f, &key);
	pthread_mutex_lock(&locks_mutex);
	ctx = lock_context_find(f, &key, false);
	if (ctx) {
		for (struct file_lock **pp = &ctx->records; *pp;) {
			struct file_lock *l = *pp;

			if (l->kind != LOCK_KIND_POSIX || l->owner != fdt) {
				pp = &l->next;
				continue;
			}
			*pp = l->next;
			lock_count(l, -1);
			free(l);
		}
		pthread_cond_broadcast(&locks_cond);
	}
	unused = lock_context_unlink_unused(ctx);
	pthread_mutex_unlock(&locks_mutex);
	lock_context_free(unused);
}

/* Free the locks in list owned by owner. Returns whether any were freed. */
static bool remove_owned(struct file_lock **list, const void *owner)
{
	bool removed = false;

	for (struct file_lock **pp = list; *pp;) {
		struct file_lock *l = *pp;

		if (l->owner != owner) {
			pp = &l->next;
			continue;
		}
		*pp = l->next;
		lock_count(l, -1);
		free(l);
		removed = true;
	}
	return removed;
}

void locks_remove_file(struct file *f)
{
	struct lock_context *doomed = NULL;

	if (__atomic_load_n(&nr_file_owned_locks, __ATOMIC_RELAXED) == 0)
		return;
	pthread_mutex_lock(&locks_mutex);
	/* The file's key may need a stat, so search every context: few
	 * files are locked at once. */
	for (int i = 0; i < LOCK_TABLE_SIZE; i++) {
		struct lock_context *ctx = lock_table[i];

		while (ctx) {
			struct lock_context *next = ctx->next;
			bool removed = remove_owned(&ctx->flocks, f);

			removed |= remove_owned(&ctx->records, f);
			if (removed) {
				struct lock_context *unused =
				    lock_context_unlink_unused(ctx);

				if (unused) {
					unused->next = doomed;
					doomed = unused;
				}
			}
			ctx = next;
		}
	}
	pthread_cond_broadcast(&locks_cond);
	pthread_mutex_unlock(&locks_mutex);

	while (doomed) {
		struct lock_context *next = doomed->next;

		lock_context_free(doomed);
		doomed = next;
	}
}
