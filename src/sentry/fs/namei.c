/* Path resolution. The walk holds references, not locks, between
 * components: namespace_lock is taken for each lookup and each ".." step,
 * and dropped around symlink reads, which may call back into procfs. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/file.h"
#include "sentry/fs/namei.h"
#include "sentry/task.h"

int lookup_one_locked(struct task *t, struct dentry *parent, const char *name,
		      size_t len, struct dentry **out)
{
	struct inode *dir = parent->d_inode;
	struct dentry *d;
	int err;

	if (!dir || !dir->i_op || !dir->i_op->lookup)
		return -ENOTDIR;

	d = d_lookup(parent, name, len);
	if (d && !(d->d_flags & DCACHE_LOWER_STUB)) {
		*out = d;
		return 0;
	}
	if (d) {
		/* A name listed by an overlay's lower directory: the file
		 * system walks it now. */
		err = dir->i_op->lookup(t, dir, d);
		if (err < 0) {
			dput(d);
			return err;
		}
		*out = d;
		return 0;
	}

	d = d_alloc(parent, name, len);
	err = dir->i_op->lookup(t, dir, d);
	if (err < 0) {
		dput(d);
		return err;
	}
	if (!(d->d_flags & DCACHE_DONTCACHE))
		d_add(d);
	*out = d;
	return 0;
}

void follow_mounts(struct path *p)
{
	for (;;) {
		pthread_mutex_lock(&namespace_lock);
		bool mounted = p->dentry->d_mounted > 0;
		pthread_mutex_unlock(&namespace_lock);
		if (!mounted)
			return;

		struct mount *m = lookup_mnt(p->mnt, p->dentry);
		if (!m)
			return;
		struct path next = {mntget(m), dget(m->mnt_root)};
		path_put(p);
		*p = next;
	}
}

int read_link_target(struct task *t, struct inode *inode, char *buf)
{
	if (!inode->i_op || !inode->i_op->readlink)
		return -EINVAL;
	int len = inode->i_op->readlink(t, inode, buf, PATH_MAX - 1);
	if (len < 0)
		return len;
	buf[len] = '\0';
	return len;
}

static bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

/* Replace nd->path by p, taking over p's reference. */
static void nd_set_path(struct nameidata *nd, struct path *p)
{
	path_put(&nd->path);
	nd->path = *p;
}

/* Step to "..": stay at the task's root, climb out of a mount's root to
 * its mount point (possibly several times), then go down into anything
 * mounted on the result. */
static int follow_dotdot(struct nameidata *nd)
{
	for (;;) {
		if (path_equal(&nd->path, &nd->root)) {
			if (nd->flags & LOOKUP_BENEATH)
				return -EXDEV;
			return 0;
		}
		struct mount *mnt = nd->path.mnt;
		if (nd->path.dentry != mnt->mnt_root) {
			pthread_mutex_lock(&namespace_lock);
			struct dentry *parent = dget(nd->path.dentry->d_parent);
			pthread_mutex_unlock(&namespace_lock);
			struct path p = {mntget(mnt), parent};
			nd_set_path(nd, &p);
			break;
		}
		if (mnt->mnt_parent == mnt)
			return 0; /* the global root */
		if (nd->flags & LOOKUP_NO_XDEV)
			return -EXDEV;
		struct path p = {mntget(mnt->mnt_parent),
				 dget(mnt->mnt_mountpoint)};
		nd_set_path(nd, &p);
	}
	follow_mounts(&nd->path);
	return 0;
}

/* Look up name in nd->path and return the child path with mounts
 * crossed. */
static int walk_component(struct nameidata *nd, const char *name, size_t len,
			  struct path *out)
{
	struct dentry *d;

	pthread_mutex_lock(&namespace_lock);
	int err = lookup_one_locked(nd->t, nd->path.dentry, name, len, &d);
	pthread_mutex_unlock(&namespace_lock);
	if (err < 0)
		return err;

	out->mnt = mntget(nd->path.mnt);
	out->dentry = d;
	if (d->d_mounted) {
		if (nd->flags & LOOKUP_NO_XDEV) {
			path_put(out);
			return -EXDEV;
		}
		follow_mounts(out);
	}
	return 0;
}

/* Make the symlink at link the next thing to walk: its target followed by
 * the unwalked rest. A magic link jumps straight to its path. */
