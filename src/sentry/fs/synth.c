/* Synthetic inodes: directories, files and symlinks whose contents come
 * from callbacks (procfs). Files are generated once per open, so a reader
 * sees one consistent snapshot however it splits its reads. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "sentry/fs/fs.h"

struct synth_entry {
	char *name;
	struct inode *inode;
};

struct synth_node {
	const struct synth_dir_ops *dir_ops;
	const struct synth_file_ops *file_ops;
	synth_link_t link;
	void *priv;
	void (*release)(void *priv);
	/* Static directory entries, in listing order. */
	struct synth_entry *entries;
	int nentries;
};

/* The content generated at open. */
struct synth_snapshot {
	char *buf;
	size_t len;
};

static const struct inode_operations synth_dir_iops;
static const struct inode_operations synth_file_iops;
static const struct inode_operations synth_link_iops;
static const struct file_operations synth_dir_fops;
static const struct file_operations synth_file_fops;

static struct inode *synth_new(struct super_block *sb, mode_t mode,
			       const struct inode_operations *iop,
			       const struct file_operations *fop, void *priv,
			       void (*release)(void *))
{
	struct inode *inode = inode_alloc(sb, mode, iop, fop);
	struct synth_node *n = xcalloc(1, sizeof(*n));

	n->priv = priv;
	n->release = release;
	inode->private = n;
	return inode;
}

struct inode *synth_dir_create(struct super_block *sb, mode_t mode,
			       const struct synth_dir_ops *ops, void *priv,
			       void (*release)(void *priv))
{
	struct inode *inode =
	    synth_new(sb, S_IFDIR | (mode & 07777), &synth_dir_iops,
		      &synth_dir_fops, priv, release);

	((struct synth_node *)inode->private)->dir_ops = ops;
	return inode;
}

struct inode *synth_file_create(struct super_block *sb, mode_t mode,
				const struct synth_file_ops *ops, void *priv,
				void (*release)(void *priv))
{
	struct inode *inode =
	    synth_new(sb, S_IFREG | (mode & 07777), &synth_file_iops,
		      &synth_file_fops, priv, release);

	((struct synth_node *)inode->private)->file_ops = ops;
	return inode;
}

struct inode *synth_symlink_create(struct super_block *sb, synth_link_t target,
				   void *priv, void (*release)(void *priv))
{
	struct inode *inode = synth_new(sb, S_IFLNK | 0777, &synth_link_iops,
					NULL, priv, release);

	((struct synth_node *)inode->private)->link = target;
	return inode;
}

void *synth_priv(struct inode *inode)
{
	return ((struct synth_node *)inode->private)->priv;
}

int synth_dir_add(struct inode *dir, const char *name, struct inode *child)
{
	struct synth_node *n = dir->private;

	BUG_ON(dir->i_op != &synth_dir_iops);
	for (int i = 0; i < n->nentries; i++) {
		if (strcmp(n->entries[i].name, name) == 0) {
			inode_put(child);
			return -EEXIST;
		}
	}
	n->entries =
	    xrealloc(n->entries, (n->nentries + 1) * sizeof(*n->entries));
	n->entries[n->nentries].name = xstrdup(name);
	n->entries[n->nentries].inode = child;
	n->nentries++;
	if (S_ISDIR(child->mode)) {
		pthread_mutex_lock(&dir->lock);
		dir->nlink++;
		pthread_mutex_unlock(&dir->lock);
	}
	return 0;
}

static void synth_evict(struct inode *inode)
{
	struct synth_node *n = inode->private;

	for (int i = 0; i < n->nentries; i++) {
		free(n->entries[i].name);
		inode_put(n->entries[i].inode);
	}
	free(n->entries);
	if (n->release)
		n->release(n->priv);
	free(n);
}

/* Every result is left uncached, so dynamic entries disappear as soon as
 * the callback stops returning them. */
static int synth_lookup(struct task *t, struct inode *dir, struct dentry *d)
{
	struct synth_node *n = dir->private;
	struct inode *inode = NULL;

	d->d_flags |= DCACHE_DONTCACHE;
	for (int i = 0; i < n->nentries; i++) {
		if (strcmp(n->entries[i].name, d->d_name) == 0) {
			d_instantiate(d, inode_get(n->entries[i].inode));
			return 0;
		}
	}
	if (!n->dir_ops || !n->dir_ops->lookup)
		return 0;

	int err = n->dir_ops->lookup(t, n->priv, d->d_name, &inode);
	if (err == -ENOENT)
		return 0;
	if (err < 0)
		return err;
	d_instantiate(d, inode);
	return 0;
}

static unsigned char mode_to_dtype(mode_t mode)
{
	return (mode & S_IFMT) >> 12;
}

/* Adapts synth_emit_t to the getdents filler, tracking f_pos. */
struct synth_iter {
	struct file *file;
	filldir_t fill;
	void *ctx;
	bool full;
};

