/* memfs inodes: creation, attributes, symlinks and open. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "sentry/fs/memfs.h"

struct memfs_sb {
	struct gofer_conn *conn; /* NULL without a lower layer */
	gofer_fid_t root_fid;
};

static const struct inode_operations memfs_iops;

struct gofer_conn *memfs_gofer(struct super_block *sb)
{
	return ((struct memfs_sb *)sb->s_fs_info)->conn;
}

static struct memfs_inode *memfs_state_alloc(void)
{
	struct memfs_inode *mi = xcalloc(1, sizeof(*mi));

	mi->memfd = -1;
	mi->lower_fd = -1;
	return mi;
}

static void memfs_evict(struct inode *inode)
{
	struct memfs_inode *mi = inode->private;

	if (!mi)
		return;
	if (mi->memfd >= 0)
		close(mi->memfd);
	memfs_space_release(mi);
	if (mi->lower_fd >= 0)
		close(mi->lower_fd);
	if (mi->has_lower)
		gofer_clunk(memfs_gofer(inode->sb), mi->lower_fid);
	free(mi->target);
	free(mi);
}

static int memfs_new_memfd(void)
{
	int fd = memfd_create("moat-memfs", MFD_CLOEXEC);

	return fd < 0 ? neg_errno() : fd;
}

struct inode *memfs_new_inode(struct super_block *sb,
			      const struct inode_create *ic)
{
	bool dir = S_ISDIR(ic->mode);
	struct inode *inode =
	    inode_alloc(sb, ic->mode, dir ? &memfs_dir_iops : &memfs_iops,
			dir ? &memfs_dir_fops : NULL);
	struct memfs_inode *mi = memfs_state_alloc();

	inode->uid = ic->uid;
	inode->gid = ic->gid;
	inode->rdev = ic->rdev;
	if (dir) {
		/* tmpfs reports 20 bytes per entry, "." and ".." included. */
		inode->size = 40;
		mi->lower_complete = true;
	}
	inode->private = mi;
	if (S_ISREG(ic->mode)) {
		mi->memfd = memfs_new_memfd();
		if (mi->memfd < 0) {
			log_error("memfs: memfd_create failed: %s",
				  strerror(-mi->memfd));
			inode_put(inode);
			return NULL;
		}
	}
	return inode;
}

struct inode *memfs_inode_from_lower(struct super_block *sb, gofer_fid_t fid,
				     const struct gofer_stat *st)
{
	bool dir = S_ISDIR(st->mode);
	struct inode *inode =
	    inode_alloc(sb, st->mode, dir ? &memfs_dir_iops : &memfs_iops,
			dir ? &memfs_dir_fops : NULL);
	struct memfs_inode *mi = memfs_state_alloc();

	/* Keep the host's identity and attributes, so stat and ls -l inside
	 * the sandbox match the host. */
	inode->ino = st->ino;
	inode->dev = st->dev;
	inode->uid = st->uid;
	inode->gid = st->gid;
	inode->nlink = st->nlink;
	inode->rdev = st->rdev;
	inode->size = st->size;
	inode->blocks = st->blocks;
	inode->atime = (struct timespec){st->atime_sec, st->atime_nsec};
	inode->mtime = (struct timespec){st->mtime_sec, st->mtime_nsec};
	inode->ctime = (struct timespec){st->ctime_sec, st->ctime_nsec};
	mi->has_lower = true;
	mi->lower_fid = fid;
	inode->private = mi;
	return inode;
}

static int memfs_statfs(struct super_block *sb, struct statfs *st)
{
	struct memfs_sb *msb = sb->s_fs_info;

	memset(st, 0, sizeof(*st));
	if (msb->conn) {
		int err = gofer_statfs(msb->conn, msb->root_fid, st);
		if (err < 0)
			return err;
		st->f_type = OVERLAYFS_SUPER_MAGIC;
		return 0;
	}
	/* Every memfs of the sandbox shares one budget (memfs_space.c). */
	uint64_t blocks, bfree;
	memfs_space_statfs(&blocks, &bfree);
	st->f_type = TMPFS_MAGIC;
	st->f_bsize = 4096;
	st->f_frsize = 4096;
	st->f_blocks = blocks;
	st->f_bfree = bfree;
	st->f_bavail = bfree;
	st->f_files = 262144;
	st->f_ffree = 262144;
	st->f_namelen = NAME_MAX;
	return 0;
}

static const struct super_operations memfs_sops = {
    .statfs = memfs_statfs,
};

struct super_block *memfs_create(const char *type, const char *source,
				 mode_t mode, uid_t uid, gid_t gid)
{
	struct super_block *sb = sb_alloc(type, source, &memfs_sops);
	struct inode_create ic = {.mode = mode, .uid = uid, .gid = gid};

	sb->s_fs_info = xcalloc(1, sizeof(struct memfs_sb));
	sb->s_root = d_alloc(NULL, "/", 1);
	sb->s_root->d_sb = sb;
	d_instantiate(sb->s_root, memfs_new_inode(sb, &ic));
	return sb;
}

