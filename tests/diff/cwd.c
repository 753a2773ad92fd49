/* chdir(2), fchdir(2) and getcwd(3). */
#include "check.h"

static void show_cwd(void)
{
	char buf[PATH_MAX];

	if (!getcwd(buf, sizeof(buf))) {
		printf("getcwd: %s\n", errno_name(errno));
		return;
	}
	if (strncmp(buf, test_tmpdir, strlen(test_tmpdir)) == 0)
		printf("cwd = TMP%s\n", buf + strlen(test_tmpdir));
	else
		printf("cwd = %s\n", buf);
}

int main(void)
{
	char small[4];

	enter_tmpdir();
	show_cwd();
	mkdir("a", 0755);
	mkdir("a/b", 0755);
	write_file("f", "", 0644);
	symlink("a/b", "lb");

	CHECK(chdir("a/b"));
	show_cwd();
	CHECK(chdir(".."));
	show_cwd();
	CHECK(chdir("../lb"));
	show_cwd();
	CHECK(chdir(test_tmpdir));
	CHECK(chdir("f"));
	CHECK(chdir("missing"));
	CHECK(chdir(""));
	show_cwd();

	int fd = CHECK(open("a", O_RDONLY | O_DIRECTORY));
	CHECK(fchdir(fd));
	show_cwd();
	int file = CHECK(open("../f", O_RDONLY));
	CHECK(fchdir(file));
	CHECK(fchdir(999));
	CHECK_PTR(getcwd(small, sizeof(small)), NULL);
	CHECK_PTR(getcwd(small, 0), NULL);
	CHECK(syscall(SYS_getcwd, small, sizeof(small)));
	CHECK(chdir("/"));
	show_cwd();
	CHECK(syscall(SYS_getcwd, small, sizeof(small)));
	CHECK(chdir("/proc/self/.."));
	show_cwd();
	CHECK(chdir(test_tmpdir));
	/* getcwd of a removed directory. */
	CHECK(mkdir("gone", 0755));
	CHECK(chdir("gone"));
	CHECK(rmdir("../gone"));
	char buf[PATH_MAX];
	CHECK_PTR(getcwd(buf, sizeof(buf)), NULL);
	CHECK(chdir(test_tmpdir));
	return 0;
}
