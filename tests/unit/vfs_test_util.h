/* Shared set-up for the VFS unit tests: a task with a root path, an FD
 * table and root or user credentials, plus small helpers that drive the
 * VFS through the same entry points the syscalls use. */
#ifndef MOAT_TESTS_UNIT_VFS_TEST_UTIL_H
#define MOAT_TESTS_UNIT_VFS_TEST_UTIL_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/fdtable.h"
#include "sentry/file.h"
#include "sentry/fs/fs.h"
#include "sentry/fs/namei.h"
#include "sentry/fs/vfs_internal.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "unit_check.h"

/* Compare two integers and print both on a mismatch (errno values). */
#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		long a_ = (long)(a), b_ = (long)(b);                           \
		if (a_ != b_) {                                                \
			fprintf(stderr, "%s:%d: %s = %ld, expected %ld\n",     \
				__FILE__, __LINE__, #a, a_, b_);               \
			failures++;                                            \
		}                                                              \
	} while (0)

/* A root task whose root and cwd are the root of sb. */
static inline void task_setup(struct task *t, struct super_block *sb)
{
	struct mount *m = vfs_mount(NULL, NULL, sb, 0);
	struct path root = {m, m->mnt_root};

	memset(t, 0, sizeof(*t));
	t->fs = fs_struct_create(&root);
	t->fs->umask = 022;
	t->files = fdtable_create();
	t->cred.cap_effective = ~0ull;
}

static inline void task_set_user(struct task *t, uid_t uid, gid_t gid)
{
	t->cred.uid = t->cred.euid = t->cred.suid = t->cred.fsuid = uid;
	t->cred.gid = t->cred.egid = t->cred.sgid = t->cred.fsgid = gid;
	t->cred.cap_effective = uid == 0 ? ~0ull : 0;
}

static inline int lookup_err(struct task *t, const char *name, unsigned flags)
{
	struct path p;
	int err = filename_lookup(t, AT_FDCWD, name, flags, &p);

	if (err == 0)
		path_put(&p);
	return err;
}

static inline int open_close(struct task *t, const char *name, int flags,
			     mode_t mode)
{
	struct file *f;
	int err = vfs_open(t, AT_FDCWD, name, flags, mode, &f);

	if (err == 0)
		file_put(f);
	return err;
}

static inline int write_file(struct task *t, const char *name, const char *data)
{
	struct file *f;
	int err =
	    vfs_open(t, AT_FDCWD, name, O_WRONLY | O_CREAT | O_TRUNC, 0644, &f);

	if (err < 0)
		return err;
	long n = f->f_op->write(t, f, data, strlen(data), &f->f_pos);
	file_put(f);
	return n < 0 ? (int)n : 0;
}

/* Read up to size - 1 bytes of a file into buf as a string. */
static inline long read_file(struct task *t, const char *name, char *buf,
			     size_t size)
{
	struct file *f;
	int err = vfs_open(t, AT_FDCWD, name, O_RDONLY, 0, &f);

	if (err < 0)
		return err;
	long n = f->f_op->read(t, f, buf, size - 1, &f->f_pos);
	file_put(f);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

struct name_list {
	char text[4096]; /* names separated by spaces */
	int count;
};

static inline int collect_name(void *ctx, const char *name, size_t len,
			       int64_t next_off, uint64_t ino, unsigned type)
{
	struct name_list *l = ctx;

	strncat(l->text, name, len);
	strcat(l->text, " ");
	l->count++;
	return 0;
}

/* List a directory into l; returns 0 or a negative errno. */
static inline int list_dir(struct task *t, const char *name,
			   struct name_list *l)
{
	struct file *f;
	int err = vfs_open(t, AT_FDCWD, name, O_RDONLY | O_DIRECTORY, 0, &f);

	memset(l, 0, sizeof(*l));
	if (err < 0)
		return err;
	err = f->f_op->iterate(t, f, collect_name, l);
	file_put(f);
	return err;
}

/* Does the space-separated list contain name as a whole word? */
static inline bool listed(const struct name_list *l, const char *name)
{
	char word[300];

	snprintf(word, sizeof(word), " %s ", name);
	char text[4200];
	snprintf(text, sizeof(text), " %s", l->text);
	return strstr(text, word) != NULL;
}

static inline int stat_path(struct task *t, const char *name, struct stat *st,
			    bool follow)
{
	struct path p;
	int err =
	    filename_lookup(t, AT_FDCWD, name, follow ? LOOKUP_FOLLOW : 0, &p);

	if (err < 0)
		return err;
	err = inode_getattr(p.dentry->d_inode, st);
	path_put(&p);
	return err;
}

#endif
