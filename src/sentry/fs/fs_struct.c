/* Paths and the per-task fs_struct (root, working directory, umask). */
#include <stdlib.h>

#include "common/util.h"
#include "sentry/fs/fs.h"

void path_get(const struct path *p)
{
	mntget(p->mnt);
	dget(p->dentry);
}

void path_put(struct path *p)
{
	dput(p->dentry);
	mntput(p->mnt);
	p->dentry = NULL;
	p->mnt = NULL;
}

struct fs_struct *fs_struct_create(const struct path *root)
{
	struct fs_struct *fs = xcalloc(1, sizeof(*fs));

	pthread_mutex_init(&fs->lock, NULL);
	fs->users = 1;
	fs->root = *root;
	fs->pwd = *root;
	path_get(&fs->root);
	path_get(&fs->pwd);
	fs->umask = 022;
	return fs;
}

/* A private copy for fork without CLONE_FS. */
struct fs_struct *fs_struct_copy(struct fs_struct *old)
{
	struct fs_struct *fs = xcalloc(1, sizeof(*fs));

	pthread_mutex_init(&fs->lock, NULL);
	fs->users = 1;
	pthread_mutex_lock(&old->lock);
	fs->root = old->root;
	fs->pwd = old->pwd;
	path_get(&fs->root);
	path_get(&fs->pwd);
	fs->umask = old->umask;
	pthread_mutex_unlock(&old->lock);
	return fs;
}

void fs_struct_put(struct fs_struct *fs)
{
	if (!fs)
		return;
	if (__atomic_sub_fetch(&fs->users, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	path_put(&fs->root);
	path_put(&fs->pwd);
	pthread_mutex_destroy(&fs->lock);
	free(fs);
}

/* Copy the task's root and cwd with references (for a path walk that
 * must not hold fs->lock). */
void fs_struct_get_root(struct fs_struct *fs, struct path *root)
{
	pthread_mutex_lock(&fs->lock);
	*root = fs->root;
	path_get(root);
	pthread_mutex_unlock(&fs->lock);
}

void fs_struct_get_pwd(struct fs_struct *fs, struct path *pwd)
{
	pthread_mutex_lock(&fs->lock);
	*pwd = fs->pwd;
	path_get(pwd);
	pthread_mutex_unlock(&fs->lock);
}

/* Replace the root or cwd; takes over the reference of p. */
void fs_struct_set_root(struct fs_struct *fs, struct path *p)
{
	pthread_mutex_lock(&fs->lock);
	struct path old = fs->root;
	fs->root = *p;
	pthread_mutex_unlock(&fs->lock);
	path_put(&old);
}

void fs_struct_set_pwd(struct fs_struct *fs, struct path *p)
{
	pthread_mutex_lock(&fs->lock);
	struct path old = fs->pwd;
	fs->pwd = *p;
	pthread_mutex_unlock(&fs->lock);
	path_put(&old);
}
