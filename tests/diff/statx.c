/* statx(2) with a few masks and flags. */
#include "check.h"

int main(void)
{
	struct statx sx;

	enter_tmpdir();
	write_file("f", "abc", 0600);
	symlink("f", "l");
	mkdir("d", 0700);

	CHECK(statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &sx));
	SAY("mask has type/mode/size/nlink: %s\n",
	    (sx.stx_mask & (STATX_TYPE | STATX_MODE | STATX_SIZE |
			    STATX_NLINK)) == (STATX_TYPE | STATX_MODE |
					      STATX_SIZE | STATX_NLINK)
		    ? "yes"
		    : "no");
	SAY("f: mode=%o size=%llu nlink=%u reg=%d\n", sx.stx_mode,
	    (unsigned long long)sx.stx_size, sx.stx_nlink,
	    S_ISREG(sx.stx_mode));
	CHECK(statx(AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx));
	SAY("l: lnk=%d size=%llu\n", S_ISLNK(sx.stx_mode),
	    (unsigned long long)sx.stx_size);
	CHECK(statx(AT_FDCWD, "l", 0, STATX_BASIC_STATS, &sx));
	SAY("l followed: reg=%d\n", S_ISREG(sx.stx_mode));
	CHECK(statx(AT_FDCWD, "d", 0, STATX_TYPE | STATX_MODE, &sx));
	SAY("d: dir=%d mode=%o\n", S_ISDIR(sx.stx_mode), sx.stx_mode & 07777);
	int fd = CHECK(open("f", O_RDONLY));
	CHECK(statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx));
	SAY("fd: size=%llu\n", (unsigned long long)sx.stx_size);
	CHECK(statx(AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &sx));
	CHECK(statx(AT_FDCWD, "f", 0, STATX__RESERVED, &sx));
	CHECK(statx(AT_FDCWD, "f", 0x7000000, STATX_BASIC_STATS, &sx));
	CHECK(statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, (void *)1));
	return 0;
}
