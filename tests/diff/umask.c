/* umask(2) masks permissions of newly created files and directories. */
#include "check.h"

static void show(const char *path)
{
	struct stat st;

	stat(path, &st);
	printf("%s mode = %o\n", path, st.st_mode & 07777);
}

int main(void)
{
	enter_tmpdir();
	umask(022);
	CHECK(umask(077));
	CHECK(umask(0));
	write_file("zero", "", 0666);
	show("zero");
	CHECK(umask(027));
	write_file("f027", "", 0666);
	show("f027");
	mkdir("d027", 0777);
	show("d027");
	mknod("fifo027", S_IFIFO | 0666, 0);
	show("fifo027");
	CHECK(umask(01777));
	CHECK(umask(022));
	/* The umask is inherited across fork. */
	pid_t pid = fork();
	if (pid == 0) {
		printf("child umask = %o\n", umask(0));
		_exit(0);
	}
	wait_and_print(pid, "child");
	return 0;
}
