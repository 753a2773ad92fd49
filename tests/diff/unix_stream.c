/* AF_UNIX stream and seqpacket sockets made with socket(2): names,
 * listen and accept, connect errors, peer credentials, shutdown and
 * readiness of a listening socket. */
#include "check.h"
#include "unix_addr.h"
#include <poll.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

static void print_name(const char *what, struct sockaddr_un *addr,
		       socklen_t len)
{
	if (len > offsetof(struct sockaddr_un, sun_path) &&
	    addr->sun_path[0] == '\0')
		printf("%s: len %u abstract\n", what, len);
	else if (len > offsetof(struct sockaddr_un, sun_path))
		printf("%s: len %u path %s\n", what, len, addr->sun_path);
	else
		printf("%s: len %u family %d\n", what, len, addr->sun_family);
}

static void socket_errors(void)
{
	CHECK(socket(AF_UNIX, SOCK_STREAM, 2));
	CHECK(socket(AF_UNIX, SOCK_RDM, 0));
	CHECK(socket(AF_UNIX, SOCK_STREAM | 0x100, 0));
	CHECK(socket(-1, SOCK_STREAM, 0));
	int s = CHECK(socket(
	    AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, PF_UNIX));
	CHECK(fcntl(s, F_GETFL) & O_NONBLOCK);
	CHECK(fcntl(s, F_GETFD));
	int type = 0;
	socklen_t len = sizeof(type);
	CHECK(getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len));
	SAY("type %d len %u\n", type, len);
	struct stat st;
	CHECK(fstat(s, &st));
	EXPECT(S_ISSOCK(st.st_mode));
	close(s);
	s = CHECK(socket(AF_UNIX, SOCK_RAW, 0));
	CHECK(getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len));
	SAY("raw becomes type %d\n", type);
	close(s);
}

static void unconnected(void)
{
	int s = CHECK(socket(AF_UNIX, SOCK_STREAM, 0));
	char buf[8];
	struct sockaddr_un addr;
	socklen_t len = sizeof(addr);

	CHECK(getsockname(s, (struct sockaddr *)&addr, &len));
	print_name("unbound name", &addr, len);
	len = sizeof(addr);
	CHECK(getpeername(s, (struct sockaddr *)&addr, &len));
	CHECK(read(s, buf, sizeof(buf)));
	CHECK(recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	CHECK(send(s, "x", 1, MSG_NOSIGNAL));
	CHECK(listen(s, 1));
	CHECK(accept(s, NULL, NULL));
	struct ucred cred;
	len = sizeof(cred);
	CHECK(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len));
	SAY("unconnected peercred pid %d uid %d gid %d\n", cred.pid,
	    (int)cred.uid, (int)cred.gid);
	close(s);

	s = CHECK(socket(AF_UNIX, SOCK_SEQPACKET, 0));
	CHECK(recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	CHECK(send(s, "x", 1, MSG_NOSIGNAL));
	close(s);
}

static void bind_errors(void)
{
	struct sockaddr_un addr;
	socklen_t len = make_addr(&addr, "b1");
	int s = CHECK(socket(AF_UNIX, SOCK_STREAM, 0));

	CHECK(bind(s, (struct sockaddr *)&addr, 1));
	CHECK(bind(s, (struct sockaddr *)&addr, sizeof(addr) + 1));
	addr.sun_family = AF_INET;
	CHECK(bind(s, (struct sockaddr *)&addr, len));
	addr.sun_family = AF_UNIX;
	CHECK(bind(s, (struct sockaddr *)&addr, len));
	len = make_addr(&addr, "b2");
	CHECK(bind(s, (struct sockaddr *)&addr, len));
	CHECK(access("b2", F_OK));
	len = make_addr(&addr, "nodir/b3");
	int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(s2, (struct sockaddr *)&addr, len));
	write_file("regular", "", 0644);
	len = make_addr(&addr, "regular");
	CHECK(bind(s2, (struct sockaddr *)&addr, len));

	/* The name is the path as given, with its NUL counted. */
	struct sockaddr_un got;
	socklen_t got_len = sizeof(got);
	CHECK(getsockname(s, (struct sockaddr *)&got, &got_len));
	print_name("bound name", &got, got_len);
	got_len = 4;
	memset(&got, 0, sizeof(got));
	CHECK(getsockname(s, (struct sockaddr *)&got, &got_len));
	SAY("short buffer: len %u first byte %c rest %d\n", got_len,
	    got.sun_path[0], got.sun_path[1]);

	/* The mode follows the umask. */
	mode_t old = umask(027);
	len = make_addr(&addr, "masked");
	CHECK(bind(s2, (struct sockaddr *)&addr, len));
	umask(old);
	struct stat st;
	CHECK(stat("masked", &st));
	SAY("mode %o\n", st.st_mode & 07777);

	/* Autobind picks an abstract name of five hex digits. */
	int a = CHECK(socket(AF_UNIX, SOCK_STREAM, 0));
	sa_family_t family = AF_UNIX;
	CHECK(bind(a, (struct sockaddr *)&family, sizeof(family)));
	got_len = sizeof(got);
	CHECK(getsockname(a, (struct sockaddr *)&got, &got_len));
	print_name("autobind name", &got, got_len);
	CHECK(bind(a, (struct sockaddr *)&family, sizeof(family)));
	close(a);
	close(s);
	close(s2);
	CHECK(unlink("b1"));
}

