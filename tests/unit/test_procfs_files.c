/* Unit tests of procfs parts that need no running task: the system-wide
 * files, name parsing, link text and building the tree. */
#include "sentry/fs/procfs.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit_check.h"

static int count_substrings(const char *text, const char *needle)
{
	int count = 0;

	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		count++;
	return count;
}

/* Run a show callback and return its output as a C string. */
static char *show(const struct synth_file_ops *ops)
{
	char *buf = NULL;
	size_t len = 0;
	char *text;

	CHECK(ops->show(NULL, NULL, &buf, &len) == 0);
	text = malloc(len + 1);
	memcpy(text, buf ? buf : "", len);
	text[len] = '\0';
	free(buf);
	return text;
}

static void test_cpuinfo_one_block_per_cpu(void)
{
	cpu_set_t set;
	char *text = show(&procfs_cpuinfo_ops);

	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0);
	CHECK(count_substrings(text, "processor\t: ") == CPU_COUNT(&set));
	CHECK(count_substrings(text, "vendor_id\t: ") == CPU_COUNT(&set));
	/* Every x86-64 CPU has these. */
	CHECK(strstr(text, " fpu ") != NULL);
	CHECK(strstr(text, " sse2") != NULL);
	CHECK(strstr(text, " lm") != NULL);
	CHECK(strstr(text, "model name\t: ") != NULL);
	free(text);
}

static void test_parse_number(void)
{
	CHECK(procfs_parse_number("0") == 0);
	CHECK(procfs_parse_number("42") == 42);
	CHECK(procfs_parse_number("2147483647") == 2147483647);
	CHECK(procfs_parse_number("2147483648") == -1);
	CHECK(procfs_parse_number("042") == -1);
	CHECK(procfs_parse_number("-1") == -1);
	CHECK(procfs_parse_number("+1") == -1);
	CHECK(procfs_parse_number("1a") == -1);
	CHECK(procfs_parse_number("") == -1);
	CHECK(procfs_parse_number("self") == -1);
}

static void test_copy_link_truncates(void)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	CHECK(procfs_copy_link(buf, sizeof(buf), "123") == 3);
	CHECK(memcmp(buf, "123x", 4) == 0); /* no NUL, as readlink(2) */
	CHECK(procfs_copy_link(buf, 4, "123456") == 4);
	CHECK(memcmp(buf, "1234", 4) == 0);
}

static void test_text_grows(void)
{
	struct procfs_text text = {0};
	char *buf;
	size_t len;

	for (int i = 0; i < 1000; i++)
		procfs_printf(&text, "%04d\n", i);
	CHECK(procfs_text_finish(&text, &buf, &len) == 0);
	CHECK(len == 5000);
	CHECK(memcmp(buf + 4995, "0999\n", 5) == 0);
	CHECK(buf[len] == '\0');
	free(buf);
}

static void test_fill_super_builds_root(void)
{
	struct super_block *sb = sb_alloc("proc", "proc", NULL);
	struct inode *root = NULL;

	CHECK(procfs_fill_super(sb, &root) == 0);
	CHECK(root != NULL);
	if (root)
		CHECK(S_ISDIR(root->mode));
}

int main(void)
{
	test_cpuinfo_one_block_per_cpu();
	test_parse_number();
	test_copy_link_truncates();
	test_text_grows();
	test_fill_super_builds_root();
	if (failures) {
		fprintf(stderr, "test_procfs_files: %d failures\n", failures);
		return 1;
	}
	printf("test_procfs_files: ok\n");
	return 0;
}
