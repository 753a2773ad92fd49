/* System V semaphores: semget, semop, semtimedop and semctl.
 *
 * A semop applies all of its operations at once or none. A caller that
 * must wait sleeps on sem_cond, which every change to any semaphore
 * broadcasts, and tries again when woken. A signal ends the wait with
 * EINTR, as on Linux, which never restarts semop.
 *
 * SEM_UNDO records each process's adjustments per semaphore set. The
 * sentry has no hook at process exit, so the adjustments of a process
 * that has exited are applied the next time any semaphore call runs, and
 * a waiting semop checks for them at least every SEM_UNDO_POLL_NS.
 * NOTE: a waiter can therefore get a dead process's undo up to that much
 * later than on Linux.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/ipc/ipc.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/sys_misc/timespec.h"
#include "sentry/task.h"
#include "sentry/wait.h"

/* Linux's defaults (include/uapi/linux/sem.h). */
#define SEM_MAX_SETS	 32000 /* SEMMNI */
#define SEM_MAX_PER_SET	 32000 /* SEMMSL */
#define SEM_MAX_OPS	 500   /* SEMOPM */
#define SEM_MAX_VALUE	 32767 /* SEMVMX */
#define SEM_UNDO_POLL_NS (100 * 1000 * 1000)

struct sem_value {
	int value;
	pid_t pid;	    /* the process of the last operation */
	int ncount, zcount; /* waiters for an increase and for zero */
};

struct sem_set {
	struct ipc_perm_state perm; /* first, for the ipc_table helpers */
	int nsems;
	struct sem_value *sems;
	time_t otime, ctime;
};

/* The SEM_UNDO adjustments of one process for one set. */
struct sem_undo {
	struct thread_group *tg;
	pid_t tgid;
	int semid;
	short *adjust; /* nsems entries, subtracted from the values at exit */
	int nsems;
	struct sem_undo *next;
};

/* sem_lock protects sem_table, every set and sem_undos. sem_cond is
 * broadcast after every change of a value and every removal. */
static pthread_mutex_t sem_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sem_cond = PTHREAD_COND_INITIALIZER;
static struct ipc_table sem_table = {.max = SEM_MAX_SETS};
static struct sem_undo *sem_undos;

static void sem_undo_free(struct sem_undo **pp)
{
	struct sem_undo *u = *pp;

	*pp = u->next;
	free(u->adjust);
	free(u);
}

/* Is tg, known by tgid, still a live process? Takes tasklist_lock, which
 * comes before sem_lock. */
static bool process_alive(struct thread_group *tg, pid_t tgid)
{
	bool alive;

	pthread_mutex_lock(&tasklist_lock);
	alive = pid_thread_group(tgid) == tg && !tg->exited;
	pthread_mutex_unlock(&tasklist_lock);
	return alive;
}

/* Apply and drop the undo records of processes that have exited (called
 * without sem_lock). */
static void sem_apply_dead_undos(void)
{
	struct {
		struct thread_group *tg;
		pid_t tgid;
	} * owners;
	size_t n = 0, i = 0;

	pthread_mutex_lock(&sem_lock);
	for (struct sem_undo *u = sem_undos; u; u = u->next)
		n++;
	owners = xcalloc(n + 1, sizeof(*owners));
	for (struct sem_undo *u = sem_undos; u; u = u->next) {
		owners[i].tg = u->tg;
		owners[i++].tgid = u->tgid;
	}
	pthread_mutex_unlock(&sem_lock);

	for (i = 0; i < n; i++) {
		if (process_alive(owners[i].tg, owners[i].tgid))
			continue;
		pthread_mutex_lock(&sem_lock);
		for (struct sem_undo **pp = &sem_undos; *pp;) {
			struct sem_undo *u = *pp;
			struct sem_set *set;

			if (u->tg != owners[i].tg ||
			    u->tgid != owners[i].tgid) {
				pp = &u->next;
				continue;
			}
			set = ipc_find_id(&sem_table, u->semid);
			for (int s = 0; set && s < set->nsems; s++) {
				/* Linux clamps the result to 0..SEMVMX. */
				int v = set->sems[s].value + u->adjust[s];

				if (v < 0)
					v = 0;
				if (v > SEM_MAX_VALUE)
					v = SEM_MAX_VALUE;
				set->sems[s].value = v;
				set->sems[s].pid = u->tgid;
			}
			sem_undo_free(pp);
		}
		pthread_cond_broadcast(&sem_cond);
		pthread_mutex_unlock(&sem_lock);
	}
	free(owners);
}

/* The undo record of t's process for set semid, created if missing
 * (sem_lock held). */
static struct sem_undo *sem_undo_of(struct task *t, int semid, int nsems)
{
	struct sem_undo *u;