static int nd_expand_link(struct nameidata *nd, struct path *link)
{
	struct inode *inode = link->dentry->d_inode;

	if (++nd->total_links > MAXSYMLINKS)
		return -ELOOP;
	if (nd->flags & LOOKUP_NO_SYMLINKS)
		return -ELOOP;

	if (inode->i_op && inode->i_op->get_link) {
		struct path target;
		if (nd->flags & LOOKUP_NO_MAGICLINKS)
			return -ELOOP;
		int err = inode->i_op->get_link(nd->t, inode, &target);
		if (err < 0)
			return err;
		nd_set_path(nd, &target);
		return 0;
	}

	_cleanup_free_ char *target = xmalloc(PATH_MAX);
	int len = read_link_target(nd->t, inode, target);
	if (len < 0)
		return len;
	if (len == 0)
		return -ENOENT;
	if (target[0] == '/') {
		if (nd->flags & LOOKUP_BENEATH)
			return -EXDEV;
		struct path root = nd->root;
		path_get(&root);
		nd_set_path(nd, &root);
	}

	/* target + "/" + rest; the rest may be empty or only slashes. */
	size_t rest_len = strlen(nd->rest);
	char *buf = xmalloc(len + 1 + rest_len + 1);
	memcpy(buf, target, len);
	buf[len] = '/';
	memcpy(buf + len + 1, nd->rest, rest_len + 1);
	if (rest_len == 0)
		buf[len] = '\0';
	free(nd->buf);
	nd->buf = buf;
	nd->rest = buf;
	return 0;
}

static enum last_type component_type(const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return LAST_DOT;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return LAST_DOTDOT;
	return LAST_NORM;
}

static int may_lookup(struct nameidata *nd)
{
	struct inode *dir = nd->path.dentry->d_inode;

	if (!dir || !S_ISDIR(dir->mode))
		return -ENOTDIR;
	return inode_permission(nd->t, dir, MAY_EXEC);
}

/* Walk nd->rest up to its last component, following symlinks on the way,
 * and describe the last component in nd. */
static int link_path_walk(struct nameidata *nd)
{
	for (;;) {
		const char *s = nd->rest;

		if (*s == '/') {
			while (*s == '/')
				s++;
			if (nd->flags & LOOKUP_BENEATH)
				return -EXDEV;
			struct path root = nd->root;
			path_get(&root);
			nd_set_path(nd, &root);
		}
		if (*s == '\0') {
			/* "/" alone, or a symlink to "/". */
			nd->rest = s;
			nd->last_type = LAST_ROOT;
			nd->last[0] = '\0';
			nd->trailing_slash = false;
			return 0;
		}
		int err = may_lookup(nd);
		if (err < 0)
			return err;

		const char *name = s;
		size_t len = strcspn(s, "/");
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		s += len;
		bool slash = *s == '/';
		while (*s == '/')
			s++;
		nd->rest = s;

		if (*s == '\0') {
			memcpy(nd->last, name, len);
			nd->last[len] = '\0';
			nd->last_type = component_type(name, len);
			nd->trailing_slash = slash;
			return 0;
		}

		switch (component_type(name, len)) {
		case LAST_DOT:
			continue;
		case LAST_DOTDOT:
			err = follow_dotdot(nd);
			if (err < 0)
				return err;
			continue;
		default:
			break;
		}

		struct path child;
		err = walk_component(nd, name, len, &child);
		if (err < 0)
			return err;
		struct inode *inode = child.dentry->d_inode;
		if (!inode) {
			path_put(&child);
			return -ENOENT;
		}
		if (S_ISLNK(inode->mode)) {
			err = nd_expand_link(nd, &child);
			path_put(&child);
			if (err < 0)
				return err;
			continue;
		}
		nd_set_path(nd, &child);
	}
}

