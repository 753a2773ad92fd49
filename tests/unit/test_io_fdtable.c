/* Unit tests of the FD table: lowest-free allocation, the RLIMIT_NOFILE
 * bound, dup2-style installs, close-on-exec and copies for fork. */
#include <assert.h>
#include <errno.h>
#include <stdio.h>

#include "sentry/fdtable.h"
#include "sentry/file.h"
#include "sentry/io.h"

static const struct file_operations no_fops;

static int releases;

static struct file *new_file(void)
{
	return file_alloc(&no_fops, 0, -1, NULL);
}

static void test_lowest_free(void)
{
	struct fdtable *fdt = fdtable_create();
	struct file *f = new_file();

	assert(fd_install(fdt, f, 0, false, 1024) == 0);
	assert(fd_install(fdt, f, 0, false, 1024) == 1);
	assert(fd_install(fdt, f, 0, false, 1024) == 2);
	assert(fd_close(fdt, 1) == 0);
	assert(fd_install(fdt, f, 0, false, 1024) == 1);
	assert(fd_install(fdt, f, 10, false, 1024) == 10);
	assert(fd_install(fdt, f, 0, false, 1024) == 3);
	file_put(f);
	fdtable_put(fdt);
}

static void test_limit(void)
{
	struct fdtable *fdt = fdtable_create();
	struct file *f = new_file();

	assert(fd_install(fdt, f, 0, false, 2) == 0);
	assert(fd_install(fdt, f, 0, false, 2) == 1);
	assert(fd_install(fdt, f, 0, false, 2) == -EMFILE);
	assert(fd_install(fdt, f, 5, false, 2) == -EMFILE);
	assert(fd_install_at(fdt, 2, f, false, 2) == -EBADF);
	assert(fd_install_at(fdt, -1, f, false, 2) == -EBADF);
	file_put(f);
	fdtable_put(fdt);
}

static void test_grows_past_initial_size(void)
{
	struct fdtable *fdt = fdtable_create();
	struct file *f = new_file();

	assert(fd_install_at(fdt, 5000, f, true, 1 << 20) == 5000);
	assert(fdtable_size(fdt) >= 5001);
	assert(fd_get_cloexec(fdt, 5000) == 1);
	struct file *got = fd_get(fdt, 5000);
	assert(got == f);
	file_put(got);
	assert(fd_get(fdt, 4999) == NULL);
	file_put(f);
	fdtable_put(fdt);
}

static void test_close_and_cloexec(void)
{
	struct fdtable *fdt = fdtable_create();
	struct file *f = new_file();

	assert(fd_close(fdt, 0) == -EBADF);
	assert(fd_close(fdt, -1) == -EBADF);
	assert(fd_close(fdt, 100000) == -EBADF);
	assert(fd_set_cloexec(fdt, 3, true) == -EBADF);
	assert(fd_get_cloexec(fdt, 3) == -EBADF);

	for (int i = 0; i < 6; i++)
		assert(fd_install(fdt, f, 0, i % 2, 1024) == i);
	fd_close_on_exec(fdt);
	for (int i = 0; i < 6; i++)
		assert((fd_get_cloexec(fdt, i) == 0) == (i % 2 == 0));

	fd_set_cloexec_range(fdt, 0, 2);
	assert(fd_get_cloexec(fdt, 0) == 1);
	assert(fd_get_cloexec(fdt, 2) == 1);
	assert(fd_get_cloexec(fdt, 4) == 0);
	fd_close_range(fdt, 2, ~0U);
	assert(fd_get_cloexec(fdt, 0) == 1);
	assert(fd_get_cloexec(fdt, 2) == -EBADF);
	assert(fd_get_cloexec(fdt, 4) == -EBADF);
	file_put(f);
	fdtable_put(fdt);
}

static void count_release(struct file *f)
{
	releases++;
}

static const struct file_operations counting_fops = {
    .release = count_release,
};

static void test_copy_shares_files(void)
{
	struct fdtable *fdt = fdtable_create();
	struct file *f = file_alloc(&counting_fops, 0, -1, NULL);

	releases = 0;
	assert(fd_install(fdt, f, 0, true, 1024) == 0);
	file_put(f);
	struct fdtable *copy = fdtable_copy(fdt);
	assert(fd_get_cloexec(copy, 0) == 1);
	fdtable_put(fdt);
	assert(releases == 0);
	assert(fd_install_at(copy, 0, f, false, 1024) == 0);
	assert(releases == 0);
	fdtable_put(copy);
	assert(releases == 1);
}

int main(void)
{
	test_lowest_free();
	test_limit();
	test_grows_past_initial_size();
	test_close_and_cloexec();
	test_copy_shares_files();
	printf("test_io_fdtable: ok\n");
	return 0;
}
