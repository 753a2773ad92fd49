/* memfd_create(2): flags, names, I/O, mmap across fork and seals. */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>

static void print_link(int fd)
{
	char path[64], target[512];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		printf("readlink %s: %s\n", "fd", errno_name(errno));
		return;
	}
	target[n] = '\0';
	printf("link = %s\n", target);
}

static void check_names(void)
{
	char name[300];

	memset(name, 'a', sizeof(name));
	name[249] = '\0';
	int fd = CHECK_OK(memfd_create(name, 0));
	close(fd);
	name[249] = 'a';
	name[250] = '\0';
	CHECK(memfd_create(name, 0));
	CHECK(memfd_create("", 0) >= 0);
	CHECK(memfd_create("with/slash", 0) >= 0);
	CHECK(memfd_create((const char *)8, 0));
	CHECK(memfd_create("bad flags", 0x100));
}

static void check_io(int fd)
{
	char buf[16] = {0};
	struct stat st;

	CHECK(write(fd, "hello memfd", 11));
	CHECK(lseek(fd, 0, SEEK_CUR));
	CHECK(pread(fd, buf, sizeof(buf), 6));
	SAY("read = %s\n", buf);
	CHECK(ftruncate(fd, 8192));
	CHECK(fstat(fd, &st));
	SAY("mode = %o nlink = %ld size = %ld\n", st.st_mode, (long)st.st_nlink,
	    (long)st.st_size);
	CHECK(fcntl(fd, F_GETFL));
	CHECK(fcntl(fd, F_GETFD));
}

static void check_shared_mmap(int fd)
{
	char *p = CHECK_PTR(
	    mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0),
	    MAP_FAILED);
	pid_t pid;
	char buf[8] = {0};

	if (p == MAP_FAILED)
		return;
	SAY("mapped = %.11s\n", p);
	pid = fork();
	if (pid == 0) {
		memcpy(p, "child", 5);
		memcpy(p + 4096, "page2", 5);
		_exit(0);
	}
	wait_and_print(pid, "writer");
	SAY("after fork = %.11s %.5s\n", p, p + 4096);
	CHECK(pread(fd, buf, 5, 4096));
	SAY("file page 2 = %.5s\n", buf);
	munmap(p, 8192);
}

static void check_seals(void)
{
	int fd = CHECK(memfd_create("sealed", MFD_ALLOW_SEALING));
	int plain = CHECK(memfd_create("plain", MFD_CLOEXEC));
	char path[64];

	CHECK(fcntl(fd, F_GET_SEALS));
	CHECK(fcntl(plain, F_GET_SEALS));
	CHECK(fcntl(plain, F_ADD_SEALS, F_SEAL_WRITE));
	CHECK(write(fd, "abc", 3));
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
	CHECK(fcntl(fd, F_GET_SEALS));
	CHECK(ftruncate(fd, 1));
	CHECK(ftruncate(fd, 100));
	CHECK(write(fd, "more", 4));
	CHECK(pwrite(fd, "X", 1, 0));

	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT(p != MAP_FAILED);
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	if (p != MAP_FAILED)
		munmap(p, 4096);
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	CHECK(pwrite(fd, "Y", 1, 0));
	CHECK_PTR(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0),
		  MAP_FAILED);
	CHECK_OK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0));

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int ro = CHECK_OK(open(path, O_RDONLY));
	CHECK(fcntl(ro, F_GETFL));
	CHECK(fcntl(ro, F_ADD_SEALS, F_SEAL_SEAL));
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	CHECK(fcntl(fd, F_GET_SEALS));
	CHECK(fcntl(1, F_GET_SEALS) < 0);

	int shm = open("/dev/shm/moat-memfd-test", O_RDWR | O_CREAT, 0600);
	if (shm >= 0) {
		CHECK(fcntl(shm, F_GET_SEALS));
		unlink("/dev/shm/moat-memfd-test");
		close(shm);
	}
	close(ro);
	close(plain);
	close(fd);
}

int main(void)
{
	int fd = CHECK(memfd_create("moat-test", MFD_CLOEXEC));

	print_link(fd);
	check_io(fd);
	check_shared_mmap(fd);
	close(fd);

	fd = CHECK(memfd_create("keep", 0));
	CHECK(fcntl(fd, F_GETFD));
	print_link(fd);
	close(fd);

	check_names();
	check_seals();
	return 0;
}
