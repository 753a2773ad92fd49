/* rename(2) and renameat2(2) cases. */
#include "check.h"

static void show(const char *path)
{
	char buf[32] = {0};
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		printf("%s: %s\n", path, errno_name(errno));
		return;
	}
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	printf("%s: %s\n", path, buf);
}

int main(void)
{
	enter_tmpdir();
	write_file("a", "A", 0644);
	write_file("b", "B", 0644);
	mkdir("empty", 0755);
	mkdir("full", 0755);
	write_file("full/x", "X", 0644);
	mkdir("src", 0755);
	write_file("src/y", "Y", 0644);

	CHECK(rename("a", "a2"));
	show("a");
	show("a2");
	CHECK(rename("a2", "b"));
	show("b");
	CHECK(rename("b", "b"));
	CHECK(rename("missing", "c"));
	CHECK(rename("b", "missing/c"));
	CHECK(rename("src", "full"));
	CHECK(rename("src", "empty"));
	show("empty/y");
	CHECK(rename("b", "full"));
	CHECK(rename("full", "b"));
	CHECK(rename("empty", "empty/y/z"));
	CHECK(rename("full", "full/sub"));
	CHECK(rename(".", "x"));
	CHECK(rename("b", ""));

	/* renameat2 flags. */
	write_file("c", "C", 0644);
	CHECK(renameat2(AT_FDCWD, "b", AT_FDCWD, "c", RENAME_NOREPLACE));
	CHECK(renameat2(AT_FDCWD, "b", AT_FDCWD, "d", RENAME_NOREPLACE));
	show("d");
	CHECK(renameat2(AT_FDCWD, "c", AT_FDCWD, "d", RENAME_EXCHANGE));
	show("c");
	show("d");
	CHECK(renameat2(AT_FDCWD, "c", AT_FDCWD, "e", RENAME_EXCHANGE));
	CHECK(renameat2(AT_FDCWD, "c", AT_FDCWD, "d",
			RENAME_EXCHANGE | RENAME_NOREPLACE));

	/* A symlink is renamed, not its target. */
	symlink("d", "link");
	CHECK(rename("link", "link2"));
	char target[16] = {0};
	CHECK(readlink("link2", target, sizeof(target) - 1));
	SAY("link2 -> %s\n", target);
	return 0;
}
