/* End-to-end test of the gofer: a forked child runs gofer_serve on two
 * temporary directories (one read-write, one read-only) without the
 * namespace and seccomp setup, and the parent drives it with the sentry's
 * client and with raw malformed messages. */
#include "common/gofer_proto.h"
#include "gofer/gofer.h"
#include "sentry/gofer_client.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit_check.h"

static char base[64];
static char rw_dir[128], ro_dir[128];
static struct gofer_conn *conn;
static int sock;
static gofer_fid_t root, ro_root;

static void write_file(const char *dir, const char *name, const char *data)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, strlen(data)) != (ssize_t)strlen(data)) {
		perror(path);
		exit(1);
	}
	close(fd);
}

static void make_tree(void)
{
	char path[256];

	strcpy(base, "/tmp/moat-gofer-test.XXXXXX");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(rw_dir, sizeof(rw_dir), "%s/rw", base);
	snprintf(ro_dir, sizeof(ro_dir), "%s/ro", base);
	mkdir(rw_dir, 0755);
	mkdir(ro_dir, 0755);
	write_file(rw_dir, "data", "abc");
	write_file(ro_dir, "hello", "hi");
	snprintf(path, sizeof(path), "%s/sub", rw_dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/link", rw_dir);
	if (symlink("/etc/passwd", path) < 0) {
		perror("symlink");
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/sub", ro_dir);
	mkdir(path, 0755);
}

static pid_t start_server(void)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("socketpair");
		exit(1);
	}
	pid = fork();
	if (pid == 0) {
		struct gofer_mount mounts[2] = {
		    {open(rw_dir, O_PATH | O_DIRECTORY), false},
		    {open(ro_dir, O_PATH | O_DIRECTORY), true},
		};
		int proc_fd = open("/proc/self/fd", O_PATH | O_DIRECTORY);

		close(sv[0]);
		_exit(gofer_serve(sv[1], proc_fd, mounts, 2) ? 1 : 0);
	}
	close(sv[1]);
	sock = sv[0];
	conn = gofer_connect(sv[0]);
	return pid;
}

static bool host_exists(const char *dir, const char *name, struct stat *st)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return lstat(path, st) == 0;
}

static void test_attach_walk_open(void)
{
	struct gofer_stat st;
	gofer_fid_t fid;
	char data[8] = {0};
	int fd = -1;

	CHECK(gofer_attach(conn, 0, &root, &st) == 0);
	CHECK(S_ISDIR(st.mode));
	CHECK(gofer_attach(conn, 1, &ro_root, &st) == 0);
	CHECK(gofer_attach(conn, 2, &fid, &st) == -ENOENT);

	CHECK(gofer_walk(conn, root, "data", &fid, &st) == 0);
	CHECK(S_ISREG(st.mode));
	CHECK(st.size == 3);
	CHECK(gofer_open(conn, fid, O_RDONLY, &fd) == 0);
	CHECK(fd >= 0);
	CHECK(read(fd, data, sizeof(data)) == 3);
	CHECK(strcmp(data, "abc") == 0);
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	CHECK(gofer_open(conn, fid, O_RDONLY | O_DIRECTORY, &fd) == -ENOTDIR);
	CHECK(gofer_open(conn, fid, O_RDONLY | O_CREAT, &fd) == -EINVAL);
	CHECK(gofer_open(conn, fid, O_ACCMODE, &fd) == -EINVAL);
	CHECK(gofer_open(conn, root, O_WRONLY, &fd) == -EISDIR);
	CHECK(gofer_open(conn, root, O_RDONLY | O_DIRECTORY, &fd) == 0);
	close(fd);
	CHECK(gofer_walk(conn, fid, "x", &fid, &st) == -ENOTDIR);
	CHECK(gofer_walk(conn, root, "missing", &fid, &st) == -ENOENT);
}

static void test_symlink_not_followed(void)
{
	struct gofer_stat st;
	gofer_fid_t fid;
	char target[64];
	int fd = -1;

	CHECK(gofer_walk(conn, root, "link", &fid, &st) == 0);
	CHECK(S_ISLNK(st.mode));
	CHECK(gofer_readlink(conn, fid, target, sizeof(target)) == 11);
	CHECK(memcmp(target, "/etc/passwd", 11) == 0);
	CHECK(gofer_readlink(conn, fid, target, 4) == 4);
	CHECK(gofer_open(conn, fid, O_RDONLY, &fd) == -ELOOP);
	CHECK(gofer_walk(conn, fid, "x", &fid, &st) == -ENOTDIR);
	CHECK(gofer_readlink(conn, root, target, sizeof(target)) == -EINVAL);
}

