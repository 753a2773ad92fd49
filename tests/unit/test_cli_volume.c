/* parse_volume() and parse_rootfs(): syntax, normalization and errors. */
#include "supervisor/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
			failures++;                                            \
		}                                                              \
	} while (0)

static char dir[64];
static char file[96];

static void make_fixtures(void)
{
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/moat-test-volume-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(file, sizeof(file), "%s/file", dir);
	f = fopen(file, "w");
	if (!f) {
		perror("fopen");
		exit(1);
	}
	fclose(f);
}

static void test_valid_specs(void)
{
	struct {
		const char *guest_spec; /* appended to "DIR:" */
		const char *guest;
		int readonly;
	} cases[] = {
	    {"/data", "/data", 0},    {"/data:ro", "/data", 1},
	    {"/data:rw", "/data", 0}, {"//a///b/", "/a/b", 0},
	    {"/a/b/:ro", "/a/b", 1},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char spec[256], err[256] = "";
		struct volume v = {0};
		int r;

		snprintf(spec, sizeof(spec), "%s:%s", dir, cases[i].guest_spec);
		r = parse_volume(spec, &v, err, sizeof(err));
		CHECK(r == 0, "spec '%s': r=%d err='%s'", spec, r, err);
		if (r != 0)
			continue;
		CHECK(strcmp(v.guest, cases[i].guest) == 0,
		      "spec '%s': guest '%s', expected '%s'", spec, v.guest,
		      cases[i].guest);
		CHECK(v.readonly == cases[i].readonly, "spec '%s': readonly %d",
		      spec, v.readonly);
		CHECK(strcmp(v.host, dir) == 0, "spec '%s': host '%s'", spec,
		      v.host);
		volume_free(&v);
	}
}

static void test_host_file_and_relative_path(void)
{
	char spec[256], err[256] = "", cwd[256];
	struct volume v = {0};
	int r;

	snprintf(spec, sizeof(spec), "%s:/etc/x:ro", file);
	r = parse_volume(spec, &v, err, sizeof(err));
	CHECK(r == 0, "regular file host: r=%d err='%s'", r, err);
	if (r == 0) {
		CHECK(strcmp(v.host, file) == 0, "host '%s'", v.host);
		volume_free(&v);
	}

	/* A relative HOST is resolved against the caller's cwd. */
	if (!getcwd(cwd, sizeof(cwd)) || chdir(dir) < 0) {
		CHECK(0, "cannot chdir to %s", dir);
		return;
	}
	r = parse_volume("file:/x", &v, err, sizeof(err));
	CHECK(r == 0, "relative host: r=%d err='%s'", r, err);
	if (r == 0) {
		CHECK(strcmp(v.host, file) == 0,
		      "relative host resolved to "
		      "'%s', expected '%s'",
		      v.host, file);
		volume_free(&v);
	}
	CHECK(chdir(cwd) == 0, "cannot chdir back to %s", cwd);
}

static void test_invalid_specs(void)
{
	char missing[128];
	struct {
		const char *spec;
		const char *message_part; /* expected in the error */
	} cases[] = {
	    {"", "expected HOST:GUEST"},
	    {"/tmp", "expected HOST:GUEST"},
	    {":/data", "expected HOST:GUEST"},
	    {"/tmp:", "must be absolute"},
	    {"/tmp:data", "must be absolute"},
	    {"/tmp:/data:rx", "unknown mode 'rx'"},
	    {"/tmp:/data:ro:rw", "unknown mode"},
	    {"/tmp:/a/../b", "'..'"},
	    {"/tmp:/a/./b", "'.'"},
	    {"/tmp:/", "use --rootfs"},
	    {"/tmp://", "use --rootfs"},
	    {missing, "No such file or directory"},
	    {"/dev/null:/null", "neither a directory nor a regular file"},
	};

	snprintf(missing, sizeof(missing), "%s/missing:/data", dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[512] = "";
		struct volume v = {0};
		int r = parse_volume(cases[i].spec, &v, err, sizeof(err));

		CHECK(r < 0, "spec '%s' accepted", cases[i].spec);
		CHECK(strstr(err, cases[i].message_part) != NULL,
		      "spec '%s': error '%s' lacks '%s'", cases[i].spec, err,
		      cases[i].message_part);
		CHECK(strstr(err, cases[i].spec) != NULL,
		      "spec '%s': error '%s' does not name the value",
		      cases[i].spec, err);
		CHECK(v.host == NULL && v.guest == NULL,
		      "spec '%s': output set on error", cases[i].spec);
	}
}

static void test_rootfs(void)
{
	char err[512] = "";
	char *out = NULL;
	int r;

	r = parse_rootfs(dir, &out, err, sizeof(err));
	CHECK(r == 0 && out && strcmp(out, dir) == 0, "rootfs dir: r=%d", r);
	free(out);

	r = parse_rootfs(file, &out, err, sizeof(err));
	CHECK(r == -ENOTDIR, "rootfs file: r=%d", r);
	CHECK(strstr(err, "is not a directory") != NULL, "error '%s'", err);

	r = parse_rootfs("/nonexistent-moat-rootfs", &out, err, sizeof(err));
	CHECK(r == -ENOENT, "missing rootfs: r=%d", r);
	CHECK(strstr(err, "/nonexistent-moat-rootfs") != NULL, "error '%s'",
	      err);
}

int main(void)
{
	make_fixtures();
	test_valid_specs();
	test_host_file_and_relative_path();
	test_invalid_specs();
	test_rootfs();
	unlink(file);
	rmdir(dir);
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	return 0;
}