static void connect_errors(void)
{
	struct sockaddr_un addr;
	socklen_t len;
	int c = CHECK(socket(AF_UNIX, SOCK_STREAM, 0));

	len = make_addr(&addr, "missing");
	CHECK(connect(c, (struct sockaddr *)&addr, len));
	len = make_addr(&addr, "regular");
	CHECK(connect(c, (struct sockaddr *)&addr, len));
	CHECK(connect(c, (struct sockaddr *)&addr, 2));
	CHECK(mknod("fakesock", S_IFSOCK | 0644, 0));
	len = make_addr(&addr, "fakesock");
	CHECK(connect(c, (struct sockaddr *)&addr, len));

	/* Bound but not listening. */
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	len = make_addr(&addr, "notlistening");
	CHECK(bind(s, (struct sockaddr *)&addr, len));
	CHECK(connect(c, (struct sockaddr *)&addr, len));
	/* Listening, then closed: the node stays but no socket accepts. */
	CHECK(listen(s, 1));
	close(s);
	CHECK(connect(c, (struct sockaddr *)&addr, len));
	/* A seqpacket client cannot reach a stream listener. */
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	len = make_addr(&addr, "streamonly");
	CHECK(bind(s, (struct sockaddr *)&addr, len));
	CHECK(listen(s, 1));
	int q = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK(connect(q, (struct sockaddr *)&addr, len));
	close(q);
	CHECK(connect(c, (struct sockaddr *)&addr, len));
	CHECK(connect(c, (struct sockaddr *)&addr, len));
	len = make_addr(&addr, "missing");
	CHECK(connect(c, (struct sockaddr *)&addr, len));
	CHECK(listen(c, 1));
	close(c);
	close(s);
}

static void backlog_and_poll(void)
{
	struct sockaddr_un addr;
	socklen_t len = make_addr(&addr, "backlog");
	int s = CHECK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	int c[4];

	CHECK(bind(s, (struct sockaddr *)&addr, len));
	CHECK(listen(s, 1));
	int on = 0;
	socklen_t olen = sizeof(on);
	CHECK(getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &on, &olen));
	SAY("acceptconn %d\n", on);
	CHECK(accept(s, NULL, NULL));
	struct pollfd pfd = {.fd = s, .events = POLLIN | POLLOUT};
	CHECK(poll(&pfd, 1, 0));
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN};
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
	CHECK(epoll_wait(ep, &ev, 1, 0));

	for (int i = 0; i < 4; i++) {
		c[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		CHECK(connect(c[i], (struct sockaddr *)&addr, len));
	}
	CHECK(poll(&pfd, 1, 0));
	SAY("revents %#x\n", pfd.revents);
	CHECK(epoll_wait(ep, &ev, 1, 0));
	SAY("epoll events %#x\n", ev.events);

	/* Data written before accept waits for the accepted socket. */
	CHECK(write(c[0], "early", 5));
	struct sockaddr_un peer;
	socklen_t peer_len = sizeof(peer);
	int a = CHECK_OK(
	    accept4(s, (struct sockaddr *)&peer, &peer_len, SOCK_CLOEXEC));
	print_name("accepted peer", &peer, peer_len);
	CHECK(fcntl(a, F_GETFD));
	CHECK(fcntl(a, F_GETFL) & O_NONBLOCK);
	char buf[16] = {0};
	CHECK(read(a, buf, sizeof(buf)));
	SAY("early data %s\n", buf);
	struct sockaddr_un name;
	socklen_t name_len = sizeof(name);
	CHECK(getsockname(a, (struct sockaddr *)&name, &name_len));
	print_name("accepted name", &name, name_len);
	name_len = sizeof(name);
	CHECK(getpeername(c[0], (struct sockaddr *)&name, &name_len));
	print_name("client peer", &name, name_len);
	CHECK(accept4(s, NULL, NULL, 0x4000));
	int b = CHECK_OK(accept(s, NULL, NULL));
	CHECK(accept(s, NULL, NULL));
	CHECK(poll(&pfd, 1, 0));

	/* Peer credentials name the other process. */
	struct ucred cred;
	olen = sizeof(cred);
	CHECK(getsockopt(a, SOL_SOCKET, SO_PEERCRED, &cred, &olen));
	EXPECT(cred.pid == getpid() && cred.uid == getuid() &&
	       cred.gid == getgid());
	olen = sizeof(cred);
	CHECK(getsockopt(c[0], SOL_SOCKET, SO_PEERCRED, &cred, &olen));
	EXPECT(cred.pid == getpid() && cred.uid == getuid());

	/* shutdown reaches the peer. */
	CHECK(shutdown(c[0], SHUT_WR));
	CHECK(read(a, buf, sizeof(buf)));
	CHECK(write(a, "x", 1));
	CHECK(send(c[0], "y", 1, MSG_NOSIGNAL));
	CHECK(shutdown(c[0], 7));
	close(a);
	close(b);
	for (int i = 0; i < 4; i++)
		close(c[i]);
	close(ep);
	close(s);
}

