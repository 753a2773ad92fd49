/* Unit tests of the root overlay: a forked child serves a temporary host
 * directory with gofer_serve (without namespaces or seccomp), and a memfs
 * overlay on top of it must read lower files, copy them up on write,
 * hide removed names with whiteouts, merge listings and leave the host
 * untouched. */
#include <errno.h>
#include <linux/fs.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gofer/gofer.h"
#include "sentry/fs/goferfs.h"
#include "sentry/fs/memfs.h"
#include "sentry/gofer_client.h"
#include "vfs_test_util.h"

static struct task task;
static char base[64];

static void host_write(const char *name, const char *data)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", base, name);
	FILE *f = fopen(path, "w");
	if (!f || fputs(data, f) < 0) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

static void host_read(const char *name, char *buf, size_t size)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", base, name);
	FILE *f = fopen(path, "r");
	buf[0] = '\0';
	if (f) {
		size_t n = fread(buf, 1, size - 1, f);
		buf[n] = '\0';
		fclose(f);
	}
}

static bool host_exists(const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", base, name);
	return lstat(path, &st) == 0;
}

static void make_tree(void)
{
	char path[256];

	strcpy(base, "/tmp/moat-vfs-overlay.XXXXXX");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		exit(1);
	}
	host_write("lower.txt", "from the host");
	host_write("doomed", "x");
	snprintf(path, sizeof(path), "%s/dir", base);
	mkdir(path, 0755);
	host_write("dir/inner", "inner");
	snprintf(path, sizeof(path), "%s/empty", base);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/link", base);
	if (symlink("lower.txt", path) < 0) {
		perror("symlink");
		exit(1);
	}
}

static struct gofer_conn *start_gofer(pid_t *pid)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("socketpair");
		exit(1);
	}
	*pid = fork();
	if (*pid == 0) {
		struct gofer_mount mounts[1] = {
		    {open(base, O_PATH | O_DIRECTORY), true},
		};
		int proc_fd = open("/proc/self/fd", O_PATH | O_DIRECTORY);

		close(sv[0]);
		_exit(gofer_serve(sv[1], proc_fd, mounts, 1) ? 1 : 0);
	}
	close(sv[1]);
	return gofer_connect(sv[0]);
}

static void test_read_lower(void)
{
	char buf[64];
	struct stat st, host;
	char path[256];

	CHECK_EQ(read_file(&task, "/lower.txt", buf, sizeof(buf)), 13);
	CHECK(strcmp(buf, "from the host") == 0);
	CHECK_EQ(read_file(&task, "/link", buf, sizeof(buf)), 13);
	CHECK_EQ(read_file(&task, "/dir/inner", buf, sizeof(buf)), 5);

	/* stat matches the host's identity and attributes. */
	snprintf(path, sizeof(path), "%s/lower.txt", base);
	CHECK_EQ(lstat(path, &host), 0);
	CHECK_EQ(stat_path(&task, "/lower.txt", &st, false), 0);
	CHECK_EQ(st.st_ino, host.st_ino);
	CHECK_EQ(st.st_dev, host.st_dev);
	CHECK_EQ(st.st_size, host.st_size);
	CHECK_EQ(st.st_mtim.tv_sec, host.st_mtim.tv_sec);
	CHECK_EQ(st.st_mtim.tv_nsec, host.st_mtim.tv_nsec);
	CHECK_EQ(st.st_mode, host.st_mode);
}

static void test_copy_up(void)
{
	char buf[64];
	struct stat st;

	CHECK_EQ(write_file(&task, "/lower.txt", "changed"), 0);
	CHECK_EQ(read_file(&task, "/lower.txt", buf, sizeof(buf)), 7);
	CHECK(strcmp(buf, "changed") == 0);
	host_read("lower.txt", buf, sizeof(buf));
	CHECK(strcmp(buf, "from the host") == 0);
	CHECK_EQ(stat_path(&task, "/lower.txt", &st, false), 0);
	CHECK_EQ(st.st_size, 7);

	/* chmod stays in memory without touching the host. */
	struct path p;
	CHECK_EQ(filename_lookup(&task, AT_FDCWD, "/dir/inner", 0, &p), 0);
	struct iattr attr = {.ia_valid = ATTR_MODE, .ia_mode = 0600};
	CHECK_EQ(p.dentry->d_inode->i_op->setattr(p.dentry->d_inode, &attr), 0);
	path_put(&p);
	CHECK_EQ(stat_path(&task, "/dir/inner", &st, false), 0);
	CHECK_EQ(st.st_mode & 07777, 0600);
	CHECK_EQ(read_file(&task, "/dir/inner", buf, sizeof(buf)), 5);
}

