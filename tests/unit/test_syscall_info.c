/* Unit tests of the syscall table: it must name every syscall the build
 * host's <asm/unistd_64.h> defines, with the same number, and nothing
 * else may be ambiguous (unique names, at most six arguments). */
#include "sentry/syscall_info.h"

#include <stdio.h>
#include <string.h>

#include "unit_check.h"

#define UNISTD_64 "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"

/* Every "#define __NR_name nr" line of the host header. */
static void test_table_matches_host_header(void)
{
	FILE *f = fopen(UNISTD_64, "r");
	char line[256], name[128];
	int nr, seen = 0;

	if (!f) {
		fprintf(stderr, "cannot open %s; skipping header check\n",
			UNISTD_64);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "#define __NR_%127s %d", name, &nr) != 2)
			continue;
		seen++;
		if (!syscall_name(nr) || strcmp(syscall_name(nr), name) != 0) {
			fprintf(stderr,
				"syscall %d: header says %s, table says %s\n",
				nr, name,
				syscall_name(nr) ? syscall_name(nr) : "(none)");
			failures++;
		}
		CHECK(syscall_lookup_name(name) == nr);
	}
	fclose(f);
	CHECK(seen > 300);
}

static void test_names_unique(void)
{
	for (int a = 0; a < SYSCALL_NR_MAX; a++) {
		const char *name = syscall_name(a);

		if (!name)
			continue;
		for (int b = a + 1; b < SYSCALL_NR_MAX; b++) {
			if (syscall_name(b) &&
			    strcmp(syscall_name(b), name) == 0) {
				fprintf(stderr, "%s is both %d and %d\n", name,
					a, b);
				failures++;
			}
		}
	}
}

static void test_entries_well_formed(void)
{
	int count = 0;

	for (int nr = 0; nr < SYSCALL_NR_MAX; nr++) {
		const struct syscall_info *info = syscall_info(nr);

		if (!info)
			continue;
		count++;
		CHECK(info->nargs <= 6);
		for (int i = 0; i < 6; i++)
			CHECK(info->args[i] < ARG_KIND_COUNT);
		/* A length in the next register must exist. */
		for (int i = 0; i < info->nargs; i++) {
			if (info->args[i] == ARG_BUF_IN)
				CHECK(i + 1 < info->nargs);
		}
	}
	/* 0..336 and 424..462 (Linux 6.19), with no gaps in either range. */
	CHECK(count == 337 + 39);
}

static void test_lookup_edges(void)
{
	CHECK(syscall_info(-1) == NULL);
	CHECK(syscall_info(337) == NULL);
	CHECK(syscall_info(423) == NULL);
	CHECK(syscall_info(SYSCALL_NR_MAX) == NULL);
	CHECK(syscall_info(1 << 30) == NULL);
	CHECK(strcmp(syscall_name(0), "read") == 0);
	CHECK(strcmp(syscall_name(__NR_openat), "openat") == 0);
	CHECK(strcmp(syscall_name(462), "mseal") == 0);
	CHECK(syscall_lookup_name("no_such_call") == -1);
	CHECK(syscall_info(__NR_execve)->flags & SYSCALL_TRACE_AT_ENTER);
	CHECK(syscall_info(__NR_exit_group)->flags & SYSCALL_TRACE_AT_ENTER);
	CHECK(syscall_info(__NR_mmap)->ret == RET_HEX);
	CHECK(syscall_info(__NR_openat)->nargs == 4);
	CHECK(syscall_info(__NR_openat)->args[1] == ARG_PATH);
}

int main(void)
{
	test_table_matches_host_header();
	test_names_unique();
	test_entries_well_formed();
	test_lookup_edges();
	if (failures) {
		fprintf(stderr, "test_syscall_info: %d failures\n", failures);
		return 1;
	}
	printf("test_syscall_info: ok\n");
	return 0;
}
