/* link(2), symlink(2) and readlink(2). */
#include "check.h"

int main(void)
{
	char buf[64];
	struct stat st;
	ssize_t n;

	enter_tmpdir();
	write_file("f", "data", 0644);
	mkdir("d", 0755);

	CHECK(link("f", "f2"));
	CHECK(stat("f", &st));
	SAY("nlink = %ld\n", (long)st.st_nlink);
	CHECK(link("f", "f2"));
	CHECK(link("missing", "x"));
	CHECK(link("d", "d2"));
	CHECK(link("f", "missing/x"));
	CHECK(unlink("f2"));
	CHECK(stat("f", &st));
	SAY("nlink = %ld\n", (long)st.st_nlink);

	CHECK(symlink("f", "sl"));
	CHECK(symlink("nowhere", "dangling"));
	CHECK(symlink("f", "sl"));
	CHECK(symlink("", "empty"));
	CHECK(symlink("d/../f", "relative"));
	n = CHECK(readlink("sl", buf, sizeof(buf)));
	SAY("sl -> %.*s\n", (int)n, buf);
	n = CHECK(readlink("relative", buf, sizeof(buf)));
	SAY("relative -> %.*s\n", (int)n, buf);
	n = CHECK(readlink("relative", buf, 3));
	SAY("truncated -> %.*s\n", (int)n, buf);
	CHECK(readlink("f", buf, sizeof(buf)));
	CHECK(readlink("d", buf, sizeof(buf)));
	CHECK(readlink("missing", buf, sizeof(buf)));
	CHECK(readlink("sl", buf, 0));
	CHECK(stat("dangling", &st));
	CHECK(lstat("dangling", &st));
	SAY("dangling size = %ld\n", (long)st.st_size);

	int dirfd = CHECK(open("d", O_RDONLY | O_DIRECTORY));
	CHECK(symlinkat("../f", dirfd, "up"));
	n = CHECK(readlinkat(dirfd, "up", buf, sizeof(buf)));
	SAY("d/up -> %.*s\n", (int)n, buf);
	CHECK(stat("d/up", &st));
	SAY("d/up size = %ld\n", (long)st.st_size);
	CHECK(linkat(AT_FDCWD, "sl", AT_FDCWD, "hard_to_link", 0));
	CHECK(lstat("hard_to_link", &st));
	SAY("hard link of symlink is a symlink: %s\n",
	    S_ISLNK(st.st_mode) ? "yes" : "no");
	CHECK(linkat(AT_FDCWD, "sl", AT_FDCWD, "followed", AT_SYMLINK_FOLLOW));
	CHECK(lstat("followed", &st));
	SAY("followed is regular: %s\n", S_ISREG(st.st_mode) ? "yes" : "no");
	/* A symlink in the middle of a path is followed. */
	CHECK(symlink("d", "dl"));
	CHECK(stat("dl/up", &st));
	CHECK(open("dl/", O_RDONLY | O_DIRECTORY) >= 0);
	return 0;
}
