/* Super blocks and the mount tree. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "common/util.h"
#include "sentry/fs/fs.h"

struct mount *mount_list;

/* Anonymous device minors, as Linux gives tmpfs and procfs (major 0). The
 * first few are skipped so the numbers look like a booted system's. */
static unsigned next_anon_minor = 20;

struct super_block *sb_alloc(const char *type, const char *source,
			     const struct super_operations *sop)
{
	struct super_block *sb = xcalloc(1, sizeof(*sb));

	sb->refcount = 1;
	sb->s_type = type;
	sb->s_source = source;
	sb->s_op = sop;
	sb->s_dev = makedev(
	    0, __atomic_fetch_add(&next_anon_minor, 1, __ATOMIC_RELAXED));
	sb->s_next_ino = 1;
	return sb;
}

uint64_t sb_next_ino(struct super_block *sb)
{
	return __atomic_fetch_add(&sb->s_next_ino, 1, __ATOMIC_RELAXED);
}

struct mount *mntget(struct mount *m)
{
	if (m)
		__atomic_add_fetch(&m->refcount, 1, __ATOMIC_RELAXED);
	return m;
}

/* Mounts live as long as the sandbox (there is no umount), so the count
 * only guards against misuse. */
void mntput(struct mount *m)
{
	if (!m)
		return;
	int left = __atomic_sub_fetch(&m->refcount, 1, __ATOMIC_ACQ_REL);
	BUG_ON(left < 0);
}

struct mount *vfs_mount(struct mount *parent, struct dentry *mountpoint,
			struct super_block *sb, unsigned flags)
{
	struct mount *m = xcalloc(1, sizeof(*m));
	struct mount **tail = &mount_list;

	m->refcount = 1;
	m->mnt_sb = sb;
	m->mnt_root = dget(sb->s_root);
	m->mnt_flags = flags;
	m->mnt_opts = "";
	if (parent) {
		m->mnt_parent = parent;
		m->mnt_mountpoint = dget(mountpoint);
		pthread_mutex_lock(&namespace_lock);
		mountpoint->d_mounted++;
		mountpoint->d_flags |= DCACHE_MOUNTED;
		pthread_mutex_unlock(&namespace_lock);
	} else {
		m->mnt_parent = m;
		m->mnt_mountpoint = dget(sb->s_root);
	}
	while (*tail)
		tail = &(*tail)->mnt_next;
	*tail = m;
	return m;
}

struct mount *lookup_mnt(struct mount *parent, struct dentry *d)
{
	struct mount *found = NULL;

	/* The last mount on a mount point hides earlier ones. */
	for (struct mount *m = mount_list; m; m = m->mnt_next)
		if (m->mnt_parent == parent && m->mnt_mountpoint == d &&
		    m != parent)
			found = m;
	return found;
}