	for (u = sem_undos; u; u = u->next)
		if (u->tg == t->tg && u->tgid == t->tg->tgid &&
		    u->semid == semid)
			return u;
	u = xcalloc(1, sizeof(*u));
	u->tg = t->tg;
	u->tgid = t->tg->tgid;
	u->semid = semid;
	u->nsems = nsems;
	u->adjust = xcalloc(nsems, sizeof(*u->adjust));
	u->next = sem_undos;
	sem_undos = u;
	return u;
}

/* Drop every undo record of semid, or only its adjustments of semaphore
 * num (num >= 0), as SETVAL and SETALL do (sem_lock held). */
static void sem_undo_clear(int semid, int num)
{
	for (struct sem_undo **pp = &sem_undos; *pp;) {
		struct sem_undo *u = *pp;

		if (u->semid != semid) {
			pp = &u->next;
		} else if (num >= 0) {
			u->adjust[num] = 0;
			pp = &u->next;
		} else {
			sem_undo_free(pp);
		}
	}
}

static void sem_destroy(struct sem_set *set, int id)
{
	sem_undo_clear(id, -1);
	ipc_remove(&sem_table, id);
	free(set->sems);
	free(set);
	pthread_cond_broadcast(&sem_cond);
}

static long sem_create(struct task *t, key_t key, int nsems, int flags)
{
	struct sem_set *set;
	int id;

	if (nsems <= 0 || nsems > SEM_MAX_PER_SET)
		return -EINVAL;
	set = xcalloc(1, sizeof(*set));
	ipc_init_perm(t, &set->perm, key, flags);
	set->nsems = nsems;
	set->sems = xcalloc(nsems, sizeof(*set->sems));
	set->ctime = ipc_now();
	id = ipc_add(&sem_table, set);
	if (id < 0) {
		free(set->sems);
		free(set);
	}
	return id;
}

SYSCALL_DEFINE(SYS_semget, semget)
{
	key_t key = (key_t)args[0];
	int nsems = (int)args[1], flags = (int)args[2];
	struct sem_set *set;
	long ret;

	if (nsems < 0 || nsems > SEM_MAX_PER_SET)
		return -EINVAL;
	pthread_mutex_lock(&sem_lock);
	set = key == IPC_PRIVATE ? NULL : ipc_find_key(&sem_table, key);
	if (!set) {
		if (key != IPC_PRIVATE && !(flags & IPC_CREAT))
			ret = -ENOENT;
		else
			ret = sem_create(t, key, nsems, flags);
	} else if ((flags & IPC_CREAT) && (flags & IPC_EXCL)) {
		ret = -EEXIST;
	} else {
		ret = ipc_check_perm(t, &set->perm, flags);
		if (ret == 0 && set->nsems < nsems)
			ret = -EINVAL;
		if (ret == 0)
			ret = ipc_id_of(&sem_table, set);
	}
	pthread_mutex_unlock(&sem_lock);
	return ret;
}

/* Try to apply every operation of sops (sem_lock held). Returns 0 when
 * applied, -EAGAIN when the caller must wait (with *blocker set to the
 * operation that would block), or another negative errno. */
static int sem_try(struct task *t, struct sem_set *set, int semid,
		   const struct sembuf *sops, int nsops, int *blocker)
{
	int *values = xmalloc(set->nsems * sizeof(int));
	int err = 0;

	for (int s = 0; s < set->nsems; s++)
		values[s] = set->sems[s].value;
	for (int i = 0; i < nsops; i++) {
		int v = values[sops[i].sem_num];

		if (sops[i].sem_op == 0 ? v != 0 : v + sops[i].sem_op < 0) {
			*blocker = i;
			err = -EAGAIN;
			goto out;
		}
		v += sops[i].sem_op;
		if (v > SEM_MAX_VALUE) {
			err = -ERANGE;
			goto out;
		}
		values[sops[i].sem_num] = v;
	}
	for (int i = 0; i < nsops; i++) {
		if (!(sops[i].sem_flg & SEM_UNDO) || sops[i].sem_op == 0)
			continue;
		struct sem_undo *u = sem_undo_of(t, semid, set->nsems);
		int adjust = u->adjust[sops[i].sem_num] - sops[i].sem_op;

		/* Linux's limit on an adjustment. */
		if (adjust < -SEM_MAX_VALUE - 1 || adjust > SEM_MAX_VALUE) {
			err = -ERANGE;
			goto out;
		}
	}
	for (int i = 0; i < nsops; i++) {
		if ((sops[i].sem_flg & SEM_UNDO) && sops[i].sem_op != 0)
			sem_undo_of(t, semid, set->nsems)
			    ->adjust[sops[i].sem_num] -= sops[i].sem_op;
		set->sems[sops[i].sem_num].pid = t->tg->tgid;
	}
	for (int s = 0; s < set->nsems; s++)
		set->sems[s].value = values[s];
	set->otime = ipc_now();
out:
	free(values);
	return err;
}

