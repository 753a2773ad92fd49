// Measures sequential read throughput of one file, in MB/s (10^6 bytes
// per second), using 128 KiB read() calls.
//
// Usage: readfile PATH PASSES [CREATE_MIB]
// With CREATE_MIB, the program first writes a file of that many MiB at
// PATH, so the file lives in whatever file system backs PATH inside the
// sandbox.  The write is not timed.  The file is read PASSES times from
// the start and the result is total bytes over total time.
// Output: one line, "<MB/s>".
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { BUFFER_SIZE = 128 * 1024 };

static char buffer[BUFFER_SIZE];

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int create_file(const char *path, long mib)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(path);
		return -1;
	}

	memset(buffer, 'x', sizeof(buffer));
	long total = mib * 1024 * 1024;
	for (long done = 0; done < total; done += BUFFER_SIZE) {
		if (write(fd, buffer, BUFFER_SIZE) != BUFFER_SIZE) {
			perror("readfile: write failed");
			close(fd);
			return -1;
		}
	}
	return close(fd);
}

// Returns the number of bytes read, or -1 after printing the error.
static long read_whole_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return -1;
	}

	long total = 0;
	ssize_t n;
	while ((n = read(fd, buffer, BUFFER_SIZE)) > 0)
		total += n;
	if (n < 0) {
		perror("readfile: read failed");
		total = -1;
	}
	close(fd);
	return total;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: readfile PATH PASSES [CREATE_MIB]\n");
		return 2;
	}
	const char *path = argv[1];
	int passes = atoi(argv[2]);
	long create_mib = argc > 3 ? atol(argv[3]) : 0;

	if (passes <= 0) {
		fprintf(stderr, "readfile: invalid pass count '%s': expected a positive integer\n", argv[2]);
		return 2;
	}
	if (create_mib > 0 && create_file(path, create_mib) < 0)
		return 1;

	long bytes = 0;
	double start = now_seconds();
	for (int i = 0; i < passes; i++) {
		long n = read_whole_file(path);
		if (n < 0)
			return 1;
		if (n == 0) {
			fprintf(stderr, "readfile: %s is empty; pass a non-empty file or CREATE_MIB\n", path);
			return 1;
		}
		bytes += n;
	}
	double elapsed = now_seconds() - start;

	if (create_mib > 0)
		unlink(path);
	printf("%.0f\n", bytes / elapsed / 1e6);
	return 0;
}