struct super_block *memfs_create_overlay(struct gofer_conn *conn,
					 gofer_fid_t root_fid,
					 const struct gofer_stat *st)
{
	struct super_block *sb = sb_alloc("overlay", "overlay", &memfs_sops);
	struct memfs_sb *msb = xcalloc(1, sizeof(*msb));

	msb->conn = conn;
	msb->root_fid = root_fid;
	sb->s_fs_info = msb;
	sb->s_root = d_alloc(NULL, "/", 1);
	sb->s_root->d_sb = sb;
	d_instantiate(sb->s_root, memfs_inode_from_lower(sb, root_fid, st));
	return sb;
}

/* The lower layer gives a symlink's target on first use; it is cached
 * because the lower layer never changes under the sandbox. */
static int memfs_readlink(struct task *t, struct inode *inode, char *buf,
			  size_t size)
{
	struct memfs_inode *mi = inode->private;

	if (!S_ISLNK(inode->mode))
		return -EINVAL;
	pthread_mutex_lock(&inode->lock);
	if (!mi->target && mi->has_lower) {
		char *target = xmalloc(PATH_MAX);
		int len = gofer_readlink(memfs_gofer(inode->sb), mi->lower_fid,
					 target, PATH_MAX - 1);
		if (len < 0) {
			pthread_mutex_unlock(&inode->lock);
			free(target);
			return len;
		}
		target[len] = '\0';
		mi->target = target;
	}
	size_t len = mi->target ? strlen(mi->target) : 0;
	len = MIN(len, size);
	memcpy(buf, mi->target, len);
	pthread_mutex_unlock(&inode->lock);
	return len;
}

static int memfs_setattr(struct inode *inode, const struct iattr *attr)
{
	struct memfs_inode *mi = inode->private;

	if (attr->ia_valid & ATTR_SIZE) {
		if (!S_ISREG(inode->mode))
			return -EINVAL;
		int err = memfs_copy_up(inode);
		if (err < 0)
			return err;
		pthread_mutex_lock(&inode->lock);
		err = memfs_space_charge(mi, attr->ia_size);
		if (!err && ftruncate(mi->memfd, attr->ia_size) < 0)
			err = neg_errno();
		pthread_mutex_unlock(&inode->lock);
		if (err < 0)
			return err;
		inode_touch_mtime(inode);
	}
	inode_apply_attr(inode, attr);
	return 0;
}

static int memfs_getattr(struct inode *inode, struct stat *st)
{
	struct memfs_inode *mi = inode->private;
	struct stat host;

	inode_stat(inode, st);
	pthread_mutex_lock(&inode->lock);
	int fd = mi->memfd;
	pthread_mutex_unlock(&inode->lock);
	if (S_ISREG(inode->mode) && fd >= 0) {
		if (fstat(fd, &host) < 0)
			return neg_errno();
		st->st_size = host.st_size;
		st->st_blocks = host.st_blocks;
	}
	if (S_ISLNK(inode->mode) && mi->target)
		st->st_size = strlen(mi->target);
	return 0;
}

static int memfs_open(struct task *t, struct inode *inode, struct file *f)
{
	switch (inode->mode & S_IFMT) {
	case S_IFREG:
		if (file_writable(f)) {
			int err = memfs_copy_up(inode);
			if (err < 0)
				return err;
		}
		f->f_op = &memfs_file_fops;
		return 0;
	case S_IFDIR:
		f->f_op = &memfs_dir_fops;
		return 0;
	default:
		return open_special_inode(t, inode, f);
	}
}

static const struct inode_operations memfs_iops = {
    .readlink = memfs_readlink,
    .setattr = memfs_setattr,
    .getattr = memfs_getattr,
    .open = memfs_open,
    .evict = memfs_evict,
};

/* Directories share these with memfs_dir.c's table. */
int memfs_inode_setattr(struct inode *inode, const struct iattr *attr)
{
	return memfs_setattr(inode, attr);
}

int memfs_inode_open(struct task *t, struct inode *inode, struct file *f)
{
	return memfs_open(t, inode, f);
}

void memfs_inode_evict(struct inode *inode)
{
	memfs_evict(inode);
}

int memfs_add_node(struct dentry *dir, const char *name,
		   const struct inode_create *ic, const char *link_target,
		   struct dentry **out)
{
	struct inode *inode = memfs_new_inode(dir->d_sb, ic);

	if (!inode)
		return -ENOMEM;
	if (link_target) {
		((struct memfs_inode *)inode->private)->target =
		    xstrdup(link_target);
		inode->size = strlen(link_target);
	}
	struct dentry *d = d_alloc(dir, name, strlen(name));
	d_instantiate(d, inode);
	d_add(d);
	pthread_mutex_lock(&dir->d_inode->lock);
	dir->d_inode->size += 20;
	if (S_ISDIR(ic->mode))
		dir->d_inode->nlink++;
	pthread_mutex_unlock(&dir->d_inode->lock);
	*out = d;
	return 0;
}
