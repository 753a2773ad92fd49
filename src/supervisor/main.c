/* Placeholder until the supervisor lands. */
#include <stdio.h>
int supervisor_main(int argc, char **argv)
{
	fprintf(stderr, "moat: not built yet\n");
	return 125;
}
