/* Named pipes (FIFOs) between processes. */
#include "check.h"

int main(void)
{
	char buf[32] = {0};
	struct stat st;

	enter_tmpdir();
	CHECK(mkfifo("fifo", 0600));
	CHECK(mkfifo("fifo", 0600));
	CHECK(lstat("fifo", &st));
	SAY("is fifo: %s\n", S_ISFIFO(st.st_mode) ? "yes" : "no");
	/* Opening the write end without a reader fails in non-blocking mode,
	 * and opening the read end succeeds. */
	CHECK(open("fifo", O_WRONLY | O_NONBLOCK));
	int r = CHECK(open("fifo", O_RDONLY | O_NONBLOCK));
	CHECK(read(r, buf, sizeof(buf)));
	int w = CHECK(open("fifo", O_WRONLY | O_NONBLOCK));
	CHECK(read(r, buf, sizeof(buf)));
	CHECK(write(w, "nb", 2));
	CHECK(read(r, buf, sizeof(buf)));
	close(w);
	close(r);

	/* Blocking opens rendezvous with a child. */
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("fifo", O_WRONLY);
		write(fd, "from child", 10);
		close(fd);
		_exit(0);
	}
	r = CHECK(open("fifo", O_RDONLY));
	memset(buf, 0, sizeof(buf));
	long total = 0, n;
	while ((n = read(r, buf + total, sizeof(buf) - 1 - total)) > 0)
		total += n;
	SAY("read %ld: %s\n", total, buf);
	wait_and_print(pid, "writer");
	/* O_RDWR on a FIFO never blocks on Linux. */
	int rw = CHECK(open("fifo", O_RDWR));
	CHECK(write(rw, "self", 4));
	CHECK(read(rw, buf, 4));
	CHECK(mknod("fifo2", S_IFIFO | 0644, 0));
	CHECK(mknodat(AT_FDCWD, "reg", S_IFREG | 0644, 0));
	CHECK(lstat("reg", &st));
	SAY("reg is regular: %s\n", S_ISREG(st.st_mode) ? "yes" : "no");
	return 0;
}