static long do_semtimedop(struct task *t, int semid, uint64_t sops_addr,
			  size_t nsops, const struct timespec *timeout)
{
	struct sembuf *sops;
	struct sem_set *set;
	bool alter = false;
	int64_t deadline_ns = 0;
	long ret;

	if (nsops < 1 || semid < 0)
		return -EINVAL;
	if (nsops > SEM_MAX_OPS)
		return -E2BIG;
	sops = xmalloc(nsops * sizeof(*sops));
	if (copy_from_user(t, sops, sops_addr, nsops * sizeof(*sops)) < 0) {
		free(sops);
		return -EFAULT;
	}
	if (timeout) {
		if (!timespec_valid(timeout)) {
			free(sops);
			return -EINVAL;
		}
		deadline_ns = ns_add(host_clock_ns(CLOCK_MONOTONIC),
				     timespec_to_ns(timeout));
	}
	for (size_t i = 0; i < nsops; i++)
		if (sops[i].sem_op != 0)
			alter = true;

	sem_apply_dead_undos();
	pthread_mutex_lock(&sem_lock);
	set = ipc_find_id(&sem_table, semid);
	if (!set) {
		ret = -EINVAL;
		goto out;
	}
	for (size_t i = 0; i < nsops; i++) {
		if (sops[i].sem_num >= set->nsems) {
			ret = -EFBIG;
			goto out;
		}
	}
	ret = ipc_check_perm(t, &set->perm, alter ? 0200 : 0400);
	if (ret < 0)
		goto out;

	for (;;) {
		int blocker = 0;
		struct sem_value *waited;
		struct timespec wake;
		int64_t wake_ns;

		ret = sem_try(t, set, semid, sops, nsops, &blocker);
		if (ret == 0)
			pthread_cond_broadcast(&sem_cond);
		if (ret != -EAGAIN)
			break;
		if (sops[blocker].sem_flg & IPC_NOWAIT)
			break;
		if (timeout && host_clock_ns(CLOCK_MONOTONIC) >= deadline_ns)
			break;

		/* Wake up at the timeout, or earlier to apply the undo of
		 * processes that exited. */
		wake_ns =
		    ns_add(host_clock_ns(CLOCK_MONOTONIC), SEM_UNDO_POLL_NS);
		if (timeout && deadline_ns < wake_ns)
			wake_ns = deadline_ns;
		wake = ns_to_timespec(wake_ns);
		waited = &set->sems[sops[blocker].sem_num];
		if (sops[blocker].sem_op == 0)
			waited->zcount++;
		else
			waited->ncount++;
		int r = task_wait_cond(t, &sem_cond, &sem_lock, &wake);

		/* The set may have been removed while this task slept. */
		if (ipc_find_id(&sem_table, semid) != set) {
			ret = -EIDRM;
			break;
		}
		if (sops[blocker].sem_op == 0)
			waited->zcount--;
		else
			waited->ncount--;
		if (r == -ERESTARTSYS) {
			ret = -EINTR;
			break;
		}
		pthread_mutex_unlock(&sem_lock);
		sem_apply_dead_undos();
		pthread_mutex_lock(&sem_lock);
		if (ipc_find_id(&sem_table, semid) != set) {
			ret = -EIDRM;
			break;
		}
	}
out:
	pthread_mutex_unlock(&sem_lock);
	free(sops);
	return ret;
}

SYSCALL_DEFINE(SYS_semop, semop)
{
	return do_semtimedop(t, (int)args[0], args[1], args[2], NULL);
}

SYSCALL_DEFINE(SYS_semtimedop, semtimedop)
{
	struct timespec timeout;

	if (!args[3])
		return do_semtimedop(t, (int)args[0], args[1], args[2], NULL);
	if (copy_from_user(t, &timeout, args[3], sizeof(timeout)) < 0)
		return -EFAULT;
	return do_semtimedop(t, (int)args[0], args[1], args[2], &timeout);
}

/* GETALL: copy the values out (sem_lock held on entry, dropped here
 * before touching guest memory). */
static long sem_getall(struct task *t, struct sem_set *set, uint64_t addr)
{
	int n = set->nsems;
	unsigned short *values = xmalloc(n * sizeof(*values));
	long ret = 0;

	for (int s = 0; s < n; s++)
		values[s] = set->sems[s].value;
	pthread_mutex_unlock(&sem_lock);
	if (copy_to_user(t, addr, values, n * sizeof(*values)) < 0)
		ret = -EFAULT;
	free(values);
	return ret;
}

