/* pthreads: create/join, mutex and condition variable (futex), TLS,
 * per-thread signal masks and tgkill. */
// build: -static
#include "check.h"
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static __thread int tls = 1;
static volatile sig_atomic_t usr1_tid_ok;
static pid_t target_tid;

static void *add(void *arg)
{
	for (int i = 0; i < 100000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	tls += (int)(long)arg;
	return (void *)(long)tls;
}

static void *wait_ready(void *arg)
{
	pthread_mutex_lock(&lock);
	while (!ready)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return (void *)42;
}

static void on_usr1(int sig)
{
	usr1_tid_ok = gettid() == target_tid;
}

static void *sleeper(void *arg)
{
	target_tid = gettid();
	sigset_t set;
	sigemptyset(&set);
	pthread_sigmask(SIG_SETMASK, &set, NULL);
	while (!usr1_tid_ok)
		usleep(1000);
	return NULL;
}

int main(void)
{
	pthread_t t[4];
	void *ret;

	for (long i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, add, (void *)i));
	for (int i = 0; i < 4; i++) {
		CHECK(pthread_join(t[i], &ret));
		SAY("thread %d tls = %ld\n", i, (long)ret);
	}
	SAY("counter = %ld main tls = %d\n", counter, tls);

	pthread_t w;
	pthread_create(&w, NULL, wait_ready, NULL);
	usleep(10000);
	pthread_mutex_lock(&lock);
	ready = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	CHECK(pthread_join(w, &ret));
	SAY("waiter returned %ld\n", (long)ret);
	CHECK(pthread_join(w, &ret));

	/* A signal sent with tgkill runs on the target thread, even though
	 * the main thread blocks it. */
	signal(SIGUSR1, on_usr1);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_t s;
	pthread_create(&s, NULL, sleeper, NULL);
	while (!target_tid)
		usleep(1000);
	CHECK(syscall(SYS_tgkill, getpid(), target_tid, SIGUSR1));
	pthread_join(s, NULL);
	SAY("handler ran on target thread: %s\n", usr1_tid_ok ? "yes" : "no");
	/* A process-directed signal goes to a thread that does not block it. */
	usr1_tid_ok = 0;
	target_tid = 0;
	pthread_create(&s, NULL, sleeper, NULL);
	while (!target_tid)
		usleep(1000);
	CHECK(kill(getpid(), SIGUSR1));
	pthread_join(s, NULL);
	SAY("process signal ran on unblocked thread: %s\n", usr1_tid_ok ? "yes" : "no");
	CHECK(syscall(SYS_tgkill, getpid(), 999999999, SIGUSR1));

	/* fork from a multi-threaded process keeps only the caller. */
	pid_t pid = fork();
	if (pid == 0) {
		DIR *d = opendir("/proc/self/task");
		int n = 0;
		struct dirent *de;
		while (d && (de = readdir(d)))
			n += de->d_name[0] != '.';
		printf("threads in child = %d\n", n);
		_exit(0);
	}
	wait_and_print(pid, "child");
	return 0;
}
