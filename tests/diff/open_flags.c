/* open(2) flags and their error paths. */
// build: -fPIE -pie
#include "check.h"

int main(void)
{
	char longname[NAME_MAX + 2];
	int fd;

	enter_tmpdir();
	write_file("file", "hello\n", 0644);
	mkdir("dir", 0755);
	symlink("file", "link");

	fd = CHECK(open("new", O_CREAT | O_EXCL | O_WRONLY, 0600));
	CHECK(close(fd));
	CHECK(open("new", O_CREAT | O_EXCL | O_WRONLY, 0600));
	CHECK(open("missing", O_RDONLY));
	CHECK(open("missing/x", O_RDONLY));
	CHECK(open("file/x", O_RDONLY));
	CHECK(open("file", O_RDONLY | O_DIRECTORY));
	fd = CHECK(open("dir", O_RDONLY | O_DIRECTORY));
	CHECK(close(fd));
	CHECK(open("dir", O_WRONLY));
	CHECK(open("dir", O_RDWR));
	CHECK(open("dir", O_CREAT | O_RDONLY, 0644));
	CHECK(open("link", O_RDONLY | O_NOFOLLOW));
	fd = CHECK(open("link", O_RDONLY));
	CHECK(close(fd));
	fd = CHECK(open("link", O_PATH | O_NOFOLLOW));
	CHECK(close(fd));

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK(open(longname, O_RDONLY));
	CHECK(open(longname, O_CREAT | O_WRONLY, 0644));

	/* O_TRUNC empties the file. */
	fd = CHECK(open("file", O_WRONLY | O_TRUNC));
	CHECK(close(fd));
	struct stat st;
	CHECK(stat("file", &st));
	SAY("size after O_TRUNC = %ld\n", (long)st.st_size);

	/* O_APPEND writes at the end whatever the offset. */
	write_file("app", "abc", 0644);
	fd = CHECK(open("app", O_WRONLY | O_APPEND));
	CHECK(lseek(fd, 0, SEEK_SET));
	CHECK(write(fd, "def", 3));
	CHECK(lseek(fd, 0, SEEK_CUR));
	CHECK(close(fd));
	char buf[16] = {0};
	fd = CHECK(open("app", O_RDONLY));
	CHECK(read(fd, buf, sizeof(buf)));
	SAY("content = %s\n", buf);
	CHECK(write(fd, "x", 1));
	CHECK(close(fd));

	/* Creation mode is masked by the umask. */
	umask(022);
	fd = CHECK(open("masked", O_CREAT | O_WRONLY, 0777));
	CHECK(fstat(fd, &st));
	SAY("mode = %o\n", st.st_mode & 07777);
	CHECK(close(fd));

	/* Opening a symlink to a missing target with O_CREAT creates it. */
	symlink("target", "dangling");
	fd = CHECK(open("dangling", O_CREAT | O_WRONLY, 0644));
	CHECK(close(fd));
	CHECK(access("target", F_OK));
	CHECK(open("dangling", O_CREAT | O_EXCL | O_WRONLY, 0644));

	/* O_TMPFILE may be unsupported, so print only success. */
	CHECK(open("", O_RDONLY));
	CHECK(open("file", O_RDONLY | O_CLOEXEC | O_NOATIME | O_NOCTTY) >= 0);
	return 0;
}
