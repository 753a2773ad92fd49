/* Record locks (POSIX and OFD) and flock(2) between processes: conflicts,
 * splitting and merging, release on close and exit, blocking waits,
 * EINTR and EDEADLK. */
#include "check.h"
#include <sys/file.h>
#include <time.h>

static int fd_main;

static int set_lock(int fd, int cmd, short type, short whence, off_t start,
		    off_t len)
{
	struct flock lk = {
	    .l_type = type, .l_whence = whence, .l_start = start, .l_len = len};

	return fcntl(fd, cmd, &lk);
}

/* Print what F_GETLK reports for a write lock on [start, start + len). */
static void probe(int fd, int cmd, off_t start, off_t len, pid_t owner)
{
	struct flock lk = {.l_type = F_WRLCK,
			   .l_whence = SEEK_SET,
			   .l_start = start,
			   .l_len = len};

	if (fcntl(fd, cmd, &lk) < 0) {
		printf("probe %ld+%ld: errno=%s\n", (long)start, (long)len,
		       errno_name(errno));
		return;
	}
	if (lk.l_type == F_UNLCK) {
		printf("probe %ld+%ld: unlocked\n", (long)start, (long)len);
		return;
	}
	printf("probe %ld+%ld: %s start=%ld len=%ld whence=%d pid=%s\n",
	       (long)start, (long)len,
	       lk.l_type == F_WRLCK ? "F_WRLCK" : "F_RDLCK", (long)lk.l_start,
	       (long)lk.l_len, lk.l_whence,
	       lk.l_pid == owner ? "owner"
	       : lk.l_pid == -1	 ? "-1"
				 : "other");
}

/* Run fn in a child that opens the file itself, and wait for it. */
static void in_child(const char *what, void (*fn)(int fd))
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("f", O_RDWR);

		fn(fd);
		_exit(0);
	}
	wait_and_print(pid, what);
}

static void probe_split(int fd)
{
	pid_t parent = getppid();

	probe(fd, F_GETLK, 50, 1, parent);
	probe(fd, F_GETLK, 30, 1, parent);
	probe(fd, F_GETLK, 70, 1, parent);
	probe(fd, F_GETLK, 0, 0, parent);
	CHECK(set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 40, 20));
	CHECK(set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 39, 2));
	CHECK(set_lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 100, 10));
}

static void probe_merged(int fd)
{
	pid_t parent = getppid();

	probe(fd, F_GETLK, 15, 1, parent);
	probe(fd, F_GETLK, 25, 1, parent);
	probe(fd, F_GETLK, 200, 1, parent);
	struct flock rd = {
	    .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1};
	CHECK(fcntl(fd, F_GETLK, &rd));
	EXPECT(rd.l_type == F_UNLCK);
	CHECK(set_lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 30));
}

static void probe_unlocked(int fd)
{
	probe(fd, F_GETLK, 0, 0, getppid());
}

static void lock_and_exit(int fd)
{
	CHECK(set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
}

/* Report through the exit status, because the parent prints
 * concurrently. */
static void wait_for_lock(int fd)
{
	_exit(set_lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1) == 0 ? 0 : 1);
}

static void on_alarm(int sig)
{
}

