/* The failure counter and CHECK macro shared by the unit tests. CHECK
 * reports a false condition and counts it, and main() exits non-zero
 * when failures is not 0. */
#ifndef MOAT_TESTS_UNIT_CHECK_H
#define MOAT_TESTS_UNIT_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			failures++;                                            \
		}                                                              \
	} while (0)

#endif
