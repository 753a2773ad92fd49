/* SIGSEGV and SIGBUS handlers with siglongjmp for bad memory access. */
#include "check.h"
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/resource.h>

static sigjmp_buf env;
static volatile void *fault_addr;
static volatile int fault_code, fault_signo;

static void on_fault(int sig, siginfo_t *info, void *context)
{
	fault_signo = sig;
	fault_code = info->si_code;
	fault_addr = info->si_addr;
	siglongjmp(env, 1);
}

static const char *code_name(int sig, int code)
{
	if (sig == SIGSEGV && code == SEGV_MAPERR)
		return "SEGV_MAPERR";
	if (sig == SIGSEGV && code == SEGV_ACCERR)
		return "SEGV_ACCERR";
	if (sig == SIGBUS && code == BUS_ADRERR)
		return "BUS_ADRERR";
	return "other";
}

/* Touch ADDR (read or write) and report the fault, if any. */
static void touch(const char *what, volatile char *addr, int write)
{
	fault_signo = 0;
	if (sigsetjmp(env, 1) == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		printf("%s: no fault\n", what);
		return;
	}
	printf("%s: %s %s, address matches: %s\n", what, sigabbrev_np(fault_signo),
	       code_name(fault_signo, fault_code),
	       fault_addr == (void *)addr ? "yes" : "no");
}

int main(void)
{
	struct sigaction sa = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO};

	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	enter_tmpdir();

	char *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	touch("read PROT_NONE", none + 8, 0);
	touch("write PROT_NONE", none + 16, 1);
	touch("read PROT_READ", ro, 0);
	touch("write PROT_READ", ro + 100, 1);
	touch("write PROT_READ|PROT_WRITE", rw, 1);
	touch("read NULL", NULL, 0);
	touch("write low address", (char *)16, 1);
	munmap(rw, 4096);
	touch("read unmapped", rw, 0);
	mprotect(none, 4096, PROT_READ | PROT_WRITE);
	touch("write after mprotect", none, 1);
	/* The signal mask is restored by siglongjmp, so the handler runs
	 * again for the next fault. */
	touch("second PROT_READ write", ro, 1);

	/* Accessing a file mapping beyond EOF raises SIGBUS. */
	write_file("small", "x", 0644);
	int fd = open("small", O_RDONLY);
	char *file = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
	touch("read within the page of EOF", file + 100, 0);
	touch("read beyond EOF page", file + 4096, 0);

	/* Without a handler SIGSEGV kills the process. */
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		signal(SIGSEGV, SIG_DFL);
		*(volatile char *)none = 0;
		mprotect(none, 4096, PROT_NONE);
		*(volatile char *)none = 0;
		_exit(0);
	}
	wait_and_print(pid, "no handler");
	return 0;
}
