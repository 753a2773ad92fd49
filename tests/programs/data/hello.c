/* Test program for the real-program tests: prints a greeting from the heap
 * and its arguments, then exits 3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char *copy = strdup("hello, world");

	printf("%s\n", copy);
	for (int i = 1; i < argc; i++)
		printf("arg %d: %s\n", i, argv[i]);
	free(copy);
	return 3;
}
