/* vfs_init: the sandbox's mount tree. The root is an in-memory overlay
 * over the gofer's mount 0, volumes are goferfs mounts, and /proc, /dev,
 * /dev/shm, /dev/pts, /tmp and /sys are the sentry's own. */
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "sentry/config.h"
#include "sentry/fs/goferfs.h"
#include "sentry/fs/memfs.h"
#include "sentry/fs/namei.h"
#include "sentry/gofer_client.h"

int procfs_fill_super(struct super_block *sb, struct inode **root);

static struct gofer_conn *gofer;

struct gofer_conn *vfs_gofer(void)
{
	return gofer;
}

/* Find or create (as root, mode 0755) each directory of an absolute
 * path, crossing mounts; *out is the last one. */
static int mkdir_p(const struct path *root, const char *path, struct path *out)
{
	struct path cur = *root;
	const char *s = path;

	path_get(&cur);
	for (;;) {
		while (*s == '/')
			s++;
		if (*s == '\0')
			break;
		size_t len = strcspn(s, "/");
		if (len > NAME_MAX ||
		    (len == 2 && s[0] == '.' && s[1] == '.')) {
			path_put(&cur);
			return -EINVAL;
		}
		if (len == 1 && s[0] == '.') {
			s += len;
			continue;
		}

		struct dentry *d;
		pthread_mutex_lock(&namespace_lock);
		int err = lookup_one_locked(NULL, cur.dentry, s, len, &d);
		if (err == 0 && d_is_negative(d)) {
			struct inode *dir = cur.dentry->d_inode;
			struct inode_create ic = {.mode = S_IFDIR | 0755};
			err = dir->i_op->mkdir ? dir->i_op->mkdir(dir, d, &ic)
					       : -EPERM;
			if (err == 0 && (d->d_flags & DCACHE_UNHASHED))
				d_add(d);
			if (err < 0)
				dput(d);
		}
		pthread_mutex_unlock(&namespace_lock);
		if (err < 0) {
			path_put(&cur);
			return err;
		}
		struct path next = {mntget(cur.mnt), d};
		path_put(&cur);
		cur = next;
		follow_mounts(&cur);
		if (!S_ISDIR(cur.dentry->d_inode->mode)) {
			path_put(&cur);
			return -ENOTDIR;
		}
		s += len;
	}
	*out = cur;
	return 0;
}

/* Find or create (as root, mode 0644) the regular file name in the
 * directory dir, crossing mounts; *out is the file. A file mount point,
 * as Linux requires for a mount whose root is a file. */
static int mkfile_at(const struct path *dir, const char *name, struct path *out)
{
	struct dentry *d;
	int err;

	pthread_mutex_lock(&namespace_lock);
	err = lookup_one_locked(NULL, dir->dentry, name, strlen(name), &d);
	if (err == 0 && d_is_negative(d)) {
		struct inode *parent = dir->dentry->d_inode;
		struct inode_create ic = {.mode = S_IFREG | 0644};

		err = parent->i_op->create
			  ? parent->i_op->create(parent, d, &ic)
			  : -EACCES;
		if (err == 0 && (d->d_flags & DCACHE_UNHASHED))
			d_add(d);
		if (err < 0)
			dput(d);
	}
	pthread_mutex_unlock(&namespace_lock);
	if (err < 0)
		return err;

	struct path p = {mntget(dir->mnt), d};
	follow_mounts(&p);
	if (S_ISDIR(p.dentry->d_inode->mode)) {
		path_put(&p);
		return -EISDIR;
	}
	*out = p;
	return 0;
}

/* Find or create the mount point for a file system whose root is a
 * regular file: its parent directories, then the file itself. */
static int make_file_mount_point(const struct path *root, const char *where,
				 struct path *out)
{
	_cleanup_free_ char *parent = xstrdup(where);
	char *slash = strrchr(parent, '/');
	const char *name = slash ? slash + 1 : "";
	struct path dir;
	int err;

