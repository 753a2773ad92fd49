/* Permission rules for the set*id() family and their capability effects,
 * following Linux's kernel/sys.c and security/commoncap.c. */
#include "sentry/sys_misc/cred_rules.h"

#include <errno.h>

#define NO_ID ((uid_t)-1)

/* cap_emulate_setxuid(): leaving root in every one of uid, euid and suid
 * drops all capabilities unless keep_caps, and the effective set follows
 * the effective UID. */
static void fix_caps_after_setxuid(struct cred_state *s, const struct cred *old)
{
	const struct cred *c = &s->cred;
	bool was_root = old->uid == 0 || old->euid == 0 || old->suid == 0;
	bool is_root = c->uid == 0 || c->euid == 0 || c->suid == 0;

	if (was_root && !is_root && !s->keep_caps) {
		s->cap_permitted = 0;
		s->cred.cap_effective = 0;
	}
	if (old->euid == 0 && c->euid != 0)
		s->cred.cap_effective = 0;
	if (old->euid != 0 && c->euid == 0)
		s->cred.cap_effective = s->cap_permitted;
}

int cred_setuid(struct cred_state *s, uid_t uid)
{
	struct cred old = s->cred;

	if (uid == NO_ID)
		return -EINVAL;
	if (cred_has_cap(s, CAP_SETUID)) {
		s->cred.uid = uid;
		s->cred.suid = uid;
	} else if (uid != old.uid && uid != old.suid) {
		return -EPERM;
	}
	s->cred.euid = uid;
	s->cred.fsuid = uid;
	fix_caps_after_setxuid(s, &old);
	return 0;
}

int cred_setreuid(struct cred_state *s, uid_t ruid, uid_t euid)
{
	struct cred old = s->cred;
	bool privileged = cred_has_cap(s, CAP_SETUID);

	if (ruid != NO_ID && ruid != old.uid && ruid != old.euid && !privileged)
		return -EPERM;
	if (euid != NO_ID && euid != old.uid && euid != old.euid &&
	    euid != old.suid && !privileged)
		return -EPERM;

	if (ruid != NO_ID)
		s->cred.uid = ruid;
	if (euid != NO_ID)
		s->cred.euid = euid;
	/* The saved ID follows the effective one whenever the real ID is
	 * set or the effective ID moves away from the old real ID. */
	if (ruid != NO_ID || (euid != NO_ID && euid != old.uid))
		s->cred.suid = s->cred.euid;
	s->cred.fsuid = s->cred.euid;
	fix_caps_after_setxuid(s, &old);
	return 0;
}

/* An unprivileged task may only move an ID to one of its current three. */
static bool is_current_id(uid_t id, uid_t a, uid_t b, uid_t c)
{
	return id == NO_ID || id == a || id == b || id == c;
}

int cred_setresuid(struct cred_state *s, uid_t ruid, uid_t euid, uid_t suid)
{
	struct cred old = s->cred;

	/* Nothing changes: Linux returns before any permission check. */
	if ((ruid == NO_ID || ruid == old.uid) &&
	    (euid == NO_ID || (euid == old.euid && euid == old.fsuid)) &&
	    (suid == NO_ID || suid == old.suid))
		return 0;
	if (!cred_has_cap(s, CAP_SETUID) &&
	    (!is_current_id(ruid, old.uid, old.euid, old.suid) ||
	     !is_current_id(euid, old.uid, old.euid, old.suid) ||
	     !is_current_id(suid, old.uid, old.euid, old.suid)))
		return -EPERM;

	if (ruid != NO_ID)
		s->cred.uid = ruid;
	if (euid != NO_ID)
		s->cred.euid = euid;
	if (suid != NO_ID)
		s->cred.suid = suid;
	s->cred.fsuid = s->cred.euid;
	fix_caps_after_setxuid(s, &old);
	return 0;
}