static void test_create_and_modes(void)
{
	struct gofer_stat st;
	struct stat hs;
	gofer_fid_t fid, dir, fifo, sl;
	int fd = -1;

	CHECK(gofer_create(conn, root, "new", O_RDWR, 04755, getuid(), getgid(),
			   &fid, &st, &fd) == 0);
	CHECK(fd >= 0);
	CHECK(write(fd, "xyz!", 4) == 4);
	close(fd);
	/* The set-user-ID bit is never set on a host file. */
	CHECK((st.mode & 07777) == 0755);
	CHECK(gofer_getattr(conn, fid, &st) == 0);
	CHECK(st.size == 4);
	CHECK(gofer_create(conn, root, "new", O_RDWR, 0644, 0, 0, &fid, &st,
			   &fd) == -EEXIST);
	CHECK(gofer_create(conn, root, "n2", O_RDWR | O_DIRECTORY, 0644, 0, 0,
			   &fid, &st, &fd) == -EINVAL);
	CHECK(!host_exists(rw_dir, "n2", &hs));

	CHECK(gofer_mkdir(conn, root, "d", 0750, getuid(), getgid(), &dir,
			  &st) == 0);
	CHECK(S_ISDIR(st.mode));
	CHECK((st.mode & 07777) == 0750);
	CHECK(gofer_mknod(conn, dir, "f", S_IFIFO | 0600, getuid(), getgid(),
			  &fifo, &st) == 0);
	CHECK(S_ISFIFO(st.mode));
	CHECK(gofer_mknod(conn, dir, "c", S_IFCHR | 0600, 0, 0, &fifo, &st) ==
	      -EPERM);
	CHECK(gofer_open(conn, fifo, O_RDONLY, &fd) == -EACCES);

	CHECK(gofer_symlink(conn, dir, "sl", "../../../etc/shadow", getuid(),
			    getgid(), &sl, &st) == 0);
	CHECK(S_ISLNK(st.mode));
	CHECK(host_exists(rw_dir, "d/sl", &hs));
	CHECK(S_ISLNK(hs.st_mode));
}

static void test_link_rename_unlink(void)
{
	struct gofer_stat st;
	struct stat hs;
	gofer_fid_t file, dir;

	CHECK(gofer_walk(conn, root, "new", &file, &st) == 0);
	CHECK(gofer_walk(conn, root, "d", &dir, &st) == 0);
	CHECK(gofer_link(conn, dir, "hard", file) == 0);
	CHECK(host_exists(rw_dir, "new", &hs));
	CHECK(hs.st_nlink == 2);
	CHECK(gofer_link(conn, dir, "hard", file) == -EEXIST);
	CHECK(gofer_link(conn, root, "dirlink", dir) == -EPERM);
	CHECK(gofer_link(conn, ro_root, "x", file) == -EROFS);

	CHECK(gofer_rename(conn, dir, "hard", root, "hard2") == 0);
	CHECK(host_exists(rw_dir, "hard2", &hs));
	CHECK(!host_exists(rw_dir, "d/hard", &hs));
	CHECK(gofer_rename(conn, root, "hard2", ro_root, "x") == -EROFS);

	CHECK(gofer_unlink(conn, root, "hard2", 0) == 0);
	CHECK(!host_exists(rw_dir, "hard2", &hs));
	CHECK(gofer_unlink(conn, root, "d", 0) == -EISDIR);
	CHECK(gofer_unlink(conn, root, "d", AT_REMOVEDIR) == -ENOTEMPTY);
	CHECK(gofer_unlink(conn, dir, "f", 0) == 0);
	CHECK(gofer_unlink(conn, dir, "sl", 0) == 0);
	CHECK(gofer_unlink(conn, root, "d", 0x4000) == -EINVAL);
	CHECK(gofer_unlink(conn, root, "d", AT_REMOVEDIR) == 0);
	CHECK(!host_exists(rw_dir, "d", &hs));
	/* The fid of a removed directory still names the old inode. */
	CHECK(gofer_getattr(conn, dir, &st) == 0);
	CHECK(gofer_clunk(conn, dir) == 0);
	CHECK(gofer_clunk(conn, dir) == -EBADF);
}

static bool has_name(struct gofer_dirent *ents, int n, const char *name)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(ents[i].name, name) == 0)
			return true;
	}
	return false;
}

