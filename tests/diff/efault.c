/* Bad user pointers passed to syscalls fail with EFAULT, without a
 * signal. */
#include "check.h"
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <poll.h>

int main(void)
{
	char *none;
	int fd, p[2];
	struct stat st;

	enter_tmpdir();
	write_file("f", "contents", 0644);
	none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fd = CHECK(open("f", O_RDWR));

	CHECK(write(fd, none, 10));
	CHECK(write(fd, (void *)1, 10));
	CHECK(read(fd, (void *)1, 10));
	CHECK(read(fd, none, 10));
	CHECK(pread(fd, (void *)1, 10, 0));
	CHECK(stat((char *)1, &st));
	CHECK(stat("f", (struct stat *)1));
	CHECK(fstat(fd, (struct stat *)none));
	CHECK(open((char *)1, O_RDONLY));
	CHECK(open(none, O_RDONLY));
	CHECK(mkdir((char *)1, 0755));
	CHECK(unlink((char *)1));
	CHECK(chdir((char *)1));
	symlink("f", "l");
	CHECK(readlink("l", (char *)1, 10));
	CHECK(pipe((int *)1));
	CHECK(syscall(SYS_getcwd, (char *)1, 100));
	CHECK(syscall(SYS_uname, (void *)1));
	CHECK(syscall(SYS_gettimeofday, (void *)1, NULL));
	CHECK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)1));
	struct iovec iov = {(void *)1, 4};
	CHECK(writev(fd, &iov, 1));
	CHECK(readv(fd, (struct iovec *)1, 1));
	CHECK(poll((struct pollfd *)1, 1, 0));
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, (void *)1, NULL, 8));
	CHECK(syscall(SYS_execve, (char *)1, NULL, NULL));
	CHECK(syscall(SYS_wait4, -1, (int *)1, 0, NULL));
	CHECK(syscall(SYS_getrandom, (void *)1, 16, 0));
	CHECK(syscall(SYS_nanosleep, (void *)1, NULL));

	/* A buffer that is partly mapped gives a short write or EFAULT. */
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(two, 'x', 8192);
	mprotect(two + 4096, 4096, PROT_NONE);
	CHECK(lseek(fd, 0, SEEK_SET));
	CHECK(write(fd, two + 4096 - 10, 20));
	pipe(p);
	CHECK(write(p[1], two + 4096 - 10, 20));
	CHECK(write(p[1], none, 1));
	CHECK(close(fd));
	return 0;
}
