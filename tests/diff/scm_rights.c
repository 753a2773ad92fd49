/* SCM_RIGHTS over socketpair sockets of every type: order of the passed
 * FDs, truncation, MSG_CMSG_CLOEXEC, MSG_PEEK, stream boundaries, files
 * dropped by read() and by closing the pair, and sendmsg errors. */
#include "check.h"
#include <netinet/in.h>
#include <sys/socket.h>

#define MAX_FDS 8

/* Send data with fds (count of them) in one SCM_RIGHTS message. */
static long send_fds(int sock, const char *data, const int *fds, int count)
{
	char control[CMSG_SPACE(MAX_FDS * sizeof(int))] = {0};
	struct iovec iov = {(void *)data, strlen(data)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};

	if (count > 0) {
		msg.msg_control = control;
		msg.msg_controllen = CMSG_SPACE(count * sizeof(int));
		struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(count * sizeof(int));
		memcpy(CMSG_DATA(cmsg), fds, count * sizeof(int));
	}
	return sendmsg(sock, &msg, 0);
}

/* Receive with a control buffer of control_len bytes and print the
 * data, the flags and how many FDs came; the FDs go to fds. */
static int recv_fds(int sock, size_t control_len, int flags, int *fds)
{
	char data[64] = {0};
	char control[CMSG_SPACE(MAX_FDS * sizeof(int))];
	struct iovec iov = {data, sizeof(data) - 1};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control_len ? control : NULL,
			     .msg_controllen = control_len};
	int count = 0;

	long n = recvmsg(sock, &msg, flags);
	if (n < 0) {
		printf("recvmsg: errno=%s\n", errno_name(errno));
		return -1;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c;
	     c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(fds, CMSG_DATA(c), count * sizeof(int));
	}
	printf("recvmsg = %ld data=%s fds=%d controllen=%zu ctrunc=%s\n", n,
	       data, count, (size_t)msg.msg_controllen,
	       (msg.msg_flags & MSG_CTRUNC) ? "yes" : "no");
	return count;
}

/* Write a tag through each passed pipe write end and read it back from
 * the matching read end, to show the order survived. */
static void check_pipes(const int *passed, int count, int (*pipes)[2])
{
	for (int i = 0; i < count; i++) {
		char tag = 'a' + i, got = 0;

		write(passed[i], &tag, 1);
		read(pipes[i][0], &got, 1);
		printf("fd %d reaches pipe %d: %s\n", i, i,
		       got == tag ? "yes" : "no");
		close(passed[i]);
	}
}

static void test_type(int type, const char *name)
{
	int sv[2], pipes[3][2], ends[3], passed[MAX_FDS];

	printf("-- %s\n", name);
	CHECK(socketpair(AF_UNIX, type, 0, sv));
	for (int i = 0; i < 3; i++) {
		pipe(pipes[i]);
		ends[i] = pipes[i][1];
	}

	/* Three FDs arrive in order. */
	CHECK(send_fds(sv[0], "three", ends, 3));
	int count = recv_fds(sv[1], sizeof(passed) + CMSG_LEN(0), 0, passed);
	check_pipes(passed, count, pipes);

	/* A control buffer with room for one FD truncates. */
	CHECK(send_fds(sv[0], "trunc", ends, 3));
	count = recv_fds(sv[1], CMSG_SPACE(sizeof(int)), 0, passed);
	check_pipes(passed, count, pipes);

	/* No control buffer at all. */
	CHECK(send_fds(sv[0], "none", ends, 2));
	count = recv_fds(sv[1], 0, 0, passed);

	/* MSG_CMSG_CLOEXEC sets close-on-exec on the new FDs. */
	CHECK(send_fds(sv[0], "cloexec", ends, 1));
	count =
	    recv_fds(sv[1], CMSG_SPACE(sizeof(int)), MSG_CMSG_CLOEXEC, passed);
	if (count == 1) {
		CHECK(fcntl(passed[0], F_GETFD));
		close(passed[0]);
	}

	/* MSG_PEEK passes the FDs and leaves them queued. */
	CHECK(send_fds(sv[0], "peek", ends, 1));
	count = recv_fds(sv[1], CMSG_SPACE(sizeof(int)), MSG_PEEK, passed);
	if (count == 1)
		close(passed[0]);
	count = recv_fds(sv[1], CMSG_SPACE(sizeof(int)), 0, passed);
	check_pipes(passed, count, pipes);

	/* read() drops the FDs of a message. */
	CHECK(send_fds(sv[0], "read", ends, 1));
	char buf[16] = {0};
	CHECK(read(sv[1], buf, sizeof(buf)));

	/* A zero-length message carries FDs on datagram sockets only. */
	CHECK(send_fds(sv[0], "", ends, 1));
	CHECK(send_fds(sv[0], "after", NULL, 0));
	count = recv_fds(sv[1], CMSG_SPACE(sizeof(int)), 0, passed);
	if (count == 1)
		close(passed[0]);
	if (type != SOCK_STREAM)
		recv_fds(sv[1], CMSG_SPACE(sizeof(int)), 0, passed);

	CHECK(close(sv[0]));
	CHECK(close(sv[1]));
	for (int i = 0; i < 3; i++) {
		close(pipes[i][0]);
		close(pipes[i][1]);
	}
}

