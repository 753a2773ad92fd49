/* goferfs: inodes and directory operations. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fs/goferfs.h"

struct goferfs_sb {
	struct gofer_conn *conn;
	gofer_fid_t root_fid;
};

/* Per-inode state (inode->private). */
struct gofer_inode {
	gofer_fid_t fid;
	/* The read-write host FD gofer_create returned, handed to the first
	 * open so a file created with mode 0444 can still be written by its
	 * creator, as on Linux; -1 once used. Protected by inode->lock. */
	int created_fd;
};

static const struct inode_operations goferfs_iops;
static const struct inode_operations goferfs_dir_iops;
extern const struct file_operations goferfs_file_fops;
extern const struct file_operations goferfs_dir_fops;

static struct gofer_conn *conn_of(struct inode *inode)
{
	return ((struct goferfs_sb *)inode->sb->s_fs_info)->conn;
}

static gofer_fid_t fid_of(struct inode *inode)
{
	return ((struct gofer_inode *)inode->private)->fid;
}

static void apply_gofer_stat(struct inode *inode, const struct gofer_stat *st)
{
	pthread_mutex_lock(&inode->lock);
	inode->ino = st->ino;
	inode->dev = st->dev;
	inode->mode = st->mode;
	inode->uid = st->uid;
	inode->gid = st->gid;
	inode->nlink = st->nlink;
	inode->rdev = st->rdev;
	inode->size = st->size;
	inode->blocks = st->blocks;
	inode->atime = (struct timespec){st->atime_sec, st->atime_nsec};
	inode->mtime = (struct timespec){st->mtime_sec, st->mtime_nsec};
	inode->ctime = (struct timespec){st->ctime_sec, st->ctime_nsec};
	pthread_mutex_unlock(&inode->lock);
}

static struct inode *goferfs_inode(struct super_block *sb, gofer_fid_t fid,
				   const struct gofer_stat *st)
{
	bool dir = S_ISDIR(st->mode);
	struct inode *inode =
	    inode_alloc(sb, st->mode, dir ? &goferfs_dir_iops : &goferfs_iops,
			dir ? &goferfs_dir_fops : NULL);
	struct gofer_inode *gi = xcalloc(1, sizeof(*gi));

	gi->fid = fid;
	gi->created_fd = -1;
	inode->private = gi;
	apply_gofer_stat(inode, st);
	return inode;
}

static void goferfs_evict(struct inode *inode)
{
	struct gofer_inode *gi = inode->private;

	gofer_clunk(conn_of(inode), gi->fid);
	if (gi->created_fd >= 0)
		close(gi->created_fd);
	free(gi);
}

static int goferfs_lookup(struct task *t, struct inode *dir, struct dentry *d)
{
	gofer_fid_t fid;
	struct gofer_stat st;
	int err = gofer_walk(conn_of(dir), fid_of(dir), d->d_name, &fid, &st);

	if (err == -ENOENT) {
		/* The host may create it later: don't cache the absence. */
		d->d_flags |= DCACHE_DONTCACHE;
		return 0;
	}
	if (err < 0)
		return err;
	d_instantiate(d, goferfs_inode(dir->sb, fid, &st));
	return 0;
}

static void refresh(struct inode *inode)
{
	struct gofer_stat st;

	if (gofer_getattr(conn_of(inode), fid_of(inode), &st) == 0)
		apply_gofer_stat(inode, &st);
}

static int goferfs_create_file(struct inode *dir, struct dentry *d,
			       const struct inode_create *ic)
{
	gofer_fid_t fid;
	struct gofer_stat st;
	int hostfd = -1;
	int err = gofer_create(conn_of(dir), fid_of(dir), d->d_name, O_RDWR,
			       ic->mode & 07777, ic->uid, ic->gid, &fid, &st,
			       &hostfd);

	if (err < 0)
		return err;
	struct inode *inode = goferfs_inode(dir->sb, fid, &st);
	((struct gofer_inode *)inode->private)->created_fd = hostfd;
	d_instantiate(d, inode);
	refresh(dir);
	return 0;
}

static int goferfs_mkdir(struct inode *dir, struct dentry *d,
			 const struct inode_create *ic)
{
	gofer_fid_t fid;
	struct gofer_stat st;
	int err = gofer_mkdir(conn_of(dir), fid_of(dir), d->d_name,
			      ic->mode & 07777, ic->uid, ic->gid, &fid, &st);

	if (err < 0)
		return err;
	d_instantiate(d, goferfs_inode(dir->sb, fid, &st));
	refresh(dir);
	return 0;
}

