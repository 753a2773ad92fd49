/* The ptrace platform: create a stub, map memory, run code until its
 * syscalls, read and write memory, fork the address space. */
#include "platform/platform.h"
#include "common/util.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                            \
		}                                                              \
	} while (0)

#define CODE_ADDR 0x400000UL

/* mov $39,%eax; syscall; mov $60,%eax; mov $42,%edi; syscall; ud2 */
static const unsigned char code[] = {0xb8, 0x27, 0, 0,	  0,	0x0f, 0x05,
				     0xb8, 0x3c, 0, 0,	  0,	0xbf, 0x2a,
				     0,	   0,	 0, 0x0f, 0x05, 0x0f, 0x0b};

static void test_syscall_stops(void)
{
	struct platform_as *as = NULL, *child = NULL;
	struct arch_regs regs, child_regs;
	siginfo_t info;

	CHECK(platform_as_create(&as) == 0);
	if (!as)
		return;
	CHECK(platform_mmap(as, CODE_ADDR, PAGE_SIZE, PROT_READ | PROT_EXEC,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			    0) == 0);
	CHECK(platform_write_force(as, CODE_ADDR, code, sizeof(code)) == 0);
	CHECK(platform_init_regs(as, &regs) == 0);
	regs.regs.rip = CODE_ADDR;
	CHECK(platform_run(as, &regs, &info) == STOP_SYSCALL);
	CHECK(regs.regs.orig_rax == SYS_getpid);

	CHECK(platform_as_fork(as, &child) == 0);
	CHECK(platform_as_attach(child) == 0);
	child_regs = regs;
	child_regs.regs.rax = 0;
	CHECK(platform_run(child, &child_regs, &info) == STOP_SYSCALL);
	CHECK(child_regs.regs.orig_rax == SYS_exit);
	CHECK(child_regs.regs.rdi == 42);

	regs.regs.rax = 1;
	CHECK(platform_run(as, &regs, &info) == STOP_SYSCALL);
	CHECK(regs.regs.orig_rax == SYS_exit);
	CHECK(platform_run(as, &regs, &info) == STOP_SIGNAL);
	CHECK(info.si_signo == SIGILL);
	platform_as_destroy(child);
	platform_as_destroy(as);
}

int main(void)
{
	test_syscall_stops();
	printf("test_platform: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