static void test_getdents(void)
{
	static struct gofer_dirent ents[64];
	struct gofer_dirent one;
	uint64_t offset = 0;
	int n, total = 0;

	n = gofer_getdents(conn, root, 0, ents, 64);
	CHECK(n == 4); /* data, link, new, sub */
	CHECK(has_name(ents, n, "data"));
	CHECK(has_name(ents, n, "link"));
	CHECK(has_name(ents, n, "new"));
	CHECK(has_name(ents, n, "sub"));
	CHECK(!has_name(ents, n, "."));
	CHECK(!has_name(ents, n, ".."));

	/* One entry at a time, continuing from each next_offset. */
	while (gofer_getdents(conn, root, offset, &one, 1) == 1) {
		offset = one.next_offset;
		CHECK(has_name(ents, n, one.name));
		if (++total > 10)
			break;
	}
	CHECK(total == n);
	CHECK(gofer_getdents(conn, root, 0, ents, 0) == -EINVAL);
}

static void test_setattr_statfs(void)
{
	struct gofer_setattr a = {0};
	struct gofer_stat st;
	struct statfs sfs;
	gofer_fid_t fid, link;
	time_t now = time(NULL);

	CHECK(gofer_walk(conn, root, "new", &fid, &st) == 0);
	a.mask = GOFER_SETATTR_MODE;
	a.mode = 0600;
	CHECK(gofer_setattr(conn, fid, &a) == 0);
	CHECK(gofer_getattr(conn, fid, &st) == 0);
	CHECK((st.mode & 07777) == 0600);

	a.mask = GOFER_SETATTR_SIZE;
	a.size = 1;
	CHECK(gofer_setattr(conn, fid, &a) == 0);
	CHECK(gofer_getattr(conn, fid, &st) == 0);
	CHECK(st.size == 1);
	a.size = -1;
	CHECK(gofer_setattr(conn, fid, &a) == -EINVAL);
	CHECK(gofer_setattr(conn, root,
			    &(struct gofer_setattr){
				.mask = GOFER_SETATTR_SIZE}) == -EISDIR);

	a.mask = GOFER_SETATTR_ATIME | GOFER_SETATTR_MTIME;
	a.atime_sec = 1000;
	a.mtime_sec = 2000;
	a.mtime_nsec = 5;
	CHECK(gofer_setattr(conn, fid, &a) == 0);
	CHECK(gofer_getattr(conn, fid, &st) == 0);
	CHECK(st.atime_sec == 1000);
	CHECK(st.mtime_sec == 2000);
	CHECK(st.mtime_nsec == 5);
	a.mask = GOFER_SETATTR_MTIME_NOW;
	CHECK(gofer_setattr(conn, fid, &a) == 0);
	CHECK(gofer_getattr(conn, fid, &st) == 0);
	CHECK(st.mtime_sec >= now);
	CHECK(st.atime_sec == 1000);
	a.mask = GOFER_SETATTR_ATIME | GOFER_SETATTR_ATIME_NOW;
	CHECK(gofer_setattr(conn, fid, &a) == -EINVAL);
	a.mask = GOFER_SETATTR_MTIME;
	a.mtime_nsec = 1000000000;
	CHECK(gofer_setattr(conn, fid, &a) == -EINVAL);
	a.mask = 0x100;
	CHECK(gofer_setattr(conn, fid, &a) == -EINVAL);

	a.mask = GOFER_SETATTR_UID | GOFER_SETATTR_GID;
	a.uid = 1234;
	a.gid = 5678;
	if (geteuid() == 0) {
		CHECK(gofer_setattr(conn, fid, &a) == 0);
		CHECK(gofer_getattr(conn, fid, &st) == 0);
		CHECK(st.uid == 1234);
		CHECK(st.gid == 5678);
	}

	/* Times of a symlink change the link itself. */
	CHECK(gofer_walk(conn, root, "link", &link, &st) == 0);
	a.mask = GOFER_SETATTR_MTIME;
	a.mtime_sec = 3000;
	a.mtime_nsec = 0;
	CHECK(gofer_setattr(conn, link, &a) == 0);
	CHECK(gofer_getattr(conn, link, &st) == 0);
	CHECK(st.mtime_sec == 3000);
	a.mask = GOFER_SETATTR_MODE;
	CHECK(gofer_setattr(conn, link, &a) == -EOPNOTSUPP);

	CHECK(gofer_statfs(conn, root, &sfs) == 0);
	CHECK(sfs.f_namelen > 0);
	CHECK(sfs.f_bsize > 0);
}

