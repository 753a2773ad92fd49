/* System V IPC: shared memory (shm.c), semaphores (sem.c) and message
 * queues (msg.c).
 *
 * The objects exist only in the sentry and are shared by the whole
 * sandbox, like the objects of one IPC namespace on Linux. Each kind has
 * its own table and one lock (shm_lock, sem_lock, msg_lock) that protects
 * the table and every object in it. The helpers here run with that lock
 * held.
 */
#ifndef MOAT_SENTRY_IPC_IPC_H
#define MOAT_SENTRY_IPC_IPC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/types.h>
#include <time.h>

struct task;

/* Linux's IPCMNI: object IDs are seq * IPC_ID_SEQ_MULT + slot index. */
#define IPC_ID_SEQ_MULT 32768

/* The ownership and permissions of one object. */
struct ipc_perm_state {
	key_t key; /* IPC_PRIVATE after IPC_RMID of an attached segment */
	uid_t uid, cuid;
	gid_t gid, cgid;
	unsigned mode; /* permission bits, plus SHM_DEST and SHM_LOCKED */
	unsigned seq;
};

/* A table of objects of one kind, indexed by slot. */
struct ipc_table {
	void **slots;	   /* each points to an object beginning with its
			      struct ipc_perm_state */
	int nslots;	   /* allocated entries of slots */
	int count;	   /* objects in the table */
	int max;	   /* Linux's limit of objects (SHMMNI, SEMMNI...) */
	unsigned next_seq; /* sequence number of the next object */
};

/* The object with key, or NULL. */
void *ipc_find_key(struct ipc_table *tab, key_t key);
/* The object with id, or NULL if no object has this ID (any more). */
void *ipc_find_id(struct ipc_table *tab, int id);
/* Add obj, whose perm the caller filled except seq, and return its ID,
 * or -ENOSPC when the table is full. */
int ipc_add(struct ipc_table *tab, void *obj);
/* Remove the object with id from the table (the caller frees it). */
void ipc_remove(struct ipc_table *tab, int id);
/* The ID of an object in the table. */
int ipc_id_of(struct ipc_table *tab, void *obj);

/* Fill perm for a new object created by t with the permission bits of
 * flags. */
void ipc_init_perm(struct task *t, struct ipc_perm_state *perm, key_t key,
		   int flags);
/* Linux's ipcperms: may t access the object with the S_IRUGO/S_IWUGO
 * style bits of mode? Returns 0 or -EACCES. Root may do anything. */
int ipc_check_perm(struct task *t, const struct ipc_perm_state *perm,
		   unsigned mode);
/* May t change or remove the object (IPC_SET, IPC_RMID)? It must own or
 * have created it, or be root. Returns 0 or -EPERM. */
int ipc_check_owner(struct task *t, const struct ipc_perm_state *perm);
/* Copy perm to the struct ipc_perm of an IPC_STAT result. */
void ipc_fill_perm(const struct ipc_perm_state *perm, struct ipc_perm *out);
/* Apply the uid, gid and mode of an IPC_SET request. */
void ipc_set_perm(struct ipc_perm_state *perm, const struct ipc_perm *in);

/* The current time in seconds, for the *_time fields. */
time_t ipc_now(void);

#endif
