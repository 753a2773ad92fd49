/* fcntl(2) flag and descriptor commands. */
#include "check.h"

int main(void)
{
	int fd, p[2];

	enter_tmpdir();
	fd = CHECK(open("f", O_RDWR | O_CREAT, 0644));
	CHECK(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK));
	CHECK(fcntl(fd, F_SETFL, O_APPEND));
	CHECK(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK));
	CHECK(write(fd, "abc", 3));
	CHECK(lseek(fd, 0, SEEK_SET));
	CHECK(write(fd, "d", 1));
	CHECK(lseek(fd, 0, SEEK_CUR));
	CHECK(fcntl(fd, F_SETFL, 0));
	/* The access mode cannot be changed by F_SETFL. */
	CHECK(fcntl(fd, F_SETFL, O_RDONLY));
	CHECK(fcntl(fd, F_GETFL) & O_ACCMODE);

	CHECK(fcntl(fd, F_GETFD));
	CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	CHECK(fcntl(fd, F_GETFD));
	CHECK(fcntl(fd, F_SETFD, 0));
	CHECK(fcntl(fd, F_GETFD));

	CHECK(fcntl(fd, F_DUPFD, 20));
	CHECK(fcntl(20, F_GETFD));
	CHECK(fcntl(fd, F_DUPFD, 20));
	CHECK(fcntl(fd, F_DUPFD_CLOEXEC, 30));
	CHECK(fcntl(30, F_GETFD));
	CHECK(fcntl(fd, F_DUPFD, -1));

	CHECK(pipe(p));
	CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK));
	CHECK(fcntl(p[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	char c;
	CHECK(read(p[0], &c, 1));

	CHECK(fcntl(999, F_GETFD));
	CHECK(fcntl(999, F_GETFL));
	CHECK(fcntl(fd, 0x7fff));

	/* Record locks on a regular file. */
	struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 1};
	CHECK(fcntl(fd, F_SETLK, &lk));
	lk.l_type = F_UNLCK;
	CHECK(fcntl(fd, F_SETLK, &lk));
	lk.l_type = F_RDLCK;
	CHECK(fcntl(fd, F_GETLK, &lk));
	SAY("F_GETLK type is F_UNLCK: %s\n", lk.l_type == F_UNLCK ? "yes" : "no");
	return 0;
}