	if (!slash || *name == '\0' || strlen(name) > NAME_MAX ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	*slash = '\0';
	err = mkdir_p(root, parent, &dir);
	if (err < 0)
		return err;
	err = mkfile_at(&dir, name, out);
	path_put(&dir);
	return err;
}

/* Mount sb at where, creating the mount point: a directory, or a regular
 * file when the root of sb is not a directory. As on Linux, the mount
 * point must have the same kind as that root. */
static int mount_at(const struct path *root, const char *where,
		    struct super_block *sb, unsigned flags)
{
	bool dir = S_ISDIR(sb->s_root->d_inode->mode);
	struct path mp;
	int err = dir ? mkdir_p(root, where, &mp)
		      : make_file_mount_point(root, where, &mp);

	if (err < 0) {
		log_error("vfs: cannot create the %s mount point %s: %s%s",
			  dir ? "directory" : "file", where, strerror(-err),
			  err == -ENOTDIR || err == -EISDIR
			      ? " (a file can only be mounted on a file, a "
				"directory on a directory)"
			      : "");
		return err;
	}
	vfs_mount(mp.mnt, mp.dentry, sb, flags);
	path_put(&mp);
	return 0;
}

static void add_dev_node(struct dentry *dir, const char *name, mode_t mode,
			 dev_t rdev, const char *target)
{
	struct inode_create ic = {.mode = mode, .rdev = rdev};
	struct dentry *d;

	pthread_mutex_lock(&namespace_lock);
	int err = memfs_add_node(dir, name, &ic, target, &d);
	pthread_mutex_unlock(&namespace_lock);
	if (err < 0) {
		log_error("vfs: cannot create /dev/%s: %s", name,
			  strerror(-err));
		return;
	}
	dput(d);
}

/* /dev as a container runtime sets it up: the memory devices, stdio
 * links into /proc, and a controlling tty only when the sandbox's
 * stdin is one. */
static struct super_block *devfs_create(void)
{
	struct super_block *sb =
	    memfs_create("tmpfs", "tmpfs", S_IFDIR | 0755, 0, 0);
	struct dentry *dev = sb->s_root;
	static const struct {
		const char *name;
		unsigned minor;
	} mem_devices[] = {{"null", 3},
			   {"zero", 5},
			   {"full", 7},
			   {"random", 8},
			   {"urandom", 9}};

	for (size_t i = 0; i < ARRAY_SIZE(mem_devices); i++)
		add_dev_node(dev, mem_devices[i].name, S_IFCHR | 0666,
			     makedev(1, mem_devices[i].minor), NULL);
	if (isatty(0))
		add_dev_node(dev, "tty", S_IFCHR | 0666, makedev(5, 0), NULL);
	add_dev_node(dev, "fd", S_IFLNK | 0777, 0, "/proc/self/fd");
	add_dev_node(dev, "stdin", S_IFLNK | 0777, 0, "/proc/self/fd/0");
	add_dev_node(dev, "stdout", S_IFLNK | 0777, 0, "/proc/self/fd/1");
	add_dev_node(dev, "stderr", S_IFLNK | 0777, 0, "/proc/self/fd/2");
	add_dev_node(dev, "shm", S_IFDIR | 01777, 0, NULL);
	add_dev_node(dev, "pts", S_IFDIR | 0755, 0, NULL);
	return sb;
}

/* /dev/pts shows the host terminal the sandbox runs on, if any, with the
 * host's device, inode and device numbers, so ttyname() finds it by
 * comparing fstat of the terminal FD with stat of /dev/pts/N. */
static struct super_block *devpts_create(void)
{
	struct super_block *sb =
	    memfs_create("devpts", "devpts", S_IFDIR | 0755, 0, 0);
	struct inode_create ic = {0};
	struct dentry *d;
	struct stat st;
	char name[16];
	int fd, err;

