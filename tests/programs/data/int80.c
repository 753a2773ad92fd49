/* Makes getpid as a 32-bit system call (int 0x80) and prints the result. */
#include <stdio.h>
int main(void)
{
	long r;
	__asm__ volatile("mov $20, %%eax; int $0x80"
			 : "=a"(r)::"rcx", "r11", "memory");
	printf("int80 getpid -> %ld\n", r);
	return 0;
}
