/* Test of the confined gofer: a forked child runs gofer_main with its full
 * setup (mount namespace, capabilities, seccomp) and the parent checks it
 * still serves files and that the confinement is in place. Needs root; it
 * prints "skipped" and passes when the setup is not permitted here. */
#include "common/gofer_proto.h"
#include "sentry/gofer_client.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int gofer_main(int argc, char **argv);

#include "unit_check.h"

/* Return the value of field (e.g. "Seccomp:") in /proc/pid/status. */
static long status_field(pid_t pid, const char *field, int base)
{
	char path[64], line[256];
	long value = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, field, strlen(field)) == 0)
			value = strtol(line + strlen(field), NULL, base);
	}
	fclose(f);
	return value;
}

static bool same_mount_ns(pid_t pid)
{
	char path[64], mine[64] = {0}, theirs[64] = {0};

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	if (readlink("/proc/self/ns/mnt", mine, sizeof(mine) - 1) < 0 ||
	    readlink(path, theirs, sizeof(theirs) - 1) < 0)
		return true;
	return strcmp(mine, theirs) == 0;
}

static void check_confined(pid_t pid)
{
	/* Bits 0, 1, 3, 4: CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID.
	 */
	CHECK(status_field(pid, "CapEff:", 16) == 0x1b);
	CHECK(status_field(pid, "CapBnd:", 16) == 0x1b);
	CHECK(status_field(pid, "NoNewPrivs:", 10) == 1);
	CHECK(status_field(pid, "Seccomp:", 10) == 2);
	CHECK(!same_mount_ns(pid));
}

static void check_serving(struct gofer_conn *c, const char *dir)
{
	struct gofer_stat st;
	gofer_fid_t root, ro_root, fid;
	char data[8] = {0};
	char path[256];
	int fd = -1;

	CHECK(gofer_attach(c, 0, &root, &st) == 0);
	CHECK(gofer_attach(c, 1, &ro_root, &st) == 0);
	CHECK(gofer_walk(c, root, "f", &fid, &st) == 0);
	CHECK(gofer_open(c, fid, O_RDONLY, &fd) == 0);
	CHECK(fd >= 0);
	CHECK(read(fd, data, sizeof(data)) == 2);
	CHECK(strcmp(data, "ok") == 0);
	close(fd);
	/* link, chmod and truncate go through the detached /proc/self/fd. */
	CHECK(gofer_link(c, root, "hard", fid) == 0);
	CHECK(gofer_setattr(c, fid,
			    &(struct gofer_setattr){.mask = GOFER_SETATTR_MODE |
							    GOFER_SETATTR_SIZE,
						    .mode = 0600,
						    .size = 1}) == 0);
	CHECK(gofer_getattr(c, fid, &st) == 0);
	CHECK(st.size == 1);
	CHECK((st.mode & 07777) == 0600);
	CHECK(st.nlink == 2);

	CHECK(gofer_create(c, root, "made", O_WRONLY, 0644, 0, 0, &fid, &st,
			   &fd) == 0);
	CHECK(fd >= 0);
	CHECK(write(fd, "x", 1) == 1);
	close(fd);
	snprintf(path, sizeof(path), "%s/rw/made", dir);
	CHECK(access(path, F_OK) == 0);
	CHECK(gofer_mkdir(c, root, "d", 0755, 0, 0, &fid, &st) == 0);
	CHECK(gofer_symlink(c, root, "s", "/", 0, 0, &fid, &st) == 0);
	CHECK(gofer_getdents(c, root, 0, (struct gofer_dirent[8]){}, 8) == 5);

	/* The ro mount is also a read-only bind mount in the gofer. */
	CHECK(gofer_mkdir(c, ro_root, "d", 0755, 0, 0, &fid, &st) == -EROFS);
	CHECK(gofer_walk(c, ro_root, "g", &fid, &st) == 0);
	CHECK(gofer_open(c, fid, O_RDONLY, &fd) == 0);
	close(fd);
}

int main(void)
{
	char dir[] = "/tmp/moat-gofer-confine.XXXXXX";
	char rw[64], ro[64], path[80], fdarg[16], cmd[200];
	struct gofer_conn *c;
	struct gofer_stat st;
	gofer_fid_t root;
	int sv[2], status = -1;
	pid_t pid;

	if (geteuid() != 0) {
		printf("test_gofer_confine: skipped, needs root\n");
		return 0;
	}
	if (!mkdtemp(dir) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("setup");
		return 1;
	}
	snprintf(rw, sizeof(rw), "%s/rw", dir);
	snprintf(ro, sizeof(ro), "%s/ro", dir);
	mkdir(rw, 0755);
	mkdir(ro, 0755);
	snprintf(cmd, sizeof(cmd), "printf ok > %s/f && touch %s/g", rw, ro);
	if (system(cmd) != 0)
		return 1;

	pid = fork();
	if (pid == 0) {
		snprintf(fdarg, sizeof(fdarg), "%d", sv[1]);
		snprintf(path, sizeof(path), "%s:rw", rw);
		snprintf(cmd, sizeof(cmd), "%s:ro", ro);
		char *argv[] = {"__gofer", "--sock-fd", fdarg, "--mount",
				path,	   "--mount",	cmd,   NULL};
		fcntl(sv[1], F_SETFD, 0);
		_exit(gofer_main(7, argv));
	}
	close(sv[1]);
	c = gofer_connect(sv[0]);
	if (gofer_attach(c, 0, &root, &st) == -EIO) {
		waitpid(pid, &status, 0);
		printf("test_gofer_confine: skipped, gofer setup not permitted "
		       "here (wait status %#x)\n",
		       status);
		return 0;
	}
	check_confined(pid);
	check_serving(c, dir);
	gofer_disconnect(c);
	CHECK(waitpid(pid, &status, 0) == pid);
#ifdef __SANITIZE_ADDRESS__
	/* The sanitizer runtime makes syscalls at exit that the allowlist
	 * does not have, so the gofer ends with SIGSYS instead. */
	CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
	      (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS));
#else
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
#endif

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_gofer_confine: could not remove %s\n",
			dir);
	if (failures)
		fprintf(stderr, "test_gofer_confine: %d checks failed\n",
			failures);
	return failures ? 1 : 0;
}
