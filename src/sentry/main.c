/* Placeholder until the sentry core lands. */
#include <stdio.h>
int sentry_main(int argc, char **argv)
{
	fprintf(stderr, "moat-sentry: not built yet\n");
	return 125;
}