	for (fd = 0; fd < 3; fd++)
		if (isatty(fd) && fstat(fd, &st) == 0 &&
		    major(st.st_rdev) >= 136 && major(st.st_rdev) <= 143)
			break;
	if (fd == 3)
		return sb;
	sb->s_dev = st.st_dev;
	ic.mode = S_IFCHR | (st.st_mode & 07777);
	ic.rdev = st.st_rdev;
	ic.uid = st.st_uid;
	ic.gid = st.st_gid;
	snprintf(name, sizeof(name), "%u",
		 (major(st.st_rdev) - 136) * 256 + minor(st.st_rdev));
	pthread_mutex_lock(&namespace_lock);
	err = memfs_add_node(sb->s_root, name, &ic, NULL, &d);
	pthread_mutex_unlock(&namespace_lock);
	if (err < 0) {
		log_error("vfs: cannot create /dev/pts/%s: %s", name,
			  strerror(-err));
		return sb;
	}
	d->d_inode->ino = st.st_ino;
	dput(d);
	return sb;
}

static struct super_block *procfs_create(void)
{
	struct super_block *sb = sb_alloc("proc", "proc", NULL);
	struct inode *root = NULL;
	int err = procfs_fill_super(sb, &root);

	if (err < 0 || !root) {
		log_error("vfs: procfs failed to start: %s",
			  strerror(err < 0 ? -err : EINVAL));
		root = synth_dir_create(sb, 0555, NULL, NULL, NULL);
	}
	sb->s_root = d_alloc(NULL, "/", 1);
	sb->s_root->d_sb = sb;
	d_instantiate(sb->s_root, root);
	return sb;
}

static bool volume_covers(const struct sentry_config *cfg, const char *path)
{
	for (int i = 1; i < cfg->nmounts; i++)
		if (strcmp(cfg->mounts[i].guest_path, path) == 0)
			return true;
	return false;
}

static struct super_block *gofer_sb(const struct sentry_mount *m, int *err)
{
	gofer_fid_t fid;
	struct gofer_stat st;

	*err = gofer_attach(gofer, m->gofer_index, &fid, &st);
	if (*err < 0) {
		log_error("vfs: attaching gofer mount %d (%s) failed: %s",
			  m->gofer_index, m->guest_path, strerror(-*err));
		return NULL;
	}
	if (m->overlay)
		return memfs_create_overlay(gofer, fid, &st);
	return goferfs_mount_create(gofer, fid, &st, m->readonly);
}

int vfs_init(const struct sentry_config *cfg, struct path *root)
{
	struct super_block *sb;
	int err;

	if (cfg->nmounts < 1 || strcmp(cfg->mounts[0].guest_path, "/") != 0) {
		log_error("vfs: the first mount must be \"/\"");
		return -EINVAL;
	}
	gofer = gofer_connect(cfg->gofer_fd);
	if (!gofer)
		return -ENOMEM;

	sb = gofer_sb(&cfg->mounts[0], &err);
	if (!sb)
		return err;
	bool ro = cfg->mounts[0].readonly && !cfg->mounts[0].overlay;
	struct mount *rootmnt =
	    vfs_mount(NULL, NULL, sb, ro ? MNT_READONLY : 0);
	root->mnt = mntget(rootmnt);
	root->dentry = dget(rootmnt->mnt_root);

	if (!volume_covers(cfg, "/proc"))
		mount_at(root, "/proc", procfs_create(), 0);
	if (!volume_covers(cfg, "/dev")) {
		mount_at(root, "/dev", devfs_create(), 0);
		mount_at(root, "/dev/shm",
			 memfs_create("tmpfs", "shm", S_IFDIR | 01777, 0, 0),
			 0);
		mount_at(root, "/dev/pts", devpts_create(), 0);
	}
	if (!volume_covers(cfg, "/tmp"))
		mount_at(root, "/tmp",
			 memfs_create("tmpfs", "tmpfs", S_IFDIR | 01777, 0, 0),
			 0);
	if (!volume_covers(cfg, "/sys")) {
		sb = memfs_create("sysfs", "sysfs", S_IFDIR | 0555, 0, 0);
		sb->s_flags |= SB_RDONLY;
		mount_at(root, "/sys", sb, MNT_READONLY);
	}

	/* Volumes go last, so one below /tmp or /dev lands on top of the
	 * sentry's own mount instead of being hidden by it. */
	for (int i = 1; i < cfg->nmounts; i++) {
		const struct sentry_mount *m = &cfg->mounts[i];
		sb = gofer_sb(m, &err);
		if (!sb)
			goto fail;
		err = mount_at(root, m->guest_path, sb,
			       m->readonly ? MNT_READONLY : 0);
		if (err < 0)
			goto fail;
	}
	return 0;
fail:
	path_put(root);
	return err;
}
