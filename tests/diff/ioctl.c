/* ioctl(2) on non-terminals and a few generic requests. */
#include "check.h"
#include <sys/ioctl.h>
#include <termios.h>

int main(void)
{
	struct termios t;
	struct winsize ws;
	int p[2], n = -1;

	enter_tmpdir();
	write_file("f", "12345", 0644);
	int fd = CHECK(open("f", O_RDWR));
	CHECK(ioctl(fd, TCGETS, &t));
	CHECK(ioctl(fd, TIOCGWINSZ, &ws));
	CHECK(isatty(fd));
	CHECK(ioctl(fd, FIONREAD, &n));
	SAY("FIONREAD on file = %d\n", n);
	CHECK(ioctl(999, TCGETS, &t));
	CHECK(ioctl(fd, 0xdeadbeef, 0));

	CHECK(pipe(p));
	CHECK(ioctl(p[0], TCGETS, &t));
	write(p[1], "abc", 3);
	CHECK(ioctl(p[0], FIONREAD, &n));
	SAY("FIONREAD on pipe = %d\n", n);
	int on = 1;
	CHECK(ioctl(p[0], FIONBIO, &on));
	SAY("O_NONBLOCK after FIONBIO = %d\n", !!(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	char buf[8];
	read(p[0], buf, sizeof(buf));
	CHECK(read(p[0], buf, sizeof(buf)));
	CHECK(ioctl(p[0], FIOCLEX));
	CHECK(fcntl(p[0], F_GETFD));
	CHECK(ioctl(p[0], FIONCLEX));
	CHECK(fcntl(p[0], F_GETFD));

	int null = CHECK(open("/dev/null", O_RDWR));
	CHECK(ioctl(null, TCGETS, &t));
	CHECK(ioctl(null, TIOCGPGRP, &n));
	CHECK(tcgetpgrp(null));
	return 0;
}
