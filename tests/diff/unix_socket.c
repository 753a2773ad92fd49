/* AF_UNIX sockets bound to a path and to the abstract namespace. */
#include "check.h"
#include <sys/socket.h>
#include <stddef.h>
#include <sys/un.h>

static void serve_once(int listener)
{
	int conn = accept(listener, NULL, NULL);
	char buf[32] = {0};

	read(conn, buf, sizeof(buf) - 1);
	dprintf(conn, "echo:%s", buf);
	close(conn);
}

int main(void)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	char buf[64] = {0};

	enter_tmpdir();
	strcpy(addr.sun_path, "sock");
	int s = CHECK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK(bind(s, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK(bind(s, (struct sockaddr *)&addr, sizeof(addr)));
	struct stat st;
	CHECK(stat("sock", &st));
	SAY("is socket: %s\n", S_ISSOCK(st.st_mode) ? "yes" : "no");
	int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(s2, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK(listen(s, 4));

	int c = CHECK(socket(AF_UNIX, SOCK_STREAM, 0));
	struct sockaddr_un missing = {.sun_family = AF_UNIX, .sun_path = "nosock"};
	CHECK(connect(c, (struct sockaddr *)&missing, sizeof(missing)));
	pid_t pid = fork();
	if (pid == 0) {
		serve_once(s);
		_exit(0);
	}
	CHECK(connect(c, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK(write(c, "hi", 2));
	CHECK(read(c, buf, sizeof(buf)));
	SAY("reply = %s\n", buf);
	wait_and_print(pid, "server");
	close(c);

	/* Connecting to a path with no listener is refused. */
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un daddr = {.sun_family = AF_UNIX, .sun_path = "dgram"};
	CHECK(bind(d, (struct sockaddr *)&daddr, sizeof(daddr)));
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&daddr, sizeof(daddr)));
	int e = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(sendto(e, "dg", 2, 0, (struct sockaddr *)&daddr, sizeof(daddr)));
	memset(buf, 0, sizeof(buf));
	CHECK(recv(d, buf, sizeof(buf), 0));
	SAY("datagram = %s\n", buf);

	/* Abstract names start with a NUL byte and create no file. The name
	 * includes the tmpdir so parallel runs do not collide. */
	struct sockaddr_un abs = {.sun_family = AF_UNIX};
	snprintf(abs.sun_path + 1, sizeof(abs.sun_path) - 1, "%s", test_tmpdir);
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(test_tmpdir);
	int a = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(a, (struct sockaddr *)&abs, len));
	CHECK(listen(a, 1));
	int b = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(connect(b, (struct sockaddr *)&abs, len));
	int conn = CHECK(accept(a, NULL, NULL) >= 0);
	(void)conn;
	struct sockaddr_un got;
	socklen_t got_len = sizeof(got);
	CHECK(getsockname(a, (struct sockaddr *)&got, &got_len));
	EXPECT(got_len == len && got.sun_path[0] == '\0');
	CHECK(unlink("sock"));
	CHECK(socket(AF_UNIX, 999, 0));
	CHECK(socket(12345, SOCK_STREAM, 0));
	return 0;
}
