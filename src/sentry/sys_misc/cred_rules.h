/* Linux's rules for changing user and group IDs and the capability
 * changes that follow (kernel/sys.c and security/commoncap.c), as pure
 * functions on a credential so they can be unit tested.
 *
 * The capability model is the Linux one reduced to what struct cred
 * stores: an effective and a permitted set, no inheritable or ambient
 * set, and a bounding set that is always full.
 */
#ifndef MOAT_SENTRY_SYS_MISC_CRED_RULES_H
#define MOAT_SENTRY_SYS_MISC_CRED_RULES_H

#include <linux/capability.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "sentry/task.h"

/* Capabilities 0..40 (CAP_LAST_CAP is CAP_CHECKPOINT_RESTORE in Linux
 * 5.9 and later): the sets of a root process. */
#define MOAT_CAP_LAST_CAP 40
#define CAP_FULL_SET	  ((1ULL << (MOAT_CAP_LAST_CAP + 1)) - 1)

/* The capabilities that setfsuid() drops and restores (Linux's
 * CAP_FS_MASK): CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID,
 * LINUX_IMMUTABLE, MKNOD and MAC_OVERRIDE. */
#define CAP_FS_SET                                                             \
	((1ULL << 0) | (1ULL << 1) | (1ULL << 2) | (1ULL << 3) | (1ULL << 4) | \
	 (1ULL << 9) | (1ULL << 27) | (1ULL << 32))

#define CAP_BIT(cap) (1ULL << (cap))

/* A credential together with the capability state it changes with. */
struct cred_state {
	struct cred cred; /* groups are not touched here */
	uint64_t cap_permitted;
	bool keep_caps;
};

static inline bool cred_has_cap(const struct cred_state *s, int cap)
{
	return (s->cred.cap_effective & CAP_BIT(cap)) != 0;
}

/* Each returns 0 or a negative errno and leaves s unchanged on error.
 * An ID of -1 means "unchanged" where the syscall allows it. */
int cred_setuid(struct cred_state *s, uid_t uid);
int cred_setreuid(struct cred_state *s, uid_t ruid, uid_t euid);
int cred_setresuid(struct cred_state *s, uid_t ruid, uid_t euid, uid_t suid);
int cred_setgid(struct cred_state *s, gid_t gid);
int cred_setregid(struct cred_state *s, gid_t rgid, gid_t egid);
int cred_setresgid(struct cred_state *s, gid_t rgid, gid_t egid, gid_t sgid);
/* These return the previous fsuid/fsgid whether or not they change it,
 * as the syscalls do. */
uid_t cred_setfsuid(struct cred_state *s, uid_t fsuid);
gid_t cred_setfsgid(struct cred_state *s, gid_t fsgid);

/* capset(): the new sets must be subsets of the permitted set. */
int cred_capset(struct cred_state *s, uint64_t effective, uint64_t permitted,
		uint64_t inheritable);

#endif
