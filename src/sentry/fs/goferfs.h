/* goferfs: a pass-through file system for --volume mounts. Every
 * operation goes to the gofer, file I/O uses the host FD it donates, and
 * dentries of names found on the host are cached.
 *
 * NOTE: cached dentries are not revalidated. A name the host removes or
 * renames behind the sandbox's back stays visible until the sandbox
 * itself removes it, and operations on it fail with the host's errno. */
#ifndef MOAT_SENTRY_FS_GOFERFS_H
#define MOAT_SENTRY_FS_GOFERFS_H

#include "sentry/fs/fs.h"
#include "sentry/gofer_client.h"

/* Create a super block whose root is root_fid (attributes st). */
struct super_block *goferfs_mount_create(struct gofer_conn *conn,
					 gofer_fid_t root_fid,
					 const struct gofer_stat *st,
					 bool readonly);
/* The connection and fid of a goferfs inode. */
struct gofer_conn *goferfs_conn(struct inode *inode);
gofer_fid_t goferfs_fid(struct inode *inode);

#endif