static void wait_interrupted(int fd)
{
	struct sigaction sa = {.sa_handler = on_alarm};

	sigaction(SIGALRM, &sa, NULL);
	ualarm(100000, 0);
	CHECK(set_lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
	ualarm(100000, 0);
	CHECK(flock(fd, LOCK_EX));
	ualarm(100000, 0);
	CHECK(set_lock(fd, F_OFD_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

static void test_split_and_merge(void)
{
	SAY("-- split and merge\n");
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, 0, 100));
	CHECK(set_lock(fd_main, F_SETLK, F_UNLCK, SEEK_SET, 40, 20));
	in_child("split child", probe_split);
	CHECK(set_lock(fd_main, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));

	CHECK(set_lock(fd_main, F_SETLK, F_RDLCK, SEEK_SET, 0, 10));
	CHECK(set_lock(fd_main, F_SETLK, F_RDLCK, SEEK_SET, 10, 10));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, 20, 10));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, 100, 0));
	in_child("merge child", probe_merged);

	/* Relocking a range with the other type splits the old lock. */
	CHECK(set_lock(fd_main, F_SETLK, F_RDLCK, SEEK_SET, 22, 2));
	in_child("retype child", probe_merged);
	CHECK(set_lock(fd_main, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	in_child("unlocked child", probe_unlocked);
}

static void test_whence(void)
{
	SAY("-- whence and negative lengths\n");
	CHECK(lseek(fd_main, 10, SEEK_SET));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_CUR, 0, -5));
	in_child("seek_cur child", probe_unlocked);
	CHECK(set_lock(fd_main, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_END, -2, 1));
	in_child("seek_end child", probe_unlocked);
	CHECK(set_lock(fd_main, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, 3, -4));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_END, -100, 1));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, -1, 1));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, 7, 0, 1));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, 1, LONG_MAX));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_CUR, LONG_MAX, 1));
	CHECK(set_lock(fd_main, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
}

static void test_release(void)
{
	SAY("-- release on close and exit\n");
	int other = CHECK_OK(open("f", O_RDONLY));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	in_child("held child", probe_unlocked);
	CHECK(close(other));
	in_child("closed child", probe_unlocked);

	int dup_fd = CHECK_OK(dup(fd_main));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	CHECK(dup2(fd_main, dup_fd));
	in_child("dup2 child", probe_unlocked);
	CHECK(close(dup_fd));

	in_child("exiting child", lock_and_exit);
	probe(fd_main, F_GETLK, 0, 0, 0);
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	CHECK(set_lock(fd_main, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));

	/* A read lock needs a readable file, a write lock a writable one. */
	int rdonly = CHECK_OK(open("f", O_RDONLY));
	CHECK(set_lock(rdonly, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	CHECK(set_lock(rdonly, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	CHECK(close(rdonly));
}

static void test_blocking(void)
{
	SAY("-- blocking waits\n");
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	pid_t pid = fork();
	if (pid == 0) {
		wait_for_lock(open("f", O_RDWR));
		_exit(0);
	}
	sleep_ms(200);
	SAY("parent unlocks\n");
	CHECK(set_lock(fd_main, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
	wait_and_print(pid, "waiting child");

	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	CHECK(flock(fd_main, LOCK_EX));
	CHECK(set_lock(fd_main, F_OFD_SETLK, F_WRLCK, SEEK_SET, 1, 1));
	in_child("interrupted child", wait_interrupted);
	CHECK(set_lock(fd_main, F_OFD_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	CHECK(flock(fd_main, LOCK_UN));
	CHECK(set_lock(fd_main, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
}

static void test_deadlock(void)
{
	SAY("-- deadlock detection\n");
	int ready[2];

	CHECK(pipe(ready));
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("f", O_RDWR);

		CHECK(set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1));
		write(ready[1], "x", 1);
		/* Exit 0 once the parent's unlock lets the wait finish. */
		_exit(set_lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1) == 0 ? 0
									   : 1);
	}
	char c;
	read(ready[0], &c, 1);
	sleep_ms(300);
	CHECK(set_lock(fd_main, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1));
	CHECK(set_lock(fd_main, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	wait_and_print(pid, "deadlock child");
	close(ready[0]);
	close(ready[1]);
}

static void test_ofd(void)
{
	SAY("-- OFD locks\n");
	int a = CHECK_OK(open("f", O_RDWR));
	int b = CHECK_OK(open("f", O_RDWR));
	CHECK(set_lock(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	CHECK(set_lock(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	CHECK(set_lock(b, F_OFD_SETLK, F_RDLCK, SEEK_SET, 10, 1));
	probe(b, F_OFD_GETLK, 0, 0, 0);
	probe(a, F_OFD_GETLK, 0, 0, 0);
	/* Own POSIX locks conflict with the OFD lock of another file. */
	CHECK(set_lock(fd_main, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	probe(fd_main, F_GETLK, 0, 1, 0);

	struct flock bad = {
	    .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_pid = 1};
	CHECK(fcntl(a, F_OFD_SETLK, &bad));
	CHECK(fcntl(a, F_OFD_GETLK, &bad));

	/* Closing another FD keeps OFD locks, but closing the last drops them.
	 */
	int a2 = CHECK_OK(dup(a));
	CHECK(close(a));
	CHECK(set_lock(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	pid_t pid = fork();
	if (pid == 0) {
		/* The child shares the open file and its OFD lock. */
		CHECK(close(a2));
		_exit(0);
	}
	wait_and_print(pid, "ofd child");
	CHECK(set_lock(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	CHECK(close(a2));
	CHECK(set_lock(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	CHECK(close(b));
}

static void flock_from_child(int fd)
{
	CHECK(flock(fd, LOCK_SH | LOCK_NB));
	CHECK(flock(fd, LOCK_EX | LOCK_NB));
}

static void test_flock(void)
{
	SAY("-- flock\n");
	CHECK(flock(fd_main, LOCK_SH));
	in_child("shared child", flock_from_child);
	CHECK(flock(fd_main, LOCK_EX));
	in_child("exclusive child", flock_from_child);

	/* A forked child shares the open file, so it shares the lock. */
	pid_t pid = fork();
	if (pid == 0) {
		CHECK(flock(fd_main, LOCK_EX | LOCK_NB));
		CHECK(flock(fd_main, LOCK_UN));
		_exit(0);
	}
	wait_and_print(pid, "sharing child");
	in_child("released child", flock_from_child);

	/* flock and fcntl locks do not see each other. */
	CHECK(flock(fd_main, LOCK_EX));
	in_child("fcntl child", lock_and_exit);
	CHECK(flock(fd_main, LOCK_UN));

	/* The lock goes with the last reference to the open file. */
	int c = CHECK_OK(open("f", O_RDWR));
	CHECK(flock(c, LOCK_EX));
	int c2 = CHECK_OK(dup(c));
	CHECK(close(c));
	CHECK(flock(fd_main, LOCK_SH | LOCK_NB));
	CHECK(close(c2));
	CHECK(flock(fd_main, LOCK_SH | LOCK_NB));
	CHECK(flock(fd_main, LOCK_UN));
}

int main(void)
{
	enter_tmpdir();
	write_file("f", "0123456789", 0644);
	fd_main = CHECK_OK(open("f", O_RDWR));

	test_split_and_merge();
	test_whence();
	test_release();
	test_blocking();
	test_deadlock();
	test_ofd();
	test_flock();
	return 0;
}
