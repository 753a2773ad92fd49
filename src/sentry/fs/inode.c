/* Inodes: allocation, reference counting, attributes and permission
 * checks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/util.h"
#include "sentry/fs/fs.h"
#include "sentry/task.h"

struct inode *inode_alloc(struct super_block *sb, mode_t mode,
			  const struct inode_operations *iop,
			  const struct file_operations *fop)
{
	struct inode *inode = xcalloc(1, sizeof(*inode));
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	inode->refcount = 1;
	pthread_mutex_init(&inode->lock, NULL);
	inode->sb = sb;
	inode->ino = sb_next_ino(sb);
	inode->dev = sb->s_dev;
	inode->mode = mode;
	inode->nlink = S_ISDIR(mode) ? 2 : 1;
	inode->atime = inode->mtime = inode->ctime = now;
	inode->i_op = iop;
	inode->i_fop = fop;
	return inode;
}

struct inode *inode_get(struct inode *inode)
{
	__atomic_add_fetch(&inode->refcount, 1, __ATOMIC_RELAXED);
	return inode;
}

void inode_put(struct inode *inode)
{
	if (!inode)
		return;
	int left = __atomic_sub_fetch(&inode->refcount, 1, __ATOMIC_ACQ_REL);
	BUG_ON(left < 0);
	if (left > 0)
		return;
	if (inode->i_op && inode->i_op->evict)
		inode->i_op->evict(inode);
	pthread_mutex_destroy(&inode->lock);
	free(inode);
}

void inode_stat(struct inode *inode, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&inode->lock);
	st->st_dev = inode->dev;
	st->st_ino = inode->ino;
	st->st_mode = inode->mode;
	st->st_nlink = inode->nlink;
	st->st_uid = inode->uid;
	st->st_gid = inode->gid;
	st->st_rdev = inode->rdev;
	st->st_size = inode->size;
	st->st_blksize = 4096;
	st->st_blocks = inode->blocks;
	st->st_atim = inode->atime;
	st->st_mtim = inode->mtime;
	st->st_ctim = inode->ctime;
	pthread_mutex_unlock(&inode->lock);
}

int inode_getattr(struct inode *inode, struct stat *st)
{
	if (inode->i_op && inode->i_op->getattr)
		return inode->i_op->getattr(inode, st);
	inode_stat(inode, st);
	return 0;
}

void inode_apply_attr(struct inode *inode, const struct iattr *attr)
{
	struct timespec now;
	unsigned v = attr->ia_valid;

	clock_gettime(CLOCK_REALTIME, &now);
	pthread_mutex_lock(&inode->lock);
	if (v & ATTR_MODE)
		inode->mode = (inode->mode & S_IFMT) | (attr->ia_mode & 07777);
	if (v & ATTR_UID)
		inode->uid = attr->ia_uid;
	if (v & ATTR_GID)
		inode->gid = attr->ia_gid;
	if (v & ATTR_ATIME)
		inode->atime = attr->ia_atime;
	if (v & ATTR_ATIME_NOW)
		inode->atime = now;
	if (v & ATTR_MTIME)
		inode->mtime = attr->ia_mtime;
	if (v & ATTR_MTIME_NOW)
		inode->mtime = now;
	inode->ctime = (v & ATTR_CTIME) ? attr->ia_ctime : now;
	pthread_mutex_unlock(&inode->lock);
}

void inode_touch_mtime(struct inode *inode)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	pthread_mutex_lock(&inode->lock);
	inode->mtime = inode->ctime = now;
	pthread_mutex_unlock(&inode->lock);
}

void inode_touch_ctime(struct inode *inode)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	pthread_mutex_lock(&inode->lock);
	inode->ctime = now;
	pthread_mutex_unlock(&inode->lock);
}

bool in_group(const struct cred *cred, gid_t gid)
{
	if (cred->fsgid == gid)
		return true;
	for (int i = 0; i < cred->ngroups; i++)
		if (cred->groups[i] == gid)
			return true;
	return false;
}

/* Linux's generic_permission: the owner, group or other class of bits
 * decides, and CAP_DAC_OVERRIDE lets root past everything except
 * executing a non-directory that has no x bit for anyone. */
int inode_permission(const struct task *t, struct inode *inode, int mask)
{
	return inode_permission_cred(&t->cred, capable(t), inode, mask);
}

int inode_permission_cred(const struct cred *cred, bool cap,
			  struct inode *inode, int mask)
{
	mode_t mode;
	uid_t uid;
	gid_t gid;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	pthread_mutex_lock(&inode->lock);
	mode = inode->mode;
	uid = inode->uid;
	gid = inode->gid;
	pthread_mutex_unlock(&inode->lock);

	mode_t bits;
	if (cred->fsuid == uid)
		bits = mode >> 6;
	else if (in_group(cred, gid))
		bits = mode >> 3;
	else
		bits = mode;
	if ((mask & ~bits & 7) == 0)
		return 0;

	if (cap) {
		if (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111))
			return 0;
	}
	return -EACCES;
}
