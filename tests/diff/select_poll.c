/* select(2), poll(2), ppoll(2) and epoll on pipes. */
#include "check.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>

static void poll_show(const char *what, int fd, short events)
{
	struct pollfd pfd = {.fd = fd, .events = events};
	int r = poll(&pfd, 1, 0);

	printf("%s: poll = %d revents:%s%s%s%s%s\n", what, r,
	       pfd.revents & POLLIN ? " IN" : "",
	       pfd.revents & POLLOUT ? " OUT" : "",
	       pfd.revents & POLLHUP ? " HUP" : "",
	       pfd.revents & POLLERR ? " ERR" : "",
	       pfd.revents & POLLNVAL ? " NVAL" : "");
}

int main(void)
{
	int p[2];
	fd_set rfds, wfds;
	struct timeval tv = {0, 0};

	pipe(p);
	FD_ZERO(&rfds);
	FD_SET(p[0], &rfds);
	CHECK(select(p[0] + 1, &rfds, NULL, NULL, &tv));
	write(p[1], "x", 1);
	FD_SET(p[0], &rfds);
	FD_ZERO(&wfds);
	FD_SET(p[1], &wfds);
	tv.tv_usec = 0;
	CHECK(select(p[1] + 1, &rfds, &wfds, NULL, &tv));
	SAY("read ready = %d write ready = %d\n", FD_ISSET(p[0], &rfds),
	    FD_ISSET(p[1], &wfds));
	/* A timeout with nothing ready returns 0 after waiting. */
	char c;
	read(p[0], &c, 1);
	FD_ZERO(&rfds);
	FD_SET(p[0], &rfds);
	tv.tv_sec = 0;
	tv.tv_usec = 20000;
	CHECK(select(p[0] + 1, &rfds, NULL, NULL, &tv));
	FD_SET(900, &rfds);
	CHECK(select(901, &rfds, NULL, NULL, &tv));
	CHECK(select(-1, NULL, NULL, NULL, &tv));
	tv.tv_usec = -1;
	CHECK(select(0, NULL, NULL, NULL, &tv));

	poll_show("empty read end", p[0], POLLIN);
	poll_show("write end", p[1], POLLOUT);
	write(p[1], "y", 1);
	poll_show("read end with data", p[0], POLLIN);
	close(p[1]);
	poll_show("after writer closed, data left", p[0], POLLIN);
	read(p[0], &c, 1);
	poll_show("after writer closed, drained", p[0], POLLIN);
	poll_show("closed fd", 900, POLLIN);
	poll_show("negative fd", -1, POLLIN);
	CHECK(poll(NULL, 0, 10));

	int q[2];
	pipe(q);
	close(q[0]);
	poll_show("write end without reader", q[1], POLLOUT);

	struct pollfd pfd = {.fd = p[0], .events = POLLIN};
	struct timespec ts = {0, 1000000};
	CHECK(ppoll(&pfd, 1, &ts, NULL));

	/* epoll: level-triggered readiness on a pipe. */
	int r[2];
	pipe(r);
	int ep = CHECK(epoll_create1(EPOLL_CLOEXEC) >= 0);
	ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 77}, out[4];
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, r[0], &ev));
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, r[0], &ev));
	CHECK(epoll_wait(ep, out, 4, 0));
	write(r[1], "z", 1);
	CHECK(epoll_wait(ep, out, 4, 100));
	SAY("data = %u IN = %d\n", out[0].data.u32, !!(out[0].events & EPOLLIN));
	CHECK(epoll_wait(ep, out, 4, 0));
	ev.events = EPOLLIN | EPOLLET;
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, r[0], &ev));
	CHECK(epoll_wait(ep, out, 4, 0));
	CHECK(epoll_wait(ep, out, 4, 0));
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, r[0], NULL));
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, r[0], NULL));
	CHECK(epoll_wait(ep, out, 0, 0));
	int file = open("/proc/self/exe", O_RDONLY);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, file, &ev));
	return 0;
}
