/* arch_prctl(2), prctl(2) names and flags, and sched_yield(2). */
#include "check.h"
#include <asm/prctl.h>
#include <sched.h>
#include <sys/prctl.h>

static __thread int tls_var;

int main(void)
{
	unsigned long fs = 0, gs = 0;
	char name[32];

	CHECK(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	/* On x86-64 the thread pointer is the TCB, which points to itself. */
	EXPECT(fs != 0 && *(unsigned long *)fs == fs);
	EXPECT((unsigned long)&tls_var < fs);
	CHECK(syscall(SYS_arch_prctl, ARCH_GET_GS, &gs));
	CHECK(syscall(SYS_arch_prctl, 0x9999, &gs));
	CHECK(syscall(SYS_arch_prctl, ARCH_GET_FS, (void *)1));
	/* Setting FS to the same value is harmless. */
	CHECK(syscall(SYS_arch_prctl, ARCH_SET_FS, fs));
	tls_var = 5;
	SAY("tls after ARCH_SET_FS = %d\n", tls_var);

	CHECK(prctl(PR_SET_NAME, "moat-test-name"));
	CHECK(prctl(PR_GET_NAME, name));
	SAY("name = %s\n", name);
	CHECK(prctl(PR_SET_NAME, "a-very-long-thread-name-over-16"));
	CHECK(prctl(PR_GET_NAME, name));
	SAY("truncated name = %s\n", name);
	FILE *comm = fopen("/proc/self/comm", "r");
	if (comm && fgets(name, sizeof(name), comm))
		SAY("comm = %s", name);
	if (comm)
		fclose(comm);
	CHECK(prctl(PR_GET_DUMPABLE));
	CHECK(prctl(PR_SET_PDEATHSIG, SIGTERM));
	int sig = 0;
	CHECK(prctl(PR_GET_PDEATHSIG, &sig));
	SAY("pdeathsig = %s\n", sigabbrev_np(sig));
	CHECK(prctl(PR_SET_PDEATHSIG, 999));
	CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) >= 0);
	CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1));
	CHECK(prctl(PR_GET_CHILD_SUBREAPER, &sig));
	SAY("subreaper = %d\n", sig);
	CHECK(prctl(0x7fffffff));
	CHECK(sched_yield());
	CHECK(sched_getscheduler(0));
	struct sched_param param;
	CHECK(sched_getparam(0, &param));
	SAY("priority = %d\n", param.sched_priority);
	cpu_set_t set;
	CHECK(sched_getaffinity(0, sizeof(set), &set) > 0);
	EXPECT(CPU_COUNT(&set) >= 1);
	return 0;
}