uid_t cred_setfsuid(struct cred_state *s, uid_t fsuid)
{
	struct cred *c = &s->cred;
	uid_t old_fsuid = c->fsuid;

	if (fsuid == NO_ID || fsuid == old_fsuid)
		return old_fsuid;
	if (fsuid != c->uid && fsuid != c->euid && fsuid != c->suid &&
	    !cred_has_cap(s, CAP_SETUID))
		return old_fsuid;

	c->fsuid = fsuid;
	/* Leaving fsuid 0 drops the file-system capabilities from the
	 * effective set, and returning to 0 restores them. */
	if (old_fsuid == 0 && fsuid != 0)
		c->cap_effective &= ~CAP_FS_SET;
	if (old_fsuid != 0 && fsuid == 0)
		c->cap_effective |= s->cap_permitted & CAP_FS_SET;
	return old_fsuid;
}

int cred_setgid(struct cred_state *s, gid_t gid)
{
	struct cred *c = &s->cred;

	if (gid == NO_ID)
		return -EINVAL;
	if (cred_has_cap(s, CAP_SETGID)) {
		c->gid = gid;
		c->sgid = gid;
	} else if (gid != c->gid && gid != c->sgid) {
		return -EPERM;
	}
	c->egid = gid;
	c->fsgid = gid;
	return 0;
}

int cred_setregid(struct cred_state *s, gid_t rgid, gid_t egid)
{
	struct cred old = s->cred;
	bool privileged = cred_has_cap(s, CAP_SETGID);

	if (rgid != NO_ID && rgid != old.gid && rgid != old.egid && !privileged)
		return -EPERM;
	if (egid != NO_ID && egid != old.gid && egid != old.egid &&
	    egid != old.sgid && !privileged)
		return -EPERM;

	if (rgid != NO_ID)
		s->cred.gid = rgid;
	if (egid != NO_ID)
		s->cred.egid = egid;
	if (rgid != NO_ID || (egid != NO_ID && egid != old.gid))
		s->cred.sgid = s->cred.egid;
	s->cred.fsgid = s->cred.egid;
	return 0;
}

int cred_setresgid(struct cred_state *s, gid_t rgid, gid_t egid, gid_t sgid)
{
	struct cred old = s->cred;

	if ((rgid == NO_ID || rgid == old.gid) &&
	    (egid == NO_ID || (egid == old.egid && egid == old.fsgid)) &&
	    (sgid == NO_ID || sgid == old.sgid))
		return 0;
	if (!cred_has_cap(s, CAP_SETGID) &&
	    (!is_current_id(rgid, old.gid, old.egid, old.sgid) ||
	     !is_current_id(egid, old.gid, old.egid, old.sgid) ||
	     !is_current_id(sgid, old.gid, old.egid, old.sgid)))
		return -EPERM;

	if (rgid != NO_ID)
		s->cred.gid = rgid;
	if (egid != NO_ID)
		s->cred.egid = egid;
	if (sgid != NO_ID)
		s->cred.sgid = sgid;
	s->cred.fsgid = s->cred.egid;
	return 0;
}

gid_t cred_setfsgid(struct cred_state *s, gid_t fsgid)
{
	struct cred *c = &s->cred;
	gid_t old_fsgid = c->fsgid;

	if (fsgid == NO_ID)
		return old_fsgid;
	if (fsgid == c->gid || fsgid == c->egid || fsgid == c->sgid ||
	    fsgid == c->fsgid || cred_has_cap(s, CAP_SETGID))
		c->fsgid = fsgid;
	return old_fsgid;
}

int cred_capset(struct cred_state *s, uint64_t effective, uint64_t permitted,
		uint64_t inheritable)
{
	effective &= CAP_FULL_SET;
	permitted &= CAP_FULL_SET;
	inheritable &= CAP_FULL_SET;

	/* Without CAP_SETPCAP the inheritable set may only gain permitted
	 * capabilities. Inheritable capabilities are not stored (they only
	 * matter across execve of files with capabilities). */
	if (!cred_has_cap(s, CAP_SETPCAP) && (inheritable & ~s->cap_permitted))
		return -EPERM;
	if (permitted & ~s->cap_permitted)
		return -EPERM;
	if (effective & ~permitted)
		return -EPERM;
	s->cap_permitted = permitted;
	s->cred.cap_effective = effective;
	return 0;
}
