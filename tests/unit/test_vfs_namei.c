/* Unit tests of path resolution on a memfs tree: symlink loops, ".." at
 * the root, trailing slashes, name lengths, search permission, chroot
 * confinement and mount crossing. */
#include <errno.h>
#include <limits.h>

#include "sentry/fs/memfs.h"
#include "vfs_test_util.h"

static struct task task;

static void test_dotdot_at_root(void)
{
	struct path root, p;

	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/a", 0755), 0);
	fs_struct_get_root(task.fs, &root);
	CHECK_EQ(filename_lookup(&task, AT_FDCWD, "/../../..", 0, &p), 0);
	CHECK(p.dentry == root.dentry);
	path_put(&p);
	CHECK_EQ(filename_lookup(&task, AT_FDCWD, "/a/../../a/..", 0, &p), 0);
	CHECK(p.dentry == root.dentry);
	path_put(&p);
	path_put(&root);
}

static void test_symlink_loop(void)
{
	CHECK_EQ(vfs_symlinkat(&task, "loop2", AT_FDCWD, "/loop1"), 0);
	CHECK_EQ(vfs_symlinkat(&task, "loop1", AT_FDCWD, "/loop2"), 0);
	CHECK_EQ(lookup_err(&task, "/loop1", LOOKUP_FOLLOW), -ELOOP);
	CHECK_EQ(lookup_err(&task, "/loop1/x", 0), -ELOOP);
	/* Without following, the link itself resolves. */
	CHECK_EQ(lookup_err(&task, "/loop1", 0), 0);
	CHECK_EQ(open_close(&task, "/loop1", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
}

/* A chain of 40 links resolves; 41 is one too many. */
static void test_symlink_limit(void)
{
	char name[32], target[32];

	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/chain", 0755), 0);
	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/chain/end", 0755), 0);
	for (int i = 0; i <= MAXSYMLINKS; i++) {
		snprintf(name, sizeof(name), "/chain/l%d", i);
		if (i == 0)
			snprintf(target, sizeof(target), "end");
		else
			snprintf(target, sizeof(target), "l%d", i - 1);
		CHECK_EQ(vfs_symlinkat(&task, target, AT_FDCWD, name), 0);
	}
	CHECK_EQ(lookup_err(&task, "/chain/l39", LOOKUP_FOLLOW), 0);
	CHECK_EQ(lookup_err(&task, "/chain/l40", LOOKUP_FOLLOW), -ELOOP);
}

static void test_trailing_slash(void)
{
	CHECK_EQ(write_file(&task, "/file", "x"), 0);
	CHECK_EQ(lookup_err(&task, "/file/", LOOKUP_FOLLOW), -ENOTDIR);
	CHECK_EQ(lookup_err(&task, "/file/.", LOOKUP_FOLLOW), -ENOTDIR);
	CHECK_EQ(lookup_err(&task, "/a/", LOOKUP_FOLLOW), 0);
	CHECK_EQ(open_close(&task, "/new/", O_CREAT | O_WRONLY, 0644), -EISDIR);
	CHECK_EQ(open_close(&task, "/a", O_CREAT | O_WRONLY, 0644), -EISDIR);
	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/slashdir/", 0755), 0);
	CHECK_EQ(vfs_mknodat(&task, AT_FDCWD, "/nofile/", S_IFREG | 0644, 0),
		 -ENOENT);
	CHECK_EQ(vfs_unlinkat(&task, AT_FDCWD, "/file/", 0), -ENOTDIR);
	CHECK_EQ(vfs_unlinkat(&task, AT_FDCWD, "/a/", 0), -EISDIR);
	/* A trailing slash follows a symlink to a directory. */
	CHECK_EQ(vfs_symlinkat(&task, "a", AT_FDCWD, "/alink"), 0);
	CHECK_EQ(lookup_err(&task, "/alink/", 0), 0);
	struct stat st;
	CHECK_EQ(stat_path(&task, "/alink/", &st, false), 0);
	CHECK(S_ISDIR(st.st_mode));
}

static void test_name_too_long(void)
{
	char name[NAME_MAX + 3];

	name[0] = '/';
	memset(name + 1, 'n', NAME_MAX + 1);
	name[NAME_MAX + 2] = '\0';
	CHECK_EQ(lookup_err(&task, name, 0), -ENAMETOOLONG);
	CHECK_EQ(open_close(&task, name, O_CREAT | O_WRONLY, 0644),
		 -ENAMETOOLONG);
	name[NAME_MAX + 1] = '\0'; /* exactly NAME_MAX bytes */
	CHECK_EQ(lookup_err(&task, name, 0), -ENOENT);
	CHECK_EQ(open_close(&task, name, O_CREAT | O_WRONLY, 0644), 0);
}

static void test_enoent_enotdir(void)
{
	CHECK_EQ(lookup_err(&task, "/missing/x", 0), -ENOENT);
	CHECK_EQ(lookup_err(&task, "/file/x", 0), -ENOTDIR);
	CHECK_EQ(lookup_err(&task, "", 0), -ENOENT);
	CHECK_EQ(lookup_err(&task, "", LOOKUP_EMPTY), 0);
	CHECK_EQ(open_close(&task, "/file", O_RDONLY | O_DIRECTORY, 0),
		 -ENOTDIR);
}

static void test_search_permission(void)
{
	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/private", 0700), 0);
	CHECK_EQ(write_file(&task, "/private/secret", "s"), 0);
	task_set_user(&task, 1000, 1000);
	CHECK_EQ(lookup_err(&task, "/private/secret", 0), -EACCES);
	CHECK_EQ(lookup_err(&task, "/private/missing", 0), -EACCES);
	CHECK_EQ(open_close(&task, "/private", O_RDONLY, 0), -EACCES);
	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/userdir", 0755), -EACCES);
	task_set_user(&task, 0, 0);
	CHECK_EQ(lookup_err(&task, "/private/secret", 0), 0);
}

/* After chroot, "..", absolute paths and absolute symlink targets all
 * stay inside the new root. */
static void test_chroot_confines(void)
{
	struct path jail, old_root;

	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/jail", 0755), 0);
	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/jail/inside", 0755), 0);
	CHECK_EQ(vfs_symlinkat(&task, "/inside", AT_FDCWD, "/jail/abs"), 0);
	CHECK_EQ(vfs_symlinkat(&task, "../../../file", AT_FDCWD, "/jail/up"),
		 0);
	fs_struct_get_root(task.fs, &old_root);
	CHECK_EQ(filename_lookup(&task, AT_FDCWD, "/jail", 0, &jail), 0);
	path_get(&jail);
	fs_struct_set_root(task.fs, &jail);
	fs_struct_set_pwd(task.fs, &jail);

	CHECK_EQ(lookup_err(&task, "/inside", 0), 0);
	CHECK_EQ(lookup_err(&task, "/../../inside", 0), 0);
	CHECK_EQ(lookup_err(&task, "/file", 0), -ENOENT);
	CHECK_EQ(lookup_err(&task, "/abs", LOOKUP_FOLLOW), 0);
	CHECK_EQ(lookup_err(&task, "/up", LOOKUP_FOLLOW), -ENOENT);

	char buf[64];
	CHECK_EQ(d_path(&jail, &jail, buf, sizeof(buf)), 1);
	CHECK(strcmp(buf, "/") == 0);

	struct path p = old_root;
	path_get(&p);
	fs_struct_set_root(task.fs, &p);
	fs_struct_set_pwd(task.fs, &old_root);
}

static void test_mount_crossing(void)
{
	struct path mp, root, p;
	char buf[64];

	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/mnt", 0755), 0);
	CHECK_EQ(filename_lookup(&task, AT_FDCWD, "/mnt", 0, &mp), 0);
	struct super_block *sb =
	    memfs_create("tmpfs", "tmpfs", S_IFDIR | 01777, 0, 0);
	vfs_mount(mp.mnt, mp.dentry, sb, 0);
	CHECK_EQ(write_file(&task, "/mnt/on-mount", "m"), 0);

	CHECK_EQ(filename_lookup(&task, AT_FDCWD, "/mnt/on-mount", 0, &p), 0);
	CHECK(p.mnt != mp.mnt);
	CHECK_EQ(d_path(&p, NULL, buf, sizeof(buf)), 13);
	CHECK(strcmp(buf, "/mnt/on-mount") == 0);
	path_put(&p);

	fs_struct_get_root(task.fs, &root);
	CHECK_EQ(filename_lookup(&task, AT_FDCWD, "/mnt/..", 0, &p), 0);
	CHECK(p.mnt == root.mnt);
	CHECK(p.dentry == root.dentry);
	path_put(&p);
	/* Renames across mounts fail with EXDEV. */
	CHECK_EQ(vfs_renameat2(&task, AT_FDCWD, "/mnt/on-mount", AT_FDCWD,
			       "/moved", 0),
		 -EXDEV);
	CHECK_EQ(vfs_unlinkat(&task, AT_FDCWD, "/mnt", AT_REMOVEDIR), -EBUSY);
	path_put(&root);
	path_put(&mp);
}

int main(void)
{
	struct super_block *sb =
	    memfs_create("tmpfs", "tmpfs", S_IFDIR | 0755, 0, 0);

	task_setup(&task, sb);
	test_dotdot_at_root();
	test_symlink_loop();
	test_symlink_limit();
	test_trailing_slash();
	test_name_too_long();
	test_enoent_enotdir();
	test_search_permission();
	test_chroot_confines();
	test_mount_crossing();
	if (failures) {
		fprintf(stderr, "test_vfs_namei: %d checks failed\n", failures);
		return 1;
	}
	printf("test_vfs_namei: ok\n");
	return 0;
}