static void test_whiteouts(void)
{
	struct name_list l;

	CHECK_EQ(vfs_unlinkat(&task, AT_FDCWD, "/doomed", 0), 0);
	CHECK_EQ(lookup_err(&task, "/doomed", 0), -ENOENT);
	CHECK(host_exists("doomed"));
	CHECK_EQ(list_dir(&task, "/", &l), 0);
	CHECK(!listed(&l, "doomed"));
	CHECK(listed(&l, "lower.txt"));
	CHECK(listed(&l, "dir"));

	/* A new file at a whited-out name starts empty. */
	CHECK_EQ(open_close(&task, "/doomed", O_CREAT | O_WRONLY, 0644), 0);
	struct stat st;
	CHECK_EQ(stat_path(&task, "/doomed", &st, false), 0);
	CHECK_EQ(st.st_size, 0);

	CHECK_EQ(vfs_unlinkat(&task, AT_FDCWD, "/dir", AT_REMOVEDIR),
		 -ENOTEMPTY);
	CHECK_EQ(vfs_unlinkat(&task, AT_FDCWD, "/empty", AT_REMOVEDIR), 0);
	CHECK_EQ(lookup_err(&task, "/empty", 0), -ENOENT);
	CHECK(host_exists("empty"));
}

static void test_merged_listing(void)
{
	struct name_list l;

	CHECK_EQ(write_file(&task, "/dir/upper", "u"), 0);
	CHECK_EQ(list_dir(&task, "/dir", &l), 0);
	CHECK(listed(&l, "."));
	CHECK(listed(&l, ".."));
	CHECK(listed(&l, "inner"));
	CHECK(listed(&l, "upper"));
	CHECK_EQ(l.count, 4);
	CHECK(!host_exists("dir/upper"));
}

static void test_rename_lower(void)
{
	char buf[64];
	struct name_list l;

	CHECK_EQ(vfs_renameat2(&task, AT_FDCWD, "/dir", AT_FDCWD, "/moved", 0),
		 0);
	CHECK_EQ(lookup_err(&task, "/dir", 0), -ENOENT);
	CHECK_EQ(read_file(&task, "/moved/inner", buf, sizeof(buf)), 5);
	CHECK_EQ(list_dir(&task, "/", &l), 0);
	CHECK(listed(&l, "moved"));
	CHECK(!listed(&l, "dir"));
	CHECK(host_exists("dir/inner"));
	CHECK(!host_exists("moved"));
}

int main(void)
{
	pid_t pid;
	gofer_fid_t root;
	struct gofer_stat st;

	make_tree();
	struct gofer_conn *conn = start_gofer(&pid);
	if (gofer_attach(conn, 0, &root, &st) < 0) {
		fprintf(stderr, "test_vfs_overlay: gofer_attach failed\n");
		return 1;
	}
	task_setup(&task, memfs_create_overlay(conn, root, &st));
	test_read_lower();
	test_copy_up();
	test_whiteouts();
	test_merged_listing();
	test_rename_lower();

	gofer_disconnect(conn);
	waitpid(pid, NULL, 0);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	if (system(cmd) != 0)
		fprintf(stderr, "test_vfs_overlay: cleanup of %s failed\n",
			base);
	if (failures) {
		fprintf(stderr, "test_vfs_overlay: %d checks failed\n",
			failures);
		return 1;
	}
	printf("test_vfs_overlay: ok\n");
	return 0;
}
