/* User and group IDs: the get*id() and set*id() syscalls. The rules
 * themselves are in cred_rules.c. A task's cred is written only by its
 * own thread, under tasklist_lock so that other threads that read it
 * under that lock (kill, prlimit) see a consistent set. */
#include <errno.h>
#include <sys/syscall.h>

#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/sys_misc/cred_rules.h"
#include "sentry/sys_misc/task_misc.h"
#include "sentry/task.h"

static void cred_load(struct task *t, struct cred_state *s)
{
	s->cred = t->cred;
	pthread_mutex_lock(&misc_lock);
	struct task_misc *m = task_misc(t);
	s->cap_permitted = m->cap_permitted;
	s->keep_caps = m->keep_caps;
	pthread_mutex_unlock(&misc_lock);
}

/* Store the IDs and capabilities of s; the supplementary groups of t
 * stay as they are. */
static void cred_store(struct task *t, const struct cred_state *s)
{
	pthread_mutex_lock(&tasklist_lock);
	t->cred.uid = s->cred.uid;
	t->cred.euid = s->cred.euid;
	t->cred.suid = s->cred.suid;
	t->cred.fsuid = s->cred.fsuid;
	t->cred.gid = s->cred.gid;
	t->cred.egid = s->cred.egid;
	t->cred.sgid = s->cred.sgid;
	t->cred.fsgid = s->cred.fsgid;
	t->cred.cap_effective = s->cred.cap_effective;
	pthread_mutex_lock(&misc_lock);
	task_misc(t)->cap_permitted = s->cap_permitted;
	pthread_mutex_unlock(&misc_lock);
	pthread_mutex_unlock(&tasklist_lock);
}

SYSCALL_DEFINE(SYS_getuid, getuid)
{
	return t->cred.uid;
}

SYSCALL_DEFINE(SYS_geteuid, geteuid)
{
	return t->cred.euid;
}

SYSCALL_DEFINE(SYS_getgid, getgid)
{
	return t->cred.gid;
}

SYSCALL_DEFINE(SYS_getegid, getegid)
{
	return t->cred.egid;
}

/* Write three IDs, stopping at the first fault as Linux does. */
static long put_three_ids(struct task *t, const uint64_t *addrs, uint32_t a,
			  uint32_t b, uint32_t c)
{
	uint32_t ids[3] = {a, b, c};

	for (int i = 0; i < 3; i++)
		if (copy_to_user(t, addrs[i], &ids[i], sizeof(ids[i])) < 0)
			return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(SYS_getresuid, getresuid)
{
	const struct cred *c = &t->cred;

	return put_three_ids(t, args, c->uid, c->euid, c->suid);
}

SYSCALL_DEFINE(SYS_getresgid, getresgid)
{
	const struct cred *c = &t->cred;

	return put_three_ids(t, args, c->gid, c->egid, c->sgid);
}

/* The guest's uid_t and gid_t are 32-bit: the kernel ignores the upper
 * half of the register. */
static uint32_t id_arg(uint64_t reg)
{
	return (uint32_t)reg;
}

SYSCALL_DEFINE(SYS_setuid, setuid)
{
	struct cred_state s;
	int r;

	cred_load(t, &s);
	r = cred_setuid(&s, id_arg(args[0]));
	if (r == 0)
		cred_store(t, &s);
	return r;
}

SYSCALL_DEFINE(SYS_setreuid, setreuid)
{
	struct cred_state s;
	int r;

	cred_load(t, &s);
	r = cred_setreuid(&s, id_arg(args[0]), id_arg(args[1]));
	if (r == 0)
		cred_store(t, &s);
	return r;
}

SYSCALL_DEFINE(SYS_setresuid, setresuid)
{
	struct cred_state s;
	int r;

	cred_load(t, &s);
	r = cred_setresuid(&s, id_arg(args[0]), id_arg(args[1]),
			   id_arg(args[2]));
	if (r == 0)
		cred_store(t, &s);
	return r;
}

SYSCALL_DEFINE(SYS_setfsuid, setfsuid)
{
	struct cred_state s;
	uid_t old;

	cred_load(t, &s);
	old = cred_setfsuid(&s, id_arg(args[0]));
	cred_store(t, &s);
	return old;
}

SYSCALL_DEFINE(SYS_setgid, setgid)
{
	struct cred_state s;
	int r;

	cred_load(t, &s);
	r = cred_setgid(&s, id_arg(args[0]));
	if (r == 0)
		cred_store(t, &s);
	return r;
}

SYSCALL_DEFINE(SYS_setregid, setregid)
{
	struct cred_state s;
	int r;

	cred_load(t, &s);
	r = cred_setregid(&s, id_arg(args[0]), id_arg(args[1]));
	if (r == 0)
		cred_store(t, &s);
	return r;
}

SYSCALL_DEFINE(SYS_setresgid, setresgid)
{
	struct cred_state s;
	int r;

	cred_load(t, &s);
	r = cred_setresgid(&s, id_arg(args[0]), id_arg(args[1]),
			   id_arg(args[2]));
	if (r == 0)
		cred_store(t, &s);
	return r;
}

SYSCALL_DEFINE(SYS_setfsgid, setfsgid)
{
	struct cred_state s;
	gid_t old;

	cred_load(t, &s);
	old = cred_setfsgid(&s, id_arg(args[0]));
	cred_store(t, &s);
	return old;
}
