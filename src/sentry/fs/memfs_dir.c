/* memfs directory operations. They run with namespace_lock held, and the
 * dentry cache is the directory: creating a name instantiates a dentry,
 * removing one unhashes it. In a directory with a lower layer a removed
 * name is replaced by a negative dentry, which hides the lower entry. */
#include <errno.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "sentry/fs/memfs.h"

/* tmpfs's directory size: 20 bytes per entry. */
#define BOGO_DIRENT_SIZE 20

static bool dir_has_lower(struct inode *dir)
{
	return ((struct memfs_inode *)dir->private)->has_lower;
}

/* Account for an entry added (delta 1) or removed (-1) and set the
 * directory's mtime and ctime. */
static void dir_entries_changed(struct inode *dir, int delta, int subdirs)
{
	pthread_mutex_lock(&dir->lock);
	dir->size += delta * BOGO_DIRENT_SIZE;
	dir->nlink += subdirs;
	pthread_mutex_unlock(&dir->lock);
	inode_touch_mtime(dir);
}

/* Hash a negative dentry named name in parent, hiding the lower entry. */
static void add_whiteout(struct dentry *parent, const char *name)
{
	struct dentry *w = d_alloc(parent, name, strlen(name));

	d_add(w);
	dput(w);
}

/* Unhash d and, over a lower layer, leave a whiteout in its place. */
static void remove_name(struct inode *dir, struct dentry *d)
{
	struct dentry *parent = d->d_parent;

	d_drop(d);
	if (dir_has_lower(dir))
		add_whiteout(parent, d->d_name);
}

static int memfs_lookup(struct task *t, struct inode *dir, struct dentry *d)
{
	struct memfs_inode *mi = dir->private;
	bool stub = d->d_flags & DCACHE_LOWER_STUB;

	if (!stub && (!mi->has_lower || mi->lower_complete)) {
		/* The cache has every name: this one does not exist. */
		d->d_flags |= DCACHE_DONTCACHE;
		return 0;
	}

	gofer_fid_t fid;
	struct gofer_stat st;
	int err = gofer_walk(memfs_gofer(dir->sb), mi->lower_fid, d->d_name,
			     &fid, &st);
	if (err == -ENOENT) {
		/* Cached negative: the lower layer does not change. */
		d->d_flags &= ~DCACHE_LOWER_STUB;
		return 0;
	}
	if (err < 0)
		return err;
	/* NOTE: each lower name gets its own inode, so after a copy-up
	 * through one name, another hard link to the same host file still
	 * shows the host's content. */
	d_instantiate(d, memfs_inode_from_lower(dir->sb, fid, &st));
	return 0;
}

static int memfs_create_node(struct inode *dir, struct dentry *d,
			     const struct inode_create *ic, const char *target)
{
	struct inode *inode = memfs_new_inode(dir->sb, ic);

	if (!inode)
		return -ENOSPC;
	if (target) {
		struct memfs_inode *mi = inode->private;
		mi->target = xstrdup(target);
		inode->size = strlen(target);
	}
	d_instantiate(d, inode);
	dir_entries_changed(dir, 1, S_ISDIR(ic->mode) ? 1 : 0);
	return 0;
}

static int memfs_dir_create(struct inode *dir, struct dentry *d,
			    const struct inode_create *ic)
{
	return memfs_create_node(dir, d, ic, NULL);
}

static int memfs_symlink(struct inode *dir, struct dentry *d,
			 const char *target, const struct inode_create *ic)
{
	return memfs_create_node(dir, d, ic, target);
}

static int memfs_link(struct dentry *old, struct inode *dir,
		      struct dentry *newd)
{
	struct inode *inode = old->d_inode;

	pthread_mutex_lock(&inode->lock);
	inode->nlink++;
	pthread_mutex_unlock(&inode->lock);
	inode_touch_ctime(inode);
	d_instantiate(newd, inode_get(inode));
	dir_entries_changed(dir, 1, 0);
	return 0;
}

static void drop_nlink(struct inode *inode, bool all)
{
	pthread_mutex_lock(&inode->lock);
	if (all)
		inode->nlink = 0;
	else if (inode->nlink > 0)
		inode->nlink--;
	pthread_mutex_unlock(&inode->lock);
	inode_touch_ctime(inode);
}

static int memfs_unlink(struct inode *dir, struct dentry *d)
{
	drop_nlink(d->d_inode, false);
	remove_name(dir, d);
	dir_entries_changed(dir, -1, 0);
	return 0;
}