static int goferfs_mknod(struct inode *dir, struct dentry *d,
			 const struct inode_create *ic)
{
	gofer_fid_t fid;
	struct gofer_stat st;

	if (S_ISREG(ic->mode))
		return goferfs_create_file(dir, d, ic);
	if (!S_ISFIFO(ic->mode))
		return -EPERM; /* the gofer makes only FIFOs */
	int err = gofer_mknod(conn_of(dir), fid_of(dir), d->d_name, ic->mode,
			      ic->uid, ic->gid, &fid, &st);
	if (err < 0)
		return err;
	d_instantiate(d, goferfs_inode(dir->sb, fid, &st));
	refresh(dir);
	return 0;
}

static int goferfs_symlink(struct inode *dir, struct dentry *d,
			   const char *target, const struct inode_create *ic)
{
	gofer_fid_t fid;
	struct gofer_stat st;
	int err = gofer_symlink(conn_of(dir), fid_of(dir), d->d_name, target,
				ic->uid, ic->gid, &fid, &st);

	if (err < 0)
		return err;
	d_instantiate(d, goferfs_inode(dir->sb, fid, &st));
	refresh(dir);
	return 0;
}

static int goferfs_link(struct dentry *old, struct inode *dir,
			struct dentry *newd)
{
	struct inode *inode = old->d_inode;
	int err =
	    gofer_link(conn_of(dir), fid_of(dir), newd->d_name, fid_of(inode));

	if (err < 0)
		return err;
	refresh(inode);
	d_instantiate(newd, inode_get(inode));
	refresh(dir);
	return 0;
}

static int remove_entry(struct inode *dir, struct dentry *d, int flags)
{
	int err = gofer_unlink(conn_of(dir), fid_of(dir), d->d_name, flags);

	if (err < 0)
		return err;
	refresh(d->d_inode);
	d_drop(d);
	refresh(dir);
	return 0;
}

static int goferfs_unlink(struct inode *dir, struct dentry *d)
{
	return remove_entry(dir, d, 0);
}

static int goferfs_rmdir(struct inode *dir, struct dentry *d)
{
	return remove_entry(dir, d, AT_REMOVEDIR);
}

static int goferfs_rename(struct inode *olddir, struct dentry *old,
			  struct inode *newdir, struct dentry *newd,
			  unsigned flags)
{
	/* NOTE: the gofer protocol's rename has no flags, so exchanging
	 * two names on a volume is not supported. */
	if (flags & RENAME_EXCHANGE)
		return -EINVAL;
	int err = gofer_rename(conn_of(olddir), fid_of(olddir), old->d_name,
			       fid_of(newdir), newd->d_name);
	if (err < 0)
		return err;
	d_move(old, newd);
	refresh(olddir);
	if (newdir != olddir)
		refresh(newdir);
	return 0;
}

static int goferfs_readlink(struct task *t, struct inode *inode, char *buf,
			    size_t size)
{
	char target[PATH_MAX];

	if (!S_ISLNK(inode->mode))
		return -EINVAL;
	int len = gofer_readlink(conn_of(inode), fid_of(inode), target,
				 sizeof(target) - 1);
	if (len < 0)
		return len;
	len = MIN((size_t)len, size);
	memcpy(buf, target, len);
	return len;
}

