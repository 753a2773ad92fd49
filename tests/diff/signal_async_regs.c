/* A signal that interrupts application code, not a system call, returns
 * to it with every register unchanged. rax is -512 (ERESTARTSYS), which
 * must not be mistaken for an interrupted system call to restart. rcx and
 * r11, which a syscall instruction overwrites, also keep their values. */
// build: -pthread
#include "check.h"
#include <pthread.h>

static volatile int flag;
static pid_t main_tid;

static void on_signal(int sig)
{
	(void)sig;
	flag = 1;
}

static void *signaller(void *arg)
{
	(void)arg;
	while (!flag) {
		syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
		usleep(1000);
	}
	return NULL;
}

int main(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	unsigned long rax, rcx, r11_out;
	register unsigned long r11 asm("r11");
	pthread_t thread;

	sigaction(SIGUSR1, &sa, NULL);
	main_tid = gettid();
	pthread_create(&thread, NULL, signaller, NULL);
	/* Spin with the registers set until the handler sets flag. */
	asm volatile("mov $-512, %%rax\n\t"
		     "mov $0x1111, %%rcx\n\t"
		     "mov $0x2222, %%r11\n\t"
		     "1: cmpl $0, %3\n\t"
		     "je 1b\n\t"
		     : "=&a"(rax), "=&c"(rcx), "=&r"(r11)
		     : "m"(flag)
		     : "memory", "cc");
	r11_out = r11; /* copied before a call overwrites r11 */
	pthread_join(thread, NULL);
	printf("rax = %ld, rcx = %#lx, r11 = %#lx\n", (long)rax, rcx, r11_out);
	return 0;
}
