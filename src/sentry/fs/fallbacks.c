/* Weak stand-ins for functions other parts of the sentry provide, so the
 * VFS links and runs before they exist. Each real definition replaces the
 * one here. */
#include <errno.h>

#include "sentry/fs/fs.h"

__attribute__((weak)) int fifo_open(struct task *t, struct inode *inode,
				    struct file *f)
{
	return -ENXIO;
}

__attribute__((weak)) const struct file_operations *chrdev_fops(dev_t rdev)
{
	return NULL;
}

/* Without procfs, /proc is an empty read-only directory. */
__attribute__((weak)) int procfs_fill_super(struct super_block *sb,
					    struct inode **root)
{
	*root = synth_dir_create(sb, 0555, NULL, NULL, NULL);
	return 0;
}