static int goferfs_setattr(struct inode *inode, const struct iattr *ia)
{
	struct gofer_setattr ga = {0};
	unsigned v = ia->ia_valid;

	if (v & ATTR_MODE) {
		ga.mask |= GOFER_SETATTR_MODE;
		ga.mode = ia->ia_mode & 07777;
	}
	if (v & ATTR_UID) {
		ga.mask |= GOFER_SETATTR_UID;
		ga.uid = ia->ia_uid;
	}
	if (v & ATTR_GID) {
		ga.mask |= GOFER_SETATTR_GID;
		ga.gid = ia->ia_gid;
	}
	if (v & ATTR_SIZE) {
		ga.mask |= GOFER_SETATTR_SIZE;
		ga.size = ia->ia_size;
	}
	if (v & ATTR_ATIME) {
		ga.mask |= GOFER_SETATTR_ATIME;
		ga.atime_sec = ia->ia_atime.tv_sec;
		ga.atime_nsec = ia->ia_atime.tv_nsec;
	}
	if (v & ATTR_MTIME) {
		ga.mask |= GOFER_SETATTR_MTIME;
		ga.mtime_sec = ia->ia_mtime.tv_sec;
		ga.mtime_nsec = ia->ia_mtime.tv_nsec;
	}
	if (v & ATTR_ATIME_NOW)
		ga.mask |= GOFER_SETATTR_ATIME_NOW;
	if (v & ATTR_MTIME_NOW)
		ga.mask |= GOFER_SETATTR_MTIME_NOW;
	if (ga.mask == 0) {
		/* ctime only (utimensat with both UTIME_OMIT): nothing the
		 * gofer can set. */
		return 0;
	}
	int err = gofer_setattr(conn_of(inode), fid_of(inode), &ga);
	if (err < 0)
		return err;
	refresh(inode);
	return 0;
}

static int goferfs_getattr(struct inode *inode, struct stat *st)
{
	struct gofer_stat gs;
	int err = gofer_getattr(conn_of(inode), fid_of(inode), &gs);

	if (err < 0)
		return err;
	apply_gofer_stat(inode, &gs);
	inode_stat(inode, st);
	st->st_blksize = gs.blksize > 0 ? gs.blksize : 4096;
	return 0;
}

static int goferfs_open(struct task *t, struct inode *inode, struct file *f)
{
	struct gofer_inode *gi = inode->private;

	switch (inode->mode & S_IFMT) {
	case S_IFREG: {
		int fd = -1;
		pthread_mutex_lock(&inode->lock);
		fd = take_fd(&gi->created_fd);
		pthread_mutex_unlock(&inode->lock);
		if (fd < 0) {
			int flags = f->f_flags & O_ACCMODE;
			if (flags == O_ACCMODE)
				flags = O_RDWR;
			int err =
			    gofer_open(conn_of(inode), gi->fid, flags, &fd);
			if (err < 0)
				return err;
		}
		f->host_fd = fd;
		f->f_op = &goferfs_file_fops;
		return 0;
	}
	case S_IFDIR:
		f->f_op = &goferfs_dir_fops;
		return 0;
	default:
		return open_special_inode(t, inode, f);
	}
}

static const struct inode_operations goferfs_iops = {
    .readlink = goferfs_readlink,
    .setattr = goferfs_setattr,
    .getattr = goferfs_getattr,
    .open = goferfs_open,
    .evict = goferfs_evict,
};

static const struct inode_operations goferfs_dir_iops = {
    .lookup = goferfs_lookup,
    .create = goferfs_create_file,
    .mkdir = goferfs_mkdir,
    .mknod = goferfs_mknod,
    .symlink = goferfs_symlink,
    .link = goferfs_link,
    .unlink = goferfs_unlink,
    .rmdir = goferfs_rmdir,
    .rename = goferfs_rename,
    .setattr = goferfs_setattr,
    .getattr = goferfs_getattr,
    .open = goferfs_open,
    .evict = goferfs_evict,
};

static int goferfs_statfs(struct super_block *sb, struct statfs *st)
{
	struct goferfs_sb *gsb = sb->s_fs_info;

	return gofer_statfs(gsb->conn, gsb->root_fid, st);
}

static const struct super_operations goferfs_sops = {
    .statfs = goferfs_statfs,
};

struct super_block *goferfs_mount_create(struct gofer_conn *conn,
					 gofer_fid_t root_fid,
					 const struct gofer_stat *st,
					 bool readonly)
{
	struct super_block *sb = sb_alloc("9p", "none", &goferfs_sops);
	struct goferfs_sb *gsb = xcalloc(1, sizeof(*gsb));

	gsb->conn = conn;
	gsb->root_fid = root_fid;
	sb->s_fs_info = gsb;
	if (readonly)
		sb->s_flags |= SB_RDONLY;
	sb->s_root = d_alloc(NULL, "/", 1);
	sb->s_root->d_sb = sb;
	d_instantiate(sb->s_root, goferfs_inode(sb, root_fid, st));
	return sb;
}

struct gofer_conn *goferfs_conn(struct inode *inode)
{
	return conn_of(inode);
}

gofer_fid_t goferfs_fid(struct inode *inode)
{
	return fid_of(inode);
}
