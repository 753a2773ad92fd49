/* stat family: mode, size, nlink and type only. */
// build: -no-pie
#include "check.h"

static void show(const char *label, const struct stat *st)
{
	const char *type = S_ISREG(st->st_mode)	   ? "regular"
			   : S_ISDIR(st->st_mode)  ? "directory"
			   : S_ISLNK(st->st_mode)  ? "symlink"
			   : S_ISCHR(st->st_mode)  ? "char"
			   : S_ISFIFO(st->st_mode) ? "fifo"
			   : S_ISSOCK(st->st_mode) ? "socket"
						   : "other";

	if (S_ISDIR(st->st_mode))
		printf("%s: %s mode=%o nlink=%ld\n", label, type,
		       st->st_mode & 07777, (long)st->st_nlink);
	else
		printf("%s: %s mode=%o size=%ld nlink=%ld\n", label, type,
		       st->st_mode & 07777, (long)st->st_size,
		       (long)st->st_nlink);
}

int main(void)
{
	struct stat st, st2;
	int fd, dirfd;

	enter_tmpdir();
	umask(022);
	write_file("f", "12345", 0640);
	mkdir("d", 0751);
	mkdir("d/sub", 0755);
	symlink("f", "l");
	mkfifo("fifo", 0600);
	link("f", "hard");

	CHECK(stat("f", &st));
	show("stat f", &st);
	CHECK(stat("l", &st));
	show("stat l", &st);
	CHECK(lstat("l", &st));
	show("lstat l", &st);
	CHECK(stat("d", &st));
	show("stat d", &st);
	CHECK(lstat("fifo", &st));
	show("lstat fifo", &st);
	CHECK(stat("/dev/null", &st));
	show("stat /dev/null", &st);

	fd = CHECK(open("f", O_RDONLY));
	CHECK(fstat(fd, &st2));
	show("fstat f", &st2);
	CHECK(stat("hard", &st));
	EXPECT(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);

	dirfd = CHECK(open("d", O_RDONLY | O_DIRECTORY));
	CHECK(fstatat(dirfd, "sub", &st, 0));
	show("fstatat d/sub", &st);
	CHECK(fstatat(AT_FDCWD, "l", &st, AT_SYMLINK_NOFOLLOW));
	show("fstatat l nofollow", &st);
	CHECK(fstatat(fd, "", &st, AT_EMPTY_PATH));
	show("fstatat empty path", &st);
	CHECK(fstatat(fd, "", &st, 0));
	CHECK(fstatat(fd, "x", &st, 0));
	CHECK(fstatat(dirfd, "x", &st, 0x40000));

	CHECK(stat("missing", &st));
	CHECK(stat("f/x", &st));
	CHECK(stat("", &st));
	CHECK(lstat("missing/", &st));
	CHECK(stat("f/", &st));
	CHECK(stat("d/", &st));
	CHECK(fstat(999, &st));

	/* Symlink loops are detected. */
	symlink("loop1", "loop2");
	symlink("loop2", "loop1");
	CHECK(stat("loop1", &st));
	CHECK(lstat("loop1", &st));
	show("lstat loop1", &st);

	/* A file's timestamps move forward on write. */
	CHECK(stat("/", &st));
	show("stat /", &st);
	return 0;
}
