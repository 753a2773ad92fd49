/* memfs: the in-memory file system behind /, /tmp, /dev and /sys.
 *
 * Regular files keep their data in a memfd, so mmap maps it directly.
 * Directories are their dentries: the dentry cache is the authoritative
 * list of names. A memfs can sit over a read-only LOWER layer served by
 * the gofer (the root overlay): names are looked up in the cache first
 * and then walked in the lower directory, a removed lower name is hidden
 * by a negative dentry (a whiteout), and a lower file is copied into a
 * memfd when it is first opened for writing or truncated. The host is
 * never modified. */
#ifndef MOAT_SENTRY_FS_MEMFS_H
#define MOAT_SENTRY_FS_MEMFS_H

#include <stdbool.h>

#include "sentry/fs/fs.h"
#include "sentry/gofer_client.h"

/* Per-inode state of memfs (inode->private), protected by inode->lock. */
struct memfs_inode {
	/* Regular file: the content, or -1 while it is only in the lower
	 * layer. */
	int memfd;
	/* Bytes of the sandbox's memory budget charged to this file: its
	 * size rounded up to pages (memfs_space.c). Protected by the inode
	 * lock. */
	uint64_t charged;
	/* Symlink: the target, NUL-terminated (read from the lower layer on
	 * first use). */
	char *target;
	/* The lower-layer node this inode came from. */
	bool has_lower;
	gofer_fid_t lower_fid;
	/* A read-only host FD of the lower file, opened on first read and
	 * kept for mmap; -1 until then. */
	int lower_fd;
	/* Directory: every lower entry is in the dentry cache (as a stub,
	 * positive or whiteout), so lookups need not ask the gofer. Also
	 * set for directories without a lower layer. Protected by
	 * namespace_lock. */
	bool lower_complete;
};

/* Create a memfs super block and its root directory (mode includes
 * S_IFDIR). The root has no lower layer. */
/* Charge the memory budget for a file of size bytes (or give back what
 * it no longer needs); -ENOSPC when the sandbox's budget is used up.
 * Call with the inode's lock held. */
int memfs_space_charge(struct memfs_inode *mi, uint64_t size);
void memfs_space_release(struct memfs_inode *mi);
/* Replace the default budget (half the host's RAM), for tests. */
void memfs_space_set_limit(uint64_t bytes);
/* The budget and what is left of it, in 4 KiB blocks, for statfs. */
void memfs_space_statfs(uint64_t *blocks, uint64_t *bfree);

struct super_block *memfs_create(const char *type, const char *source,
				 mode_t mode, uid_t uid, gid_t gid);
/* Create a memfs whose root is the lower directory root_fid on the
 * gofer connection (attributes in st). */
struct super_block *memfs_create_overlay(struct gofer_conn *conn,
					 gofer_fid_t root_fid,
					 const struct gofer_stat *st);

/* Add an entry directly (for building /dev and mount points), with
 * namespace_lock held. Returns the new positive dentry (reference). */
int memfs_add_node(struct dentry *dir, const char *name,
		   const struct inode_create *ic, const char *link_target,
		   struct dentry **out);

/* Copy a lower regular file into its memfd (inode->lock not held). */
int memfs_copy_up(struct inode *inode);
/* Load every lower entry of dir as a stub (namespace_lock held). */
int memfs_load_lower_dir(struct dentry *dir);
/* Is the directory empty (no positive or stub child)? namespace_lock held. */
int memfs_dir_empty(struct dentry *dir);

extern const struct inode_operations memfs_dir_iops;
extern const struct file_operations memfs_file_fops;
extern const struct file_operations memfs_dir_fops;

/* Internal: the gofer connection of overlay super blocks. */
struct gofer_conn *memfs_gofer(struct super_block *sb);
struct inode *memfs_new_inode(struct super_block *sb,
			      const struct inode_create *ic);
struct inode *memfs_inode_from_lower(struct super_block *sb, gofer_fid_t fid,
				     const struct gofer_stat *st);
int memfs_inode_setattr(struct inode *inode, const struct iattr *attr);
int memfs_inode_open(struct task *t, struct inode *inode, struct file *f);
void memfs_inode_evict(struct inode *inode);

#endif
