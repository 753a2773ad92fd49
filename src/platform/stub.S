/* Code of the stub process that holds an application's address space.
 *
 * These bytes are copied to STUB_BASE in every stub, so they must be
 * position independent and use no stack or data: the rest of the address
 * space is unmapped by the time they run. Offsets of the entry points
 * are exported so ptrace.c can point rip at them.
 */
#define STUB_BASE 0x7ffffffe0000
#define STUB_SIZE 0x2000
#define TASK_SIZE_MAX 0x7ffffffff000

	.section .rodata
	.balign 16
	.globl stub_code_start, stub_code_end
	.globl stub_off_syscall, stub_off_fork
stub_code_start:
	/* Entry of a new stub: drop every mapping inherited from the
	 * sentry, then stop and wait for the tracer. */
	xor %edi, %edi
	movabs $STUB_BASE, %rsi
	mov $11, %eax			/* munmap(0, STUB_BASE) */
	syscall
	movabs $(STUB_BASE + STUB_SIZE), %rdi
	movabs $(TASK_SIZE_MAX - STUB_BASE - STUB_SIZE), %rsi
	mov $11, %eax			/* munmap(above the stub) */
	syscall
1:	mov $39, %eax			/* getpid() */
	syscall
	mov %rax, %rdi
	mov $19, %esi			/* kill(pid, SIGSTOP) */
	mov $62, %eax
	syscall
	jmp 1b

	/* Injected syscalls: the tracer sets the registers, continues and
	 * gets control back at the int3. */
.Lsyscall:
	syscall
	int3
	int3

	/* fork: the parent traps as above; the child, not traced yet,
	 * sleeps in ppoll() until its new tracer attaches. */
.Lfork:
	syscall
	test %rax, %rax
	jz 2f
	int3
2:	xor %edi, %edi
	xor %esi, %esi
	xor %edx, %edx
	xor %r10d, %r10d
	mov $8, %r8d
	mov $271, %eax			/* ppoll(NULL, 0, NULL, NULL, 8) */
	syscall
	jmp 2b
stub_code_end:

	.balign 8
stub_off_syscall:
	.quad .Lsyscall - stub_code_start
stub_off_fork:
	.quad .Lfork - stub_code_start

	.section .note.GNU-stack, "", @progbits
