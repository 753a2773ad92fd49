/* Unit tests of memfs through the VFS: file data, open flags, hard
 * links, rename flags, the sticky bit, directory listings and removal of
 * open files. */
#include <errno.h>
#include <linux/fs.h>
#include <sys/sysmacros.h>

#include "sentry/fs/memfs.h"
#include "vfs_test_util.h"

static struct task task;

static void test_write_read_truncate(void)
{
	char buf[64];
	struct stat st;

	CHECK_EQ(write_file(&task, "/f", "hello world"), 0);
	CHECK_EQ(read_file(&task, "/f", buf, sizeof(buf)), 11);
	CHECK(strcmp(buf, "hello world") == 0);
	CHECK_EQ(stat_path(&task, "/f", &st, true), 0);
	CHECK_EQ(st.st_size, 11);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_EQ(st.st_blksize, 4096);
	CHECK_EQ(st.st_mode, S_IFREG | 0644);

	CHECK_EQ(open_close(&task, "/f", O_WRONLY | O_TRUNC, 0), 0);
	CHECK_EQ(stat_path(&task, "/f", &st, true), 0);
	CHECK_EQ(st.st_size, 0);
}

static void test_append_and_excl(void)
{
	struct file *f;
	char buf[64];

	CHECK_EQ(write_file(&task, "/log", "ab"), 0);
	CHECK_EQ(vfs_open(&task, AT_FDCWD, "/log", O_WRONLY | O_APPEND, 0, &f),
		 0);
	int64_t pos = 0; /* pwrite at 0 still appends, as on Linux */
	CHECK_EQ(f->f_op->write(&task, f, "cd", 2, &pos), 2);
	CHECK_EQ(pos, 4);
	file_put(f);
	CHECK_EQ(read_file(&task, "/log", buf, sizeof(buf)), 4);
	CHECK(strcmp(buf, "abcd") == 0);

	CHECK_EQ(open_close(&task, "/log", O_CREAT | O_EXCL | O_WRONLY, 0644),
		 -EEXIST);
	/* O_EXCL does not follow a symlink, even a dangling one. */
	CHECK_EQ(vfs_symlinkat(&task, "/target", AT_FDCWD, "/dangling"), 0);
	CHECK_EQ(
	    open_close(&task, "/dangling", O_CREAT | O_EXCL | O_WRONLY, 0644),
	    -EEXIST);
	/* Without O_EXCL the link's target is created. */
	CHECK_EQ(open_close(&task, "/dangling", O_CREAT | O_WRONLY, 0600), 0);
	struct stat st;
	CHECK_EQ(stat_path(&task, "/target", &st, false), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
}

static void test_llseek(void)
{
	struct file *f;

	CHECK_EQ(write_file(&task, "/seek", "0123456789"), 0);
	CHECK_EQ(vfs_open(&task, AT_FDCWD, "/seek", O_RDONLY, 0, &f), 0);
	CHECK_EQ(f->f_op->llseek(f, -2, SEEK_END), 8);
	CHECK_EQ(f->f_op->llseek(f, 1, SEEK_CUR), 9);
	CHECK_EQ(f->f_op->llseek(f, -1, SEEK_SET), -EINVAL);
	CHECK_EQ(f->f_op->llseek(f, 0, SEEK_DATA), 0);
	CHECK_EQ(f->f_op->llseek(f, 0, SEEK_HOLE), 10);
	CHECK_EQ(f->f_op->llseek(f, 20, SEEK_DATA), -ENXIO);
	file_put(f);
}

static void test_hard_links(void)
{
	struct stat st;

	CHECK_EQ(write_file(&task, "/orig", "data"), 0);
	CHECK_EQ(vfs_linkat(&task, AT_FDCWD, "/orig", AT_FDCWD, "/copy", 0), 0);
	CHECK_EQ(stat_path(&task, "/orig", &st, true), 0);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(vfs_linkat(&task, AT_FDCWD, "/orig", AT_FDCWD, "/copy", 0),
		 -EEXIST);
	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/d", 0755), 0);
	CHECK_EQ(vfs_linkat(&task, AT_FDCWD, "/d", AT_FDCWD, "/dlink", 0),
		 -EPERM);
	CHECK_EQ(vfs_unlinkat(&task, AT_FDCWD, "/orig", 0), 0);
	CHECK_EQ(stat_path(&task, "/copy", &st, true), 0);
	CHECK_EQ(st.st_nlink, 1);

	CHECK_EQ(stat_path(&task, "/d", &st, true), 0);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/d/sub", 0755), 0);
	CHECK_EQ(stat_path(&task, "/d", &st, true), 0);
	CHECK_EQ(st.st_nlink, 3);
}

static void test_rename_flags(void)
{
	char buf[16];

	CHECK_EQ(write_file(&task, "/r1", "one"), 0);
	CHECK_EQ(write_file(&task, "/r2", "two"), 0);
	CHECK_EQ(vfs_renameat2(&task, AT_FDCWD, "/r1", AT_FDCWD, "/r2",
			       RENAME_NOREPLACE),
		 -EEXIST);
	CHECK_EQ(vfs_renameat2(&task, AT_FDCWD, "/r1", AT_FDCWD, "/r2",
			       RENAME_EXCHANGE),
		 0);
	CHECK_EQ(read_file(&task, "/r1", buf, sizeof(buf)), 3);
	CHECK(strcmp(buf, "two") == 0);
	CHECK_EQ(vfs_renameat2(&task, AT_FDCWD, "/r1", AT_FDCWD, "/none",
			       RENAME_EXCHANGE),
		 -ENOENT);
	CHECK_EQ(vfs_renameat2(&task, AT_FDCWD, "/r1", AT_FDCWD, "/r2", 0), 0);
	CHECK_EQ(lookup_err(&task, "/r1", 0), -ENOENT);
	CHECK_EQ(read_file(&task, "/r2", buf, sizeof(buf)), 3);
	CHECK(strcmp(buf, "two") == 0);

	/* Directories: into itself, over a non-empty one, over a file. */
	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/rd", 0755), 0);
	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/rd/child", 0755), 0);
	CHECK_EQ(
	    vfs_renameat2(&task, AT_FDCWD, "/rd", AT_FDCWD, "/rd/child/x", 0),
	    -EINVAL);
	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/full", 0755), 0);
	CHECK_EQ(write_file(&task, "/full/f", "x"), 0);
	CHECK_EQ(vfs_renameat2(&task, AT_FDCWD, "/rd", AT_FDCWD, "/full", 0),
		 -ENOTEMPTY);
	CHECK_EQ(vfs_renameat2(&task, AT_FDCWD, "/rd", AT_FDCWD, "/r2", 0),
		 -ENOTDIR);
	CHECK_EQ(vfs_renameat2(&task, AT_FDCWD, "/r2", AT_FDCWD, "/rd", 0),
		 -EISDIR);
	CHECK_EQ(vfs_renameat2(&task, AT_FDCWD, "/rd", AT_FDCWD, "/rd2", 0), 0);
	CHECK_EQ(lookup_err(&task, "/rd2/child", 0), 0);
}

static void test_sticky_bit(void)
{
	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/shared", 01777), 0);
	struct path p;
	CHECK_EQ(filename_lookup(&task, AT_FDCWD, "/shared", 0, &p), 0);
	struct iattr attr = {.ia_valid = ATTR_MODE, .ia_mode = 01777};
	CHECK_EQ(p.dentry->d_inode->i_op->setattr(p.dentry->d_inode, &attr), 0);
	path_put(&p);

	task_set_user(&task, 1000, 1000);
	CHECK_EQ(write_file(&task, "/shared/mine", "m"), 0);
	task_set_user(&task, 1001, 1001);
	CHECK_EQ(vfs_unlinkat(&task, AT_FDCWD, "/shared/mine", 0), -EPERM);
	CHECK_EQ(vfs_renameat2(&task, AT_FDCWD, "/shared/mine", AT_FDCWD,
			       "/shared/theirs", 0),
		 -EPERM);
	task_set_user(&task, 1000, 1000);
	CHECK_EQ(vfs_unlinkat(&task, AT_FDCWD, "/shared/mine", 0), 0);
	task_set_user(&task, 0, 0);
}

/* Offsets stay valid while entries are removed and added. */
static void test_readdir_offsets(void)
{
	struct name_list l;

	CHECK_EQ(vfs_mkdirat(&task, AT_FDCWD, "/list", 0755), 0);
	CHECK_EQ(write_file(&task, "/list/a", ""), 0);
	CHECK_EQ(write_file(&task, "/list/b", ""), 0);
	CHECK_EQ(write_file(&task, "/list/c", ""), 0);
	CHECK_EQ(list_dir(&task, "/list", &l), 0);
	CHECK(strcmp(l.text, ". .. a b c ") == 0);

	struct file *f;
	CHECK_EQ(vfs_open(&task, AT_FDCWD, "/list", O_RDONLY, 0, &f), 0);
	memset(&l, 0, sizeof(l));
	CHECK_EQ(f->f_op->llseek(f, 3, SEEK_SET), 3); /* the offset after a */
	CHECK_EQ(vfs_unlinkat(&task, AT_FDCWD, "/list/a", 0), 0);
	CHECK_EQ(write_file(&task, "/list/d", ""), 0);
	CHECK_EQ(f->f_op->iterate(&task, f, collect_name, &l), 0);
	CHECK(strcmp(l.text, "b c d ") == 0);
	file_put(f);

	CHECK_EQ(vfs_unlinkat(&task, AT_FDCWD, "/list", AT_REMOVEDIR),
		 -ENOTEMPTY);
}

/* An unlinked file stays readable through an open file and its path
 * gains " (deleted)". */
static void test_unlink_open_file(void)
{
	struct file *f;
	char buf[64];

	CHECK_EQ(write_file(&task, "/gone", "still here"), 0);
	CHECK_EQ(vfs_open(&task, AT_FDCWD, "/gone", O_RDONLY, 0, &f), 0);
	CHECK_EQ(vfs_unlinkat(&task, AT_FDCWD, "/gone", 0), 0);
	CHECK_EQ(lookup_err(&task, "/gone", 0), -ENOENT);
	CHECK_EQ(vfs_pread(f, buf, sizeof(buf), 0), 10);
	CHECK_EQ(file_path(f, buf, sizeof(buf)), 15);
	CHECK(strcmp(buf, "/gone (deleted)") == 0);
	struct stat st;
	CHECK_EQ(vfs_fstat(f, &st), 0);
	CHECK_EQ(st.st_nlink, 0);
	file_put(f);
}

static void test_open_errors(void)
{
	CHECK_EQ(open_close(&task, "/d", O_WRONLY, 0), -EISDIR);
	CHECK_EQ(open_close(&task, "/d", O_RDONLY | O_TRUNC, 0), 0);
	CHECK_EQ(open_close(&task, "/d", O_PATH | O_WRONLY, 0), 0);
	CHECK_EQ(open_close(&task, "/dangling", O_PATH | O_NOFOLLOW, 0), 0);
	CHECK_EQ(open_close(&task, "/x", O_TMPFILE | O_RDWR, 0600),
		 -EOPNOTSUPP);
	CHECK_EQ(vfs_mknodat(&task, AT_FDCWD, "/dev-null", S_IFCHR | 0666,
			     makedev(1, 3)),
		 -EPERM);
	CHECK_EQ(vfs_mknodat(&task, AT_FDCWD, "/fifo", S_IFIFO | 0644, 0), 0);
	struct stat st;
	CHECK_EQ(stat_path(&task, "/fifo", &st, false), 0);
	CHECK(S_ISFIFO(st.st_mode));

	task_set_user(&task, 1000, 1000);
	CHECK_EQ(open_close(&task, "/copy", O_WRONLY, 0), -EACCES);
	task_set_user(&task, 0, 0);
}

int main(void)
{
	struct super_block *sb =
	    memfs_create("tmpfs", "tmpfs", S_IFDIR | 0777, 0, 0);

	task_setup(&task, sb);
	test_write_read_truncate();
	test_append_and_excl();
	test_llseek();
	test_hard_links();
	test_rename_flags();
	test_sticky_bit();
	test_readdir_offsets();
	test_unlink_open_file();
	test_open_errors();
	if (failures) {
		fprintf(stderr, "test_vfs_memfs: %d checks failed\n", failures);
		return 1;
	}
	printf("test_vfs_memfs: ok\n");
	return 0;
}