static int nd_init(struct nameidata *nd, struct task *t, int dirfd,
		   const char *name, unsigned flags)
{
	memset(nd, 0, sizeof(*nd));
	nd->t = t;
	nd->flags = flags;
	nd->buf = xstrdup(name);
	nd->rest = nd->buf;

	if (name[0] == '\0' && !(flags & LOOKUP_EMPTY))
		return -ENOENT;

	if (name[0] == '/' && !(flags & (LOOKUP_BENEATH | LOOKUP_IN_ROOT))) {
		fs_struct_get_root(t->fs, &nd->root);
		nd->path = nd->root;
		path_get(&nd->path);
		return 0;
	}

	if (dirfd == AT_FDCWD) {
		fs_struct_get_pwd(t->fs, &nd->path);
	} else {
		struct file *f = fd_get(t->files, dirfd);
		if (!f)
			return -EBADF;
		if (!f->f_path.dentry) {
			file_put(f);
			return -ENOTDIR;
		}
		nd->path = f->f_path;
		path_get(&nd->path);
		file_put(f);
		struct inode *dir = nd->path.dentry->d_inode;
		if (name[0] != '\0' && (!dir || !S_ISDIR(dir->mode)))
			return -ENOTDIR;
	}

	if (flags & (LOOKUP_BENEATH | LOOKUP_IN_ROOT)) {
		nd->root = nd->path;
		path_get(&nd->root);
	} else {
		fs_struct_get_root(t->fs, &nd->root);
	}
	if (name[0] == '/' && (flags & LOOKUP_BENEATH))
		return -EXDEV;
	return 0;
}

void nd_release(struct nameidata *nd)
{
	path_put(&nd->path);
	path_put(&nd->root);
	free(nd->buf);
	nd->buf = NULL;
}

/* Resolve the last component described in nd into nd->path. Returns 1
 * when it was a symlink that has been expanded into nd->rest (walk
 * again). */
static int lookup_last(struct nameidata *nd)
{
	struct path child;
	int err;

	switch (nd->last_type) {
	case LAST_ROOT:
	case LAST_DOT:
		return 0;
	case LAST_DOTDOT:
		return follow_dotdot(nd);
	case LAST_NORM:
		break;
	}

	err = walk_component(nd, nd->last, strlen(nd->last), &child);
	if (err < 0)
		return err;
	struct inode *inode = child.dentry->d_inode;
	if (!inode) {
		path_put(&child);
		return -ENOENT;
	}
	bool follow = (nd->flags & LOOKUP_FOLLOW) || nd->trailing_slash;
	if (S_ISLNK(inode->mode) && (nd->flags & LOOKUP_FOLLOW) &&
	    !nd->trailing_slash && (nd->flags & LOOKUP_OPEN) && inode->i_op &&
	    inode->i_op->open_link) {
		/* Let the opener call open_link on the link itself. */
		if (++nd->total_links > MAXSYMLINKS) {
			path_put(&child);
			return -ELOOP;
		}
		nd_set_path(nd, &child);
		return 0;
	}
	if (S_ISLNK(inode->mode) && follow) {
		bool magic = inode->i_op && inode->i_op->get_link;
		err = nd_expand_link(nd, &child);
		path_put(&child);
		if (err < 0)
			return err;
		return magic ? 0 : 1;
	}
	nd_set_path(nd, &child);
	return 0;
}

int filename_lookup(struct task *t, int dirfd, const char *name, unsigned flags,
		    struct path *out)
{
	struct nameidata nd;
	int err = nd_init(&nd, t, dirfd, name, flags);

	while (err == 0) {
		err = link_path_walk(&nd);
		if (err < 0)
			break;
		err = lookup_last(&nd);
		if (err <= 0)
			break;
		err = 0;
	}
	if (err == 0 && (nd.trailing_slash || (flags & LOOKUP_DIRECTORY))) {
		struct inode *inode = nd.path.dentry->d_inode;
		bool open_link = S_ISLNK(inode->mode) && (flags & LOOKUP_OPEN);
		if (!S_ISDIR(inode->mode) && !open_link)
			err = -ENOTDIR;
	}
	if (err == 0) {
		*out = nd.path;
		nd.path.mnt = NULL;
		nd.path.dentry = NULL;
	}
	nd_release(&nd);
	return err;
}

int filename_parentat(struct task *t, int dirfd, const char *name,
		      unsigned flags, struct nameidata *nd)
{
	int err = nd_init(nd, t, dirfd, name, flags);

	if (err == 0)
		err = link_path_walk(nd);
	if (err == 0 && nd->last_type == LAST_NORM)
		err = may_lookup(nd);
	if (err < 0)
		nd_release(nd);
	return err;
}

int nd_follow_last_link(struct nameidata *nd, struct dentry *link)
{
	struct path p = {mntget(nd->path.mnt), dget(link)};
	int err = nd_expand_link(nd, &p);

	path_put(&p);
	if (err < 0)
		return err;
	if (link->d_inode->i_op->get_link) {
		/* The walk has jumped to the magic link's file itself. */
		nd->last_type = LAST_DOT;
		nd->trailing_slash = false;
		return 0;
	}
	return link_path_walk(nd);
}
