/* Placeholder until the gofer lands. */
#include <stdio.h>
int gofer_main(int argc, char **argv)
{
	fprintf(stderr, "moat-gofer: not built yet\n");
	return 125;
}
