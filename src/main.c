/* Entry point of the single moat binary. The supervisor re-executes this
 * binary (via /proc/self/exe) for the sentry and gofer roles, so each role
 * starts with a fresh address space and only the FDs it was given. */
#include <string.h>

int supervisor_main(int argc, char **argv);
int sentry_main(int argc, char **argv);
int gofer_main(int argc, char **argv);

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "__sentry") == 0)
		return sentry_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "__gofer") == 0)
		return gofer_main(argc - 1, argv + 1);
	return supervisor_main(argc, argv);
}
