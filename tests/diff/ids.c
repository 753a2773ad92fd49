/* User and group IDs, and permission checks for a non-root user. */
#include "check.h"
#include <grp.h>

int main(void)
{
	uid_t r, e, s;

	CHECK(getuid());
	CHECK(geteuid());
	CHECK(getgid());
	CHECK(getegid());
	CHECK(getresuid(&r, &e, &s));
	SAY("resuid = %d %d %d\n", (int)r, (int)e, (int)s);

	enter_tmpdir();
	/* mkdtemp makes the directory 0700, so open it up for nobody. */
	CHECK(chmod(".", 0755));
	write_file("secret", "root only\n", 0600);
	write_file("public", "anyone\n", 0644);
	mkdir("rootdir", 0755);

	pid_t pid = fork();
	if (pid == 0) {
		CHECK(setgroups(0, NULL));
		CHECK(setgid(65534));
		CHECK(setuid(65534));
		CHECK(getuid());
		CHECK(geteuid());
		CHECK(getgid());
		CHECK(open("secret", O_RDONLY));
		CHECK(open("public", O_RDONLY) >= 0);
		CHECK(open("public", O_WRONLY));
		CHECK(mkdir("rootdir/sub", 0755));
		CHECK(unlink("public"));
		CHECK(access("secret", R_OK));
		CHECK(access("public", R_OK));
		CHECK(chmod("public", 0777));
		CHECK(chown("public", 65534, 65534));
		CHECK(setuid(0));
		CHECK(setgid(0));
		CHECK(kill(1, 0));
		int fd = CHECK(open("/tmp", O_RDONLY) >= 0);
		(void)fd;
		_exit(0);
	}
	wait_and_print(pid, "nobody");

	/* setresuid keeps the saved ID, allowing a return to root. */
	pid = fork();
	if (pid == 0) {
		CHECK(setresuid(-1, 65534, 0));
		CHECK(geteuid());
		CHECK(open("secret", O_RDONLY));
		CHECK(seteuid(0));
		CHECK(open("secret", O_RDONLY) >= 0);
		CHECK(setreuid(65534, 65534));
		CHECK(seteuid(0));
		_exit(0);
	}
	wait_and_print(pid, "saved uid");
	CHECK(setgid(0));
	CHECK(setuid(0));
	return 0;
}