static int synth_emit(void *ctx, const char *name, uint64_t ino,
		      unsigned char dtype)
{
	struct synth_iter *it = ctx;
	int64_t next = it->file->f_pos + 1;

	if (it->full)
		return 1;
	if (it->fill(it->ctx, name, strlen(name), next, ino, dtype)) {
		it->full = true;
		return 1;
	}
	it->file->f_pos = next;
	return 0;
}

/* Offsets: 0 is ".", 1 is "..", then the static entries, then the
 * dynamic ones by their index. */
static int synth_iterate(struct task *t, struct file *f, filldir_t fill,
			 void *ctx)
{
	struct inode *dir = f->f_inode;
	struct synth_node *n = dir->private;
	struct synth_iter it = {.file = f, .fill = fill, .ctx = ctx};

	if (f->f_pos == 0 && synth_emit(&it, ".", dir->ino, DT_DIR))
		return 0;
	if (f->f_pos == 1) {
		pthread_mutex_lock(&namespace_lock);
		struct inode *parent = f->f_path.dentry->d_parent->d_inode;
		uint64_t pino = parent ? parent->ino : dir->ino;
		pthread_mutex_unlock(&namespace_lock);
		if (synth_emit(&it, "..", pino, DT_DIR))
			return 0;
	}
	while (f->f_pos >= 2 && f->f_pos - 2 < n->nentries) {
		struct synth_entry *e = &n->entries[f->f_pos - 2];
		if (synth_emit(&it, e->name, e->inode->ino,
			       mode_to_dtype(e->inode->mode)))
			return 0;
	}
	if (!n->dir_ops || !n->dir_ops->iterate)
		return 0;
	int r = n->dir_ops->iterate(t, n->priv, f->f_pos - 2 - n->nentries,
				    synth_emit, &it);
	return r < 0 ? r : 0;
}

static int synth_readlink(struct task *t, struct inode *inode, char *buf,
			  size_t size)
{
	struct synth_node *n = inode->private;

	return n->link(t, n->priv, buf, size);
}

static int synth_file_open(struct task *t, struct inode *inode, struct file *f)
{
	struct synth_node *n = inode->private;
	struct synth_snapshot *snap = xcalloc(1, sizeof(*snap));

	f->f_op = &synth_file_fops;
	f->private_data = snap;
	if (!file_readable(f) || !n->file_ops->show)
		return 0;
	int err = n->file_ops->show(t, n->priv, &snap->buf, &snap->len);
	if (err < 0)
		return err;
	return 0;
}

static long synth_file_read(struct task *t, struct file *f, void *buf,
			    size_t len, int64_t *pos)
{
	struct synth_snapshot *snap = f->private_data;

	if (*pos >= (int64_t)snap->len)
		return 0;
	size_t n = MIN(len, snap->len - *pos);
	memcpy(buf, snap->buf + *pos, n);
	*pos += n;
	return n;
}

static long synth_file_write(struct task *t, struct file *f, const void *buf,
			     size_t len, int64_t *pos)
{
	struct synth_node *n = f->f_inode->private;

	if (!n->file_ops->store)
		return -EINVAL;
	long r = n->file_ops->store(t, n->priv, buf, len);
	if (r > 0)
		*pos += r;
	return r;
}

static int64_t synth_file_llseek(struct file *f, int64_t off, int whence)
{
	struct synth_snapshot *snap = f->private_data;
	int64_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_pos;
		break;
	case SEEK_END:
		base = snap->len;
		break;
	default:
		return -EINVAL;
	}
	if (off < 0 && base + off < 0)
		return -EINVAL;
	f->f_pos = base + off;
	return f->f_pos;
}

static void synth_file_release(struct file *f)
{
	struct synth_snapshot *snap = f->private_data;

	if (snap)
		free(snap->buf);
	free(snap);
}

static int64_t synth_dir_llseek(struct file *f, int64_t off, int whence)
{
	if (whence == SEEK_SET && off >= 0)
		return f->f_pos = off;
	if (whence == SEEK_CUR && f->f_pos + off >= 0)
		return f->f_pos += off;
	return -EINVAL;
}

static const struct inode_operations synth_dir_iops = {
    .lookup = synth_lookup,
    .evict = synth_evict,
};

static const struct inode_operations synth_file_iops = {
    .open = synth_file_open,
    .evict = synth_evict,
};

static const struct inode_operations synth_link_iops = {
    .readlink = synth_readlink,
    .evict = synth_evict,
};

static const struct file_operations synth_dir_fops = {
    .iterate = synth_iterate,
    .llseek = synth_dir_llseek,
};

static const struct file_operations synth_file_fops = {
    .read = synth_file_read,
    .write = synth_file_write,
    .llseek = synth_file_llseek,
    .release = synth_file_release,
};