static void blocking_accept(void)
{
	struct sockaddr_un addr;
	socklen_t len = make_addr(&addr, "blocking");
	int s = CHECK(socket(AF_UNIX, SOCK_SEQPACKET, 0));

	CHECK(bind(s, (struct sockaddr *)&addr, len));
	CHECK(listen(s, 5));
	pid_t pid = fork();
	if (pid == 0) {
		int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		usleep(100000);
		if (connect(c, (struct sockaddr *)&addr, len) < 0)
			_exit(1);
		write(c, "one", 3);
		write(c, "two!", 4);
		_exit(0);
	}
	int a = CHECK_OK(accept(s, NULL, NULL));
	char buf[16];
	CHECK(read(a, buf, sizeof(buf)));
	CHECK(read(a, buf, sizeof(buf)));
	CHECK(read(a, buf, sizeof(buf)));
	struct ucred cred;
	socklen_t olen = sizeof(cred);
	CHECK(getsockopt(a, SOL_SOCKET, SO_PEERCRED, &cred, &olen));
	EXPECT(cred.pid == pid);
	wait_and_print(pid, "client");
	close(a);
	close(s);
	CHECK(unlink("blocking"));
}

static void on_alarm(int sig)
{
}

static void interrupted_accept(void)
{
	struct sigaction sa = {.sa_handler = on_alarm};
	struct sockaddr_un addr;
	socklen_t len = make_addr(&addr, "interrupted");
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	sigaction(SIGALRM, &sa, NULL);
	CHECK(bind(s, (struct sockaddr *)&addr, len));
	CHECK(listen(s, 1));
	ualarm(100000, 0);
	CHECK(accept(s, NULL, NULL));
	close(s);
}

static void abstract_names(void)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	snprintf(addr.sun_path + 1, sizeof(addr.sun_path) - 1, "%s-abs",
		 test_tmpdir);
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + 1 +
			strlen(test_tmpdir) + 4;
	int s = CHECK(socket(AF_UNIX, SOCK_STREAM, 0));
	int s2 = CHECK(socket(AF_UNIX, SOCK_STREAM, 0));

	CHECK(bind(s, (struct sockaddr *)&addr, len));
	CHECK(bind(s2, (struct sockaddr *)&addr, len));
	CHECK(bind(s, (struct sockaddr *)&addr, len));
	CHECK(listen(s, 1));
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	/* A shorter length is another name. */
	CHECK(connect(c, (struct sockaddr *)&addr, len - 1));
	CHECK(connect(c, (struct sockaddr *)&addr, len));
	int a = CHECK_OK(accept(s, NULL, NULL));
	CHECK(write(a, "abstract", 8));
	char buf[16] = {0};
	CHECK(read(c, buf, sizeof(buf)));
	SAY("got %s\n", buf);
	close(s);
	/* The name is free again once the socket is closed. */
	CHECK(bind(s2, (struct sockaddr *)&addr, len));
	close(a);
	close(c);
	close(s2);
}

int main(void)
{
	enter_tmpdir();
	socket_errors();
	unconnected();
	bind_errors();
	connect_errors();
	backlog_and_poll();
	blocking_accept();
	interrupted_accept();
	abstract_names();
	return 0;
}
