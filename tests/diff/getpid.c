/* getpid/getppid/gettid relations, without printing the numbers. */
#include "check.h"
#include <pthread.h>

static pid_t thread_tid;

static void *thread_main(void *arg)
{
	thread_tid = gettid();
	EXPECT(getpid() == *(pid_t *)arg);
	return NULL;
}

int main(void)
{
	pid_t self = getpid();
	int p[2];

	EXPECT(self > 0);
	EXPECT(gettid() == self);
	EXPECT(syscall(SYS_getpid) == self);

	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		pid_t me = getpid();
		EXPECT(me != self);
		EXPECT(getppid() == self);
		write(p[1], &me, sizeof(me));
		_exit(0);
	}
	pid_t reported;
	read(p[0], &reported, sizeof(reported));
	EXPECT(reported == pid);
	wait_and_print(pid, "child");

	pthread_t t;
	pthread_create(&t, NULL, thread_main, &self);
	pthread_join(t, NULL);
	EXPECT(thread_tid != self);
	EXPECT(thread_tid > 0);

	/* An orphan is reparented away from its dead parent. It reports
	 * through a pipe so its output cannot race with ours. */
	int q[2];
	pipe(q);
	pid = fork();
	if (pid == 0) {
		pid_t parent = getpid();
		pid_t g = fork();
		if (g == 0) {
			while (getppid() == parent)
				usleep(1000);
			write(q[1], "y", 1);
			_exit(0);
		}
		_exit(0);
	}
	close(q[1]);
	wait_and_print(pid, "middle");
	char c = 'n';
	CHECK(read(q[0], &c, 1));
	SAY("orphan reparented: %c\n", c);
	return 0;
}