/* SETALL with values already copied in (sem_lock held). */
static long sem_setall(struct task *t, struct sem_set *set, int semid,
		       const unsigned short *values)
{
	for (int s = 0; s < set->nsems; s++)
		if (values[s] > SEM_MAX_VALUE)
			return -ERANGE;
	for (int s = 0; s < set->nsems; s++) {
		set->sems[s].value = values[s];
		set->sems[s].pid = t->tg->tgid;
	}
	sem_undo_clear(semid, -1);
	set->ctime = ipc_now();
	pthread_cond_broadcast(&sem_cond);
	return 0;
}

/* Copy the SETALL array from the guest, sized by the set's current
 * number of semaphores. */
static long sem_copy_setall(struct task *t, int semid, uint64_t addr,
			    unsigned short **out)
{
	struct sem_set *set;
	int n;

	pthread_mutex_lock(&sem_lock);
	set = ipc_find_id(&sem_table, semid);
	n = set ? set->nsems : 0;
	pthread_mutex_unlock(&sem_lock);
	if (!set)
		return -EINVAL;
	*out = xmalloc(n * sizeof(**out));
	if (copy_from_user(t, *out, addr, n * sizeof(**out)) < 0) {
		free(*out);
		*out = NULL;
		return -EFAULT;
	}
	return n;
}

SYSCALL_DEFINE(SYS_semctl, semctl)
{
	int semid = (int)args[0], num = (int)args[1], cmd = (int)args[2];
	uint64_t arg = args[3];
	unsigned short *setall = NULL;
	struct semid_ds ds;
	struct sem_set *set;
	long ret = 0;

	if (semid < 0)
		return -EINVAL;
	if (cmd == IPC_SET && copy_from_user(t, &ds, arg, sizeof(ds)) < 0)
		return -EFAULT;
	if (cmd == SETALL) {
		ret = sem_copy_setall(t, semid, arg, &setall);
		if (ret < 0)
			return ret;
	}

	sem_apply_dead_undos();
	pthread_mutex_lock(&sem_lock);
	set = ipc_find_id(&sem_table, semid);
	if (!set) {
		ret = -EINVAL;
		goto out;
	}
	switch (cmd) {
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
		if (num < 0 || num >= set->nsems) {
			ret = -EINVAL;
			break;
		}
		ret = ipc_check_perm(t, &set->perm, 0400);
		if (ret < 0)
			break;
		if (cmd == GETVAL)
			ret = set->sems[num].value;
		else if (cmd == GETPID)
			ret = set->sems[num].pid;
		else if (cmd == GETNCNT)
			ret = set->sems[num].ncount;
		else
			ret = set->sems[num].zcount;
		break;
	case SETVAL: {
		int value = (int)arg;

		if (num < 0 || num >= set->nsems) {
			ret = -EINVAL;
			break;
		}
		if (value < 0 || value > SEM_MAX_VALUE) {
			ret = -ERANGE;
			break;
		}
		ret = ipc_check_perm(t, &set->perm, 0200);
		if (ret < 0)
			break;
		set->sems[num].value = value;
		set->sems[num].pid = t->tg->tgid;
		sem_undo_clear(semid, num);
		set->ctime = ipc_now();
		pthread_cond_broadcast(&sem_cond);
		break;
	}
	case GETALL:
		ret = ipc_check_perm(t, &set->perm, 0400);
		if (ret < 0)
			break;
		ret = sem_getall(t, set, arg);
		free(setall);
		return ret; /* sem_getall dropped sem_lock */
	case SETALL:
		ret = ipc_check_perm(t, &set->perm, 0200);
		if (ret == 0)
			ret = sem_setall(t, set, semid, setall);
		break;
	case IPC_STAT:
		ret = ipc_check_perm(t, &set->perm, 0400);
		if (ret < 0)
			break;
		memset(&ds, 0, sizeof(ds));
		ipc_fill_perm(&set->perm, &ds.sem_perm);
		ds.sem_otime = set->otime;
		ds.sem_ctime = set->ctime;
		ds.sem_nsems = set->nsems;
		break;
	case IPC_SET:
		ret = ipc_check_owner(t, &set->perm);
		if (ret == 0) {
			ipc_set_perm(&set->perm, &ds.sem_perm);
			set->ctime = ipc_now();
		}
		break;
	case IPC_RMID:
		ret = ipc_check_owner(t, &set->perm);
		if (ret == 0)
			sem_destroy(set, semid);
		break;
	default:
		/* NOTE: IPC_INFO, SEM_INFO, SEM_STAT and SEM_STAT_ANY are
		 * not implemented. */
		ret = -EINVAL;
		break;
	}
out:
	pthread_mutex_unlock(&sem_lock);
	free(setall);
	if (ret == 0 && cmd == IPC_STAT &&
	    copy_to_user(t, arg, &ds, sizeof(ds)) < 0)
		return -EFAULT;
	return ret;
}
