/* Directory listing through readdir(3) (getdents64) and the raw syscall. */
#include "check.h"

static int compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *path)
{
	char *names[256];
	int count = 0;
	struct dirent *de;
	DIR *dir = opendir(path);

	if (!dir) {
		printf("opendir %s: %s\n", path, errno_name(errno));
		return;
	}
	while ((de = readdir(dir)) && count < 256) {
		char type = de->d_type == DT_DIR   ? 'd'
			    : de->d_type == DT_REG ? 'f'
			    : de->d_type == DT_LNK ? 'l'
						   : '?';
		if (asprintf(&names[count], "%s(%c)", de->d_name, type) > 0)
			count++;
	}
	closedir(dir);
	qsort(names, count, sizeof(names[0]), compare);
	printf("%s:", path);
	for (int i = 0; i < count; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

int main(void)
{
	char name[32];

	enter_tmpdir();
	mkdir("d", 0755);
	list("d");
	write_file("d/b", "", 0644);
	write_file("d/a", "", 0644);
	mkdir("d/sub", 0755);
	symlink("a", "d/link");
	list("d");
	/* Many entries need several getdents64 calls. */
	mkdir("many", 0755);
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "many/entry-%03d", i);
		write_file(name, "", 0644);
	}
	DIR *dir = opendir("many");
	int count = 0;
	while (readdir(dir))
		count++;
	SAY("many entries = %d\n", count);
	rewinddir(dir);
	count = 0;
	while (readdir(dir))
		count++;
	SAY("after rewind = %d\n", count);
	closedir(dir);
	unlink("d/b");
	list("d");
	list("missing");
	list("d/a");

	int fd = CHECK(open("d", O_RDONLY | O_DIRECTORY));
	char buf[8];
	CHECK(syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	char big[4096];
	CHECK(syscall(SYS_getdents64, fd, big, sizeof(big)) > 0);
	CHECK(syscall(SYS_getdents64, fd, big, sizeof(big)));
	int file = CHECK(open("d/a", O_RDONLY));
	CHECK(syscall(SYS_getdents64, file, big, sizeof(big)));
	CHECK(syscall(SYS_getdents64, 999, big, sizeof(big)));
	CHECK(syscall(SYS_getdents64, fd, (void *)1, sizeof(big)));
	return 0;
}
