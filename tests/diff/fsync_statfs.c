/* fsync/fdatasync/sync and statfs/fstatfs basics. */
#include "check.h"
#include <sys/statfs.h>
#include <sys/statvfs.h>

int main(void)
{
	struct statfs sf;
	struct statvfs sv;
	int p[2];

	enter_tmpdir();
	int fd = CHECK(open("f", O_RDWR | O_CREAT, 0644));
	CHECK(write(fd, "data", 4));
	CHECK(fsync(fd));
	CHECK(fdatasync(fd));
	sync();
	CHECK(syncfs(fd));
	CHECK(fsync(999));
	pipe(p);
	CHECK(fsync(p[0]));
	CHECK(sync_file_range(fd, 0, 4, SYNC_FILE_RANGE_WRITE));

	CHECK(statfs(".", &sf));
	EXPECT(sf.f_bsize > 0);
	EXPECT(sf.f_namelen == 255);
	EXPECT(sf.f_bfree <= sf.f_blocks);
	CHECK(fstatfs(fd, &sf));
	CHECK(statfs("missing", &sf));
	CHECK(statfs("f/x", &sf));
	CHECK(fstatfs(999, &sf));
	CHECK(statvfs("/", &sv));
	EXPECT(sv.f_bsize > 0);
	CHECK(statfs("/proc", &sf));
	SAY("/proc is procfs: %s\n", sf.f_type == 0x9fa0 ? "yes" : "no");
	CHECK(statfs("/dev/null", &sf));
	CHECK(close(fd));
	return 0;
}