static void test_stream_boundaries(void)
{
	int sv[2], p[2], passed[MAX_FDS];

	SAY("-- stream boundaries\n");
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pipe(p);
	CHECK(send_fds(sv[0], "plain", NULL, 0));
	CHECK(send_fds(sv[0], "first", &p[1], 1));
	CHECK(send_fds(sv[0], "second", &p[1], 1));
	CHECK(send_fds(sv[0], "tail", NULL, 0));
	for (int i = 0; i < 3; i++) {
		int count = recv_fds(sv[1], CMSG_SPACE(sizeof(int)), 0, passed);
		if (count == 1)
			close(passed[0]);
	}
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
}

static void test_dropped_on_close(void)
{
	int sv[2], p[2];
	char c;

	SAY("-- files in flight dropped on close\n");
	CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	pipe(p);
	CHECK(send_fds(sv[0], "lost", &p[1], 1));
	CHECK(close(p[1]));
	CHECK(close(sv[0]));
	CHECK(close(sv[1]));
	/* The last write end was in flight, so the pipe now reads EOF. */
	CHECK(read(p[0], &c, 1));
	close(p[0]);
}

static void test_child_receives(void)
{
	int sv[2], p[2], passed[MAX_FDS];

	SAY("-- passing to a child\n");
	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		/* Print nothing, because the parent prints concurrently. */
		dup2(open("/dev/null", O_WRONLY), 1);
		int count = recv_fds(sv[1], CMSG_SPACE(sizeof(int)), 0, passed);
		if (count == 1)
			write(passed[0], "child", 5);
		_exit(count == 1 ? 0 : 1);
	}
	close(sv[1]);
	CHECK(send_fds(sv[0], "go", &p[1], 1));
	close(p[1]);
	wait_and_print(pid, "child");
	char buf[16] = {0};
	CHECK(read(p[0], buf, sizeof(buf)));
	SAY("pipe got %s\n", buf);
	close(p[0]);
	close(sv[0]);
}

static void test_send_errors(void)
{
	int sv[2], fds[MAX_FDS];
	char control[CMSG_SPACE(300 * sizeof(int))] = {0};
	struct iovec iov = {"x", 1};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control,
			     .msg_controllen = CMSG_SPACE(sizeof(int))};
	struct cmsghdr *cmsg = (struct cmsghdr *)control;

	SAY("-- sendmsg errors\n");
	CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	fds[0] = 999;
	CHECK(send_fds(sv[0], "badfd", fds, 1));

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_SPACE(sizeof(int)) + 8;
	CHECK(sendmsg(sv[0], &msg, 0));
	cmsg->cmsg_len = 4;
	CHECK(sendmsg(sv[0], &msg, 0));
	cmsg->cmsg_len = CMSG_LEN(0);
	CHECK(sendmsg(sv[0], &msg, 0));
	cmsg->cmsg_type = 99;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	CHECK(sendmsg(sv[0], &msg, 0));
	cmsg->cmsg_level = SOL_IP;
	CHECK(sendmsg(sv[0], &msg, 0));

	/* More than 253 FDs in one message. */
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(300 * sizeof(int));
	for (int i = 0; i < 300; i++)
		memcpy(CMSG_DATA(cmsg) + i * sizeof(int), &sv[0], sizeof(int));
	msg.msg_controllen = sizeof(control);
	CHECK(sendmsg(sv[0], &msg, 0));
	msg.msg_control = (void *)1;
	CHECK(sendmsg(sv[0], &msg, 0));

	/* Only the messages that were sent are queued. */
	char buf[8];
	CHECK(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	CHECK(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	CHECK(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	test_type(SOCK_STREAM, "SOCK_STREAM");
	test_type(SOCK_DGRAM, "SOCK_DGRAM");
	test_type(SOCK_SEQPACKET, "SOCK_SEQPACKET");
	test_stream_boundaries();
	test_dropped_on_close();
	test_child_receives();
	test_send_errors();
	return 0;
}
