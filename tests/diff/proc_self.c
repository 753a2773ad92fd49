/* /proc/self: exe, fd, maps, cmdline, status and stat. */
#include "check.h"

static const char *base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void list_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;
	int fds[64], count = 0, own = dirfd(dir);

	while ((de = readdir(dir)) && count < 64) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == own)
			continue;
		fds[count++] = atoi(de->d_name);
	}
	closedir(dir);
	for (int i = 0; i < count; i++)
		for (int j = i + 1; j < count; j++)
			if (fds[j] < fds[i]) {
				int t = fds[i];
				fds[i] = fds[j];
				fds[j] = t;
			}
	printf("fds:");
	for (int i = 0; i < count; i++)
		printf(" %d", fds[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	char exe[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	n = CHECK(readlink("/proc/self/exe", exe, sizeof(exe) - 1) > 0);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n] = '\0';
	SAY("exe basename = %s\n", base(exe));
	EXPECT(strcmp(base(exe), base(argv[0])) == 0);

	enter_tmpdir();
	write_file("f", "x", 0644);
	list_fds();
	int a = open("f", O_RDONLY);
	int p[2];
	pipe(p);
	list_fds();
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", a);
	n = CHECK(readlink(path, link, sizeof(link) - 1) > 0);
	n = readlink(path, link, sizeof(link) - 1);
	link[n] = '\0';
	SAY("fd link basename = %s\n", base(link));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	SAY("pipe link starts with pipe:[ : %s\n",
	    strncmp(link, "pipe:[", 6) == 0 ? "yes" : "no");
	/* Opening /proc/self/fd/N reopens the file. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", a);
	int again = CHECK(open(path, O_RDONLY) >= 0);
	(void)again;
	close(a);
	close(p[0]);
	close(p[1]);

	/* /proc/self/maps names the executable. */
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[1024];
	int found = 0, lines = 0;
	while (maps && fgets(line, sizeof(line), maps)) {
		lines++;
		if (strstr(line, exe))
			found = 1;
	}
	if (maps)
		fclose(maps);
	SAY("maps has lines: %s, names the binary: %s\n", lines > 3 ? "yes" : "no",
	    found ? "yes" : "no");

	/* /proc/self/cmdline is NUL-separated argv. */
	int fd = CHECK(open("/proc/self/cmdline", O_RDONLY) >= 0);
	fd = open("/proc/self/cmdline", O_RDONLY);
	n = read(fd, line, sizeof(line));
	close(fd);
	SAY("cmdline ends with NUL: %s, argv0 basename = %s\n",
	    n > 0 && line[n - 1] == '\0' ? "yes" : "no", base(line));

	/* status and stat name the process and its pid. */
	FILE *status = fopen("/proc/self/status", "r");
	int pid_ok = 0;
	char name[64] = "";
	while (status && fgets(line, sizeof(line), status)) {
		if (strncmp(line, "Name:", 5) == 0)
			sscanf(line, "Name:\t%63s", name);
		if (strncmp(line, "Pid:", 4) == 0)
			pid_ok = atoi(line + 5) == getpid();
	}
	if (status)
		fclose(status);
	SAY("status Name = %s, Pid matches: %s\n", name, pid_ok ? "yes" : "no");
	FILE *stat = fopen("/proc/self/stat", "r");
	int stat_pid = 0;
	char comm[64] = "", state = '?';
	if (stat) {
		fscanf(stat, "%d %63s %c", &stat_pid, comm, &state);
		fclose(stat);
	}
	SAY("stat comm = %s state = %c pid matches: %s\n", comm, state,
	    stat_pid == getpid() ? "yes" : "no");
	char self_link[64];
	n = readlink("/proc/self", self_link, sizeof(self_link) - 1);
	self_link[n > 0 ? n : 0] = '\0';
	EXPECT(atoi(self_link) == getpid());
	CHECK(access("/proc/self/nonexistent", F_OK));
	CHECK(access("/proc/self/cwd", F_OK));
	n = readlink("/proc/self/cwd", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	EXPECT(strcmp(link, test_tmpdir) == 0);
	return 0;
}