static void test_readonly_mount(void)
{
	struct gofer_setattr a = {.mask = GOFER_SETATTR_MODE, .mode = 0600};
	struct gofer_stat st;
	gofer_fid_t fid, out;
	char data[4] = {0};
	int fd = -1;

	CHECK(gofer_walk(conn, ro_root, "hello", &fid, &st) == 0);
	CHECK(gofer_open(conn, fid, O_RDONLY, &fd) == 0);
	CHECK(read(fd, data, 3) == 2);
	CHECK(strcmp(data, "hi") == 0);
	close(fd);
	CHECK(gofer_open(conn, fid, O_WRONLY, &fd) == -EROFS);
	CHECK(gofer_open(conn, fid, O_RDWR, &fd) == -EROFS);
	CHECK(gofer_open(conn, fid, O_RDONLY | O_TRUNC, &fd) == -EROFS);
	CHECK(gofer_create(conn, ro_root, "c", O_RDWR, 0644, 0, 0, &out, &st,
			   &fd) == -EROFS);
	CHECK(gofer_mkdir(conn, ro_root, "m", 0755, 0, 0, &out, &st) == -EROFS);
	CHECK(gofer_mknod(conn, ro_root, "p", S_IFIFO | 0644, 0, 0, &out,
			  &st) == -EROFS);
	CHECK(gofer_symlink(conn, ro_root, "s", "t", 0, 0, &out, &st) ==
	      -EROFS);
	CHECK(gofer_link(conn, ro_root, "l", fid) == -EROFS);
	CHECK(gofer_unlink(conn, ro_root, "hello", 0) == -EROFS);
	CHECK(gofer_rename(conn, ro_root, "hello", ro_root, "h2") == -EROFS);
	CHECK(gofer_setattr(conn, fid, &a) == -EROFS);
	CHECK(access(ro_dir, F_OK) == 0);
	CHECK(gofer_walk(conn, ro_root, "sub", &out, &st) == 0);
}

static void test_bad_names_and_fids(void)
{
	char long_name[NAME_MAX + 2];
	struct gofer_stat st;
	gofer_fid_t fid;

	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[NAME_MAX + 1] = '\0';
	CHECK(gofer_walk(conn, root, "..", &fid, &st) == -EINVAL);
	CHECK(gofer_walk(conn, root, ".", &fid, &st) == -EINVAL);
	CHECK(gofer_walk(conn, root, "", &fid, &st) == -EINVAL);
	CHECK(gofer_walk(conn, root, "sub/..", &fid, &st) == -EINVAL);
	CHECK(gofer_walk(conn, root, long_name, &fid, &st) == -ENAMETOOLONG);
	CHECK(gofer_getattr(conn, 999999, &st) == -EBADF);
	CHECK(gofer_getattr(conn, 0xffffffff, &st) == -EBADF);
	CHECK(gofer_walk(conn, 123456, "data", &fid, &st) == -EBADF);
	CHECK(gofer_clunk(conn, 777777) == -EBADF);
}

/* Send raw bytes, optionally with an FD, and return the errno of the
 * reply, or 0 if the gofer sent none within 200 ms. */
static int raw_exchange(const void *msg, size_t len, int fd_to_send)
{
	char control[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = (void *)msg, .iov_len = len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	static uint8_t reply[GOFER_MAX_MESSAGE];
	static struct gofer_reply rep;
	struct timeval tv = {.tv_usec = 200000};
	ssize_t n;

	if (fd_to_send >= 0) {
		struct cmsghdr *c;

		mh.msg_control = control;
		mh.msg_controllen = sizeof(control);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd_to_send, sizeof(int));
	}
	if (sendmsg(sock, &mh, 0) != (ssize_t)len)
		return -1;
	setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = recv(sock, reply, sizeof(reply), 0);
	tv.tv_usec = 0;
	setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (n < 0)
		return 0;
	if (gofer_decode_reply(reply, n, &rep) != 0)
		return -1;
	return rep.error;
}

/* A raw walk request of root for a name of len bytes. */
static size_t raw_walk(uint8_t *buf, const char *name, size_t len)
{
	struct gofer_writer w;

	gofer_begin_message(&w, buf, GOFER_WALK, 42);
	gofer_put_u32(&w, root);
	gofer_put_u16(&w, len);
	gofer_put_bytes(&w, name, len);
	return gofer_finish_message(&w);
}

static void check_still_serving(int line)
{
	struct gofer_stat st;

	if (gofer_getattr(conn, root, &st) != 0) {
		fprintf(stderr, "%s:%d: gofer stopped answering\n", __FILE__,
			line);
		failures++;
	}
}

