/* mkdir(2) and rmdir(2). */
#include "check.h"

int main(void)
{
	struct stat st;

	enter_tmpdir();
	umask(027);
	CHECK(mkdir("a", 0777));
	CHECK(stat("a", &st));
	SAY("a mode = %o nlink = %ld\n", st.st_mode & 07777, (long)st.st_nlink);
	CHECK(mkdir("a", 0755));
	CHECK(mkdir("a/b", 0755));
	CHECK(stat("a", &st));
	SAY("a nlink after subdir = %ld\n", (long)st.st_nlink);
	CHECK(mkdir("missing/x", 0755));
	write_file("file", "", 0644);
	CHECK(mkdir("file", 0755));
	CHECK(mkdir("file/x", 0755));
	CHECK(mkdir("a/b/", 0755));
	CHECK(mkdir("c/", 0755));
	CHECK(mkdir("", 0755));

	CHECK(rmdir("a"));
	CHECK(rmdir("file"));
	CHECK(rmdir("missing"));
	CHECK(rmdir("a/b/."));
	CHECK(rmdir("a/b/.."));
	CHECK(rmdir("a/b"));
	CHECK(rmdir("a"));
	CHECK(rmdir("c"));
	CHECK(access("a", F_OK));

	/* mkdirat and a removed current directory. */
	CHECK(mkdirat(AT_FDCWD, "e", 01777));
	CHECK(stat("e", &st));
	SAY("e mode = %o\n", st.st_mode & 07777);
	CHECK(chdir("e"));
	CHECK(rmdir("../e"));
	CHECK(mkdir("x", 0755));
	CHECK(open(".", O_RDONLY | O_DIRECTORY) >= 0);
	CHECK(chdir(".."));
	symlink("target", "link");
	CHECK(mkdir("link", 0755));
	CHECK(rmdir("link"));
	return 0;
}