int memfs_load_lower_dir(struct dentry *dir)
{
	struct inode *inode = dir->d_inode;
	struct memfs_inode *mi = inode->private;
	enum { BATCH = 128 };

	if (mi->lower_complete)
		return 0;
	_cleanup_free_ struct gofer_dirent *ents =
	    xmalloc(BATCH * sizeof(*ents));
	uint64_t off = 0;
	for (;;) {
		int n = gofer_getdents(memfs_gofer(inode->sb), mi->lower_fid,
				       off, ents, BATCH);
		if (n < 0)
			return n;
		if (n == 0)
			break;
		for (int i = 0; i < n; i++) {
			const char *name = ents[i].name;
			size_t len = strlen(name);
			off = ents[i].next_offset;
			struct dentry *old = d_lookup(dir, name, len);
			if (old) {
				dput(old);
				continue;
			}
			struct dentry *stub = d_alloc(dir, name, len);
			stub->d_flags |= DCACHE_LOWER_STUB;
			stub->d_stub_ino = ents[i].ino;
			stub->d_stub_type = ents[i].type;
			d_add(stub);
			dput(stub);
		}
	}
	mi->lower_complete = true;
	return 0;
}

static int child_present(struct dentry *child, void *ctx)
{
	return child->d_inode || (child->d_flags & DCACHE_LOWER_STUB);
}

int memfs_dir_empty(struct dentry *dir)
{
	int err = memfs_load_lower_dir(dir);

	if (err < 0)
		return err;
	return d_for_each_child(dir, 0, child_present, NULL) ? 0 : 1;
}

static int memfs_rmdir(struct inode *dir, struct dentry *d)
{
	int empty = memfs_dir_empty(d);

	if (empty < 0)
		return empty;
	if (!empty)
		return -ENOTEMPTY;
	drop_nlink(d->d_inode, true);
	remove_name(dir, d);
	dir_entries_changed(dir, -1, -1);
	return 0;
}

static int memfs_exchange(struct inode *olddir, struct dentry *old,
			  struct inode *newdir, struct dentry *newd)
{
	int old_is_dir = S_ISDIR(old->d_inode->mode);
	int new_is_dir = S_ISDIR(newd->d_inode->mode);

	if (olddir != newdir) {
		dir_entries_changed(olddir, 0, new_is_dir - old_is_dir);
		dir_entries_changed(newdir, 0, old_is_dir - new_is_dir);
	} else {
		inode_touch_mtime(olddir);
	}
	inode_touch_ctime(old->d_inode);
	inode_touch_ctime(newd->d_inode);
	d_exchange(old, newd);
	return 0;
}

static int memfs_rename(struct inode *olddir, struct dentry *old,
			struct inode *newdir, struct dentry *newd,
			unsigned flags)
{
	if (flags & RENAME_EXCHANGE)
		return memfs_exchange(olddir, old, newdir, newd);

	bool is_dir = S_ISDIR(old->d_inode->mode);
	struct inode *victim = newd->d_inode;
	if (victim && S_ISDIR(victim->mode)) {
		int empty = memfs_dir_empty(newd);
		if (empty < 0)
			return empty;
		if (!empty)
			return -ENOTEMPTY;
	}

	if (victim)
		drop_nlink(victim, S_ISDIR(victim->mode));
	int new_subdirs =
	    (is_dir ? 1 : 0) - (victim && S_ISDIR(victim->mode) ? 1 : 0);
	dir_entries_changed(olddir, -1, is_dir ? -1 : 0);
	dir_entries_changed(newdir, victim ? 0 : 1, new_subdirs);
	inode_touch_ctime(old->d_inode);

	_cleanup_free_ char *oldname = xstrdup(old->d_name);
	struct dentry *oldparent = dget(old->d_parent);
	d_move(old, newd);
	if (dir_has_lower(olddir))
		add_whiteout(oldparent, oldname);
	dput(oldparent);
	return 0;
}

const struct inode_operations memfs_dir_iops = {
    .lookup = memfs_lookup,
    .create = memfs_dir_create,
    .mkdir = memfs_dir_create,
    .mknod = memfs_dir_create,
    .symlink = memfs_symlink,
    .link = memfs_link,
    .unlink = memfs_unlink,
    .rmdir = memfs_rmdir,
    .rename = memfs_rename,
    .setattr = memfs_inode_setattr,
    .open = memfs_inode_open,
    .evict = memfs_inode_evict,
};
