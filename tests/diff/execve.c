/* execve(2): errors, argv/envp passing, #! scripts and close-on-exec. */
#include "check.h"

static char self[PATH_MAX];

static const char *base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Run self with ARGS in a child, with ENVP, and print how it ended. */
static void run(const char *what, char **args, char **envp)
{
	pid_t pid = fork();

	if (pid == 0) {
		execve(args[0], args, envp);
		printf("execve failed: %s\n", errno_name(errno));
		_exit(127);
	}
	wait_and_print(pid, what);
}

/* Modes entered when the test execs itself. */
static int child_mode(int argc, char **argv)
{
	if (strcmp(argv[1], "args") == 0) {
		printf("argc = %d\n", argc);
		for (int i = 2; i < argc; i++)
			printf("argv[%d] = \"%s\"\n", i, argv[i]);
		printf("MOAT_A = %s\n", getenv("MOAT_A") ? getenv("MOAT_A") : "(unset)");
		printf("MOAT_EMPTY = \"%s\"\n", getenv("MOAT_EMPTY") ? getenv("MOAT_EMPTY") : "(unset)");
		printf("PATH = %s\n", getenv("PATH") ? getenv("PATH") : "(unset)");
		return 0;
	}
	if (strncmp(argv[1], "script", 6) == 0) {
		/* argv: interpreter, the whole rest of the #! line as one
		 * argument, the script path, then the exec arguments. */
		for (int i = 1; i < argc; i++)
			printf("script argv[%d] = \"%s\"\n", i, base(argv[i]));
		return 0;
	}
	if (strcmp(argv[1], "fd") == 0) {
		for (int i = 2; i < argc; i++) {
			int fd = atoi(argv[i]);
			errno = 0;
			int r = fcntl(fd, F_GETFD);
			printf("fd %d after exec: %s\n", fd,
			       r < 0 ? errno_name(errno) : "open");
		}
		return 0;
	}
	return 2;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return child_mode(argc, argv);

	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		die("readlink /proc/self/exe");
	self[n] = '\0';
	enter_tmpdir();

	char *noenv[] = {NULL};
	char *env[] = {"MOAT_A=1", "MOAT_EMPTY=", NULL};
	char *args[] = {self, "args", "one", "", "three words", NULL};
	run("args", args, env);
	run("no env", args, noenv);

	char *missing[] = {"./missing", NULL};
	CHECK(execve("./missing", missing, noenv));
	write_file("plain", "#!/bin/sh\necho hi\n", 0644);
	char *plain[] = {"./plain", NULL};
	CHECK(execve("./plain", plain, noenv));
	mkdir("dir", 0755);
	CHECK(execve("./dir", plain, noenv));
	write_file("garbage", "\x01\x02\x03 not an executable\n", 0755);
	CHECK(execve("./garbage", plain, noenv));
	CHECK(execve("/dev/null", plain, noenv));
	CHECK(execve((char *)1, plain, noenv));
	write_file("badinterp", "#!/nonexistent/interp\n", 0755);
	CHECK(execve("./badinterp", plain, noenv));

	/* #! line with one argument; the script path follows it. */
	char script[PATH_MAX + 64];
	snprintf(script, sizeof(script), "#!%s script  with-arg\n", self);
	write_file("script", script, 0755);
	char *sargs[] = {"./script", "x", "y", NULL};
	run("script", sargs, noenv);
	snprintf(script, sizeof(script), "#! %s script\n", self);
	write_file("script2", script, 0755);
	char *sargs2[] = {"./script2", NULL};
	run("script2", sargs2, noenv);
	write_file("shscript", "#!/bin/sh -e\necho \"sh script $1\"\nexit 4\n", 0755);
	char *sh[] = {"./shscript", "arg", NULL};
	run("sh script", sh, noenv);

	/* Close-on-exec descriptors are closed by exec, others stay open. */
	int keep = open("plain", O_RDONLY);
	int gone = open("plain", O_RDONLY | O_CLOEXEC);
	int gone2 = dup(keep);
	fcntl(gone2, F_SETFD, FD_CLOEXEC);
	char a[8], b[8], c[8];
	snprintf(a, sizeof(a), "%d", keep);
	snprintf(b, sizeof(b), "%d", gone);
	snprintf(c, sizeof(c), "%d", gone2);
	char *fdargs[] = {self, "fd", a, b, c, NULL};
	run("cloexec", fdargs, noenv);
	return 0;
}