static void test_raw_malformed(void)
{
	static uint8_t buf[GOFER_MAX_MESSAGE + 4096];
	char long_name[NAME_MAX + 1];
	size_t len;

	memset(long_name, 'b', sizeof(long_name));

	CHECK(raw_exchange("abc", 3, -1) == 0); /* dropped: no header */
	check_still_serving(__LINE__);
	CHECK(raw_exchange("", 0, -1) == 0); /* empty datagram */
	check_still_serving(__LINE__);

	len = raw_walk(buf, "data", 4);
	buf[0] ^= 0xff; /* wrong magic: dropped */
	CHECK(raw_exchange(buf, len, -1) == 0);
	check_still_serving(__LINE__);

	len = raw_walk(buf, "data", 4);
	buf[4] = 9;
	CHECK(raw_exchange(buf, len, -1) == EPROTO);
	check_still_serving(__LINE__);

	len = raw_walk(buf, "data", 4);
	CHECK(raw_exchange(buf, len - 2, -1) == EBADMSG); /* truncated */
	check_still_serving(__LINE__);
	CHECK(raw_exchange(buf, GOFER_HEADER_SIZE + 2, -1) == EBADMSG);
	check_still_serving(__LINE__);

	len = raw_walk(buf, "data", 4);
	buf[12] = 0xff; /* length field larger than the message */
	CHECK(raw_exchange(buf, len, -1) == EBADMSG);
	check_still_serving(__LINE__);

	len = raw_walk(buf, "data", 4);
	buf[GOFER_HEADER_SIZE + 4] = 0xff; /* string length past the end */
	CHECK(raw_exchange(buf, len, -1) == EBADMSG);
	check_still_serving(__LINE__);

	memset(buf + GOFER_HEADER_SIZE, 0, sizeof(buf) - GOFER_HEADER_SIZE);
	raw_walk(buf, "data", 4);
	CHECK(raw_exchange(buf, sizeof(buf), -1) == EMSGSIZE); /* oversized */
	check_still_serving(__LINE__);

	len = raw_walk(buf, "data", 4);
	buf[6] = 0xe7; /* unknown type */
	buf[7] = 0x03;
	CHECK(raw_exchange(buf, len, -1) == EOPNOTSUPP);
	check_still_serving(__LINE__);

	CHECK(raw_exchange(buf, raw_walk(buf, "..", 2), -1) == EINVAL);
	CHECK(raw_exchange(buf, raw_walk(buf, ".", 1), -1) == EINVAL);
	CHECK(raw_exchange(buf, raw_walk(buf, "", 0), -1) == EINVAL);
	CHECK(raw_exchange(buf, raw_walk(buf, "sub/..", 6), -1) == EINVAL);
	CHECK(raw_exchange(buf, raw_walk(buf, "a\0b", 3), -1) == EBADMSG);
	CHECK(raw_exchange(buf, raw_walk(buf, long_name, sizeof(long_name)),
			   -1) == ENAMETOOLONG);
	CHECK(raw_exchange(buf, raw_walk(buf, "data", 4), -1) == 0);
	check_still_serving(__LINE__);

	/* An FD from the sentry is refused and closed by the kernel. */
	CHECK(raw_exchange(buf, raw_walk(buf, "sub", 3), 0) == EBADMSG);
	check_still_serving(__LINE__);
}

static void test_broken_connection(void)
{
	struct gofer_conn *c;
	struct gofer_stat st;
	int sv[2];

	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
	close(sv[1]);
	c = gofer_connect(sv[0]);
	CHECK(gofer_getattr(c, 0, &st) == -EIO);
	CHECK(gofer_getattr(c, 0, &st) == -EIO);
	gofer_disconnect(c);
}

int main(void)
{
	char cmd[128];
	int status = -1;
	pid_t pid;

	make_tree();
	pid = start_server();
	test_attach_walk_open();
	test_symlink_not_followed();
	test_create_and_modes();
	test_link_rename_unlink();
	test_getdents();
	test_setattr_statfs();
	test_readonly_mount();
	test_bad_names_and_fids();
	test_raw_malformed();
	test_broken_connection();

	/* Closing the socket ends the server cleanly. */
	gofer_disconnect(conn);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	if (system(cmd) != 0)
		fprintf(stderr, "test_gofer_serve: could not remove %s\n",
			base);
	if (failures)
		fprintf(stderr, "test_gofer_serve: %d checks failed\n",
			failures);
	return failures ? 1 : 0;
}
