/* Tables, IDs and permission checks shared by the System V IPC kinds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "sentry/ipc/ipc.h"
#include "sentry/task.h"

static struct ipc_perm_state *perm_of(void *obj)
{
	return obj;
}

void *ipc_find_key(struct ipc_table *tab, key_t key)
{
	for (int i = 0; i < tab->nslots; i++)
		if (tab->slots[i] && perm_of(tab->slots[i])->key == key)
			return tab->slots[i];
	return NULL;
}

void *ipc_find_id(struct ipc_table *tab, int id)
{
	int slot;

	if (id < 0)
		return NULL;
	slot = id % IPC_ID_SEQ_MULT;
	if (slot >= tab->nslots || !tab->slots[slot])
		return NULL;
	if (perm_of(tab->slots[slot])->seq != (unsigned)id / IPC_ID_SEQ_MULT)
		return NULL;
	return tab->slots[slot];
}

int ipc_add(struct ipc_table *tab, void *obj)
{
	int slot;

	if (tab->count >= tab->max)
		return -ENOSPC;
	for (slot = 0; slot < tab->nslots; slot++)
		if (!tab->slots[slot])
			break;
	if (slot == tab->nslots) {
		int n = tab->nslots ? tab->nslots * 2 : 16;

		tab->slots = xrealloc(tab->slots, n * sizeof(*tab->slots));
		memset(tab->slots + tab->nslots, 0,
		       (n - tab->nslots) * sizeof(*tab->slots));
		tab->nslots = n;
	}
	/* Keep seq * IPC_ID_SEQ_MULT + slot a positive int. */
	if (tab->next_seq >= INT32_MAX / IPC_ID_SEQ_MULT)
		tab->next_seq = 0;
	perm_of(obj)->seq = tab->next_seq++;
	tab->slots[slot] = obj;
	tab->count++;
	return perm_of(obj)->seq * IPC_ID_SEQ_MULT + slot;
}

void ipc_remove(struct ipc_table *tab, int id)
{
	int slot = id % IPC_ID_SEQ_MULT;

	if (slot < tab->nslots && tab->slots[slot]) {
		tab->slots[slot] = NULL;
		tab->count--;
	}
}

int ipc_id_of(struct ipc_table *tab, void *obj)
{
	for (int i = 0; i < tab->nslots; i++)
		if (tab->slots[i] == obj)
			return perm_of(obj)->seq * IPC_ID_SEQ_MULT + i;
	return -EINVAL;
}

void ipc_init_perm(struct task *t, struct ipc_perm_state *perm, key_t key,
		   int flags)
{
	perm->key = key;
	perm->uid = perm->cuid = t->cred.euid;
	perm->gid = perm->cgid = t->cred.egid;
	perm->mode = flags & 0777;
}

/* Is gid the task's effective group or a supplementary group? */
static bool task_in_group(struct task *t, gid_t gid)
{
	if (t->cred.egid == gid)
		return true;
	for (int i = 0; i < t->cred.ngroups; i++)
		if (t->cred.groups[i] == gid)
			return true;
	return false;
}

int ipc_check_perm(struct task *t, const struct ipc_perm_state *perm,
		   unsigned mode)
{
	unsigned requested = (mode >> 6) | (mode >> 3) | mode;
	unsigned granted = perm->mode;

	if (t->cred.euid == perm->cuid || t->cred.euid == perm->uid)
		granted >>= 6;
	else if (task_in_group(t, perm->cgid) || task_in_group(t, perm->gid))
		granted >>= 3;
	if ((requested & ~granted & 0007) && !capable(t))
		return -EACCES;
	return 0;
}

int ipc_check_owner(struct task *t, const struct ipc_perm_state *perm)
{
	if (t->cred.euid == perm->cuid || t->cred.euid == perm->uid ||
	    capable(t))
		return 0;
	return -EPERM;
}

void ipc_fill_perm(const struct ipc_perm_state *perm, struct ipc_perm *out)
{
	memset(out, 0, sizeof(*out));
	out->__key = perm->key;
	out->uid = perm->uid;
	out->gid = perm->gid;
	out->cuid = perm->cuid;
	out->cgid = perm->cgid;
	out->mode = perm->mode;
	out->__seq = perm->seq;
}

void ipc_set_perm(struct ipc_perm_state *perm, const struct ipc_perm *in)
{
	perm->uid = in->uid;
	perm->gid = in->gid;
	perm->mode = (perm->mode & ~0777u) | (in->mode & 0777);
}

time_t ipc_now(void)
{
	return time(NULL);
}
