/* memfd_create(2).
 *
 * A memfd is a memfs regular file on an internal tmpfs mount that no
 * mount table lists. Its dentry is named "memfd:NAME" and is marked
 * deleted from the start, so /proc/PID/fd/N reads "/memfd:NAME
 * (deleted)" as on Linux, and it has no link count. Its content is a host
 * memfd created with the guest's flags, so MFD_ALLOW_SEALING, MFD_HUGETLB
 * and the later flags behave, and fail, as the host kernel decides.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/memfd.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fdtable.h"
#include "sentry/fs/memfd.h"
#include "sentry/fs/memfs.h"
#include "sentry/fs/sys_fs.h"
#include "sentry/io.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#endif

/* Linux's MFD_NAME_MAX_LEN: NAME_MAX minus the "memfd:" prefix. */
#define MEMFD_NAME_MAX 249

static struct mount *memfd_mnt;
static pthread_once_t memfd_mnt_once = PTHREAD_ONCE_INIT;

static void memfd_mnt_init(void)
{
	struct super_block *sb =
	    memfs_create("tmpfs", "tmpfs", S_IFDIR | 01777, 0, 0);
	struct mount *m = xcalloc(1, sizeof(*m));

	m->refcount = 1;
	m->mnt_parent = m;
	m->mnt_mountpoint = dget(sb->s_root);
	m->mnt_root = dget(sb->s_root);
	m->mnt_sb = sb;
	m->mnt_opts = "";
	memfd_mnt = m;
}

/* Create the inode of a new memfd whose content is a host memfd made
 * with host_flags. */
static int memfd_new_inode(struct task *t, const char *name,
			   unsigned host_flags, struct inode **out)
{
	struct inode_create ic = {
	    .mode = S_IFREG | 0777,
	    .uid = t->cred.fsuid,
	    .gid = t->cred.fsgid,
	};
	struct inode *inode = memfs_new_inode(memfd_mnt->mnt_sb, &ic);
	struct memfs_inode *mi;
	int fd;

	if (!inode)
		return -ENOMEM;
	fd = memfd_create(name, host_flags | MFD_CLOEXEC);
	if (fd < 0) {
		int err = neg_errno();

		inode_put(inode);
		return err;
	}
	/* Nothing else sees the inode yet, so no lock is needed. */
	mi = inode->private;
	close(mi->memfd);
	mi->memfd = fd;
	inode->nlink = 0;
	*out = inode;
	return 0;
}

static int memfd_open_new(struct task *t, const char *name, unsigned flags,
			  struct file **out)
{
	char dname[sizeof("memfd:") + MEMFD_NAME_MAX];
	struct inode *inode;
	struct path p;
	int err;

	pthread_once(&memfd_mnt_once, memfd_mnt_init);
	err = memfd_new_inode(t, name, flags & ~MFD_CLOEXEC, &inode);
	if (err < 0)
		return err;
	snprintf(dname, sizeof(dname), "memfd:%s", name);
	p.dentry = d_alloc(memfd_mnt->mnt_root, dname, strlen(dname));
	d_instantiate(p.dentry, inode);
	p.dentry->d_flags |= DCACHE_DELETED;
	p.mnt = mntget(memfd_mnt);
	err = vfs_open_path(t, &p, O_RDWR | KERNEL_O_LARGEFILE, out);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE(SYS_memfd_create, memfd_create)
{
	unsigned flags = (unsigned)args[1];
	char name[MEMFD_NAME_MAX + 1];
	struct file *f;
	long len;
	int err, fd;

	len = strncpy_from_user(t, name, args[0], sizeof(name));
	if (len == -ENAMETOOLONG)
		return -EINVAL;
	if (len < 0)
		return len;
	err = memfd_open_new(t, name, flags, &f);
	if (err < 0)
		return err;
	fd = fd_install(t->files, f, 0, flags & MFD_CLOEXEC,
			task_nofile_limit(t));
	file_put(f);
	return fd;
}

/* The host memfd of a file on a tmpfs-type memfs, or a negative errno. */
static int seal_host_fd(struct file *f)
{
	struct inode *inode = f->f_inode;
	struct memfs_inode *mi;
	int fd;

	if (f->f_op != &memfs_file_fops || !inode ||
	    strcmp(inode->sb->s_type, "tmpfs") != 0)
		return -EINVAL;
	mi = inode->private;
	pthread_mutex_lock(&inode->lock);
	fd = mi->memfd;
	pthread_mutex_unlock(&inode->lock);
	return fd >= 0 ? fd : -EINVAL;
}

long memfd_fcntl_seals(struct file *f, int cmd, uint64_t arg)
{
	int fd = seal_host_fd(f);
	int r;

	if (fd < 0)
		return fd;
	if (cmd == F_GET_SEALS) {
		r = fcntl(fd, F_GET_SEALS);
		return r < 0 ? neg_errno() : r;
	}
	/* The host FD is always writable, so check the guest's mode. */
	if (!file_writable(f))
		return -EPERM;
	/* Linux reads the seals as an unsigned int. */
	r = fcntl(fd, F_ADD_SEALS, (unsigned)arg);
	return r < 0 ? neg_errno() : 0;
}
