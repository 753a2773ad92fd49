/* Path resolution (namei): turning a guest path into a (mount, dentry).
 *
 * Walks start at the task's root (absolute paths), its working directory
 * (AT_FDCWD) or a directory FD, and never climb above the task's root:
 * ".." there stays put and absolute symlink targets restart at it, so a
 * guest cannot name anything outside the sandbox. Symlinks are read by
 * the sentry; at most MAXSYMLINKS are followed per lookup (ELOOP). */
#ifndef MOAT_SENTRY_FS_NAMEI_H
#define MOAT_SENTRY_FS_NAMEI_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "sentry/fs/fs.h"

#define MAXSYMLINKS 40

/* Lookup flags. */
#define LOOKUP_FOLLOW	 0x01 /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 0x02 /* the result must be a directory */
#define LOOKUP_EMPTY	 0x04 /* "" names the starting point (AT_EMPTY_PATH) */
/* openat2 RESOLVE_* restrictions. */
#define LOOKUP_NO_SYMLINKS   0x10  /* any symlink fails with ELOOP */
#define LOOKUP_NO_MAGICLINKS 0x20  /* procfs-style links fail with ELOOP */
#define LOOKUP_NO_XDEV	     0x40  /* crossing a mount fails with EXDEV */
#define LOOKUP_BENEATH	     0x80  /* escaping the start fails with EXDEV */
#define LOOKUP_IN_ROOT	     0x100 /* the start is the root for this walk */
/* Internal to open: stop at a final magic link that has open_link. */
#define LOOKUP_OPEN 0x200

enum last_type { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

/* State of one path walk. */
struct nameidata {
	struct task *t;
	unsigned flags;
	struct path root; /* reference */
	struct path path; /* the current directory or result; reference */
	int total_links;  /* symlinks followed so far */
	char *buf;	  /* the path being walked (owned; replaced when a
			   * symlink is expanded) */
	const char *rest; /* not yet walked, inside buf */
	/* The last component (filled by the parent walk). */
	enum last_type last_type;
	char last[NAME_MAX + 1];
	bool trailing_slash; /* the last component was followed by '/' */
};

/* Resolve name to *out (a new reference). */
int filename_lookup(struct task *t, int dirfd, const char *name, unsigned flags,
		    struct path *out);

/* Resolve every component but the last: nd->path is the parent, and
 * nd->last/last_type/trailing_slash describe the last component. The
 * caller calls nd_release() when done. */
int filename_parentat(struct task *t, int dirfd, const char *name,
		      unsigned flags, struct nameidata *nd);
/* Continue a parent walk through the symlink at the last component
 * (open with O_CREAT of a dangling link creates its target): the walk
 * restarts from nd->path with the link's target. link is the symlink's
 * positive dentry. */
int nd_follow_last_link(struct nameidata *nd, struct dentry *link);
void nd_release(struct nameidata *nd);

/* Look up one component in the directory dentry parent, with
 * namespace_lock held: a new reference to a positive or negative dentry,
 * or a negative errno. */
int lookup_one_locked(struct task *t, struct dentry *parent, const char *name,
		      size_t len, struct dentry **out);
/* Replace *p by the root of whatever is mounted on it, repeatedly. */
void follow_mounts(struct path *p);

/* Read a symlink's target into buf (PATH_MAX bytes) with a NUL. */
int read_link_target(struct task *t, struct inode *inode, char *buf);

#endif
