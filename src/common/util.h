/* Small helpers shared by every Moat process. */
#ifndef MOAT_COMMON_UTIL_H
#define MOAT_COMMON_UTIL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define ALIGN_UP(x, a)	 ALIGN_DOWN((x) + (a)-1, (a))
#ifndef PAGE_SIZE
#define PAGE_SIZE 4096UL
#endif

static inline void close_fdp(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline void free_p(void *p)
{
	free(*(void **)p);
}

/* Close or free the variable when it goes out of scope. */
#define _cleanup_close_ __attribute__((cleanup(close_fdp)))
#define _cleanup_free_	__attribute__((cleanup(free_p)))

/* Return the FD and forget it, so the cleanup attribute does not close it. */
static inline int take_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}

static inline void *take_ptr(void *pp)
{
	void *r = *(void **)pp;
	*(void **)pp = NULL;
	return r;
}

/* Return -errno of the last failed libc call: the one place a host errno
 * becomes Moat's negative-errno convention. */
static inline int neg_errno(void)
{
	return errno > 0 ? -errno : -EIO;
}

/* Abort loudly on a broken internal invariant (never on bad guest input). */
#define BUG_ON(cond)                                                           \
	do {                                                                   \
		if (__builtin_expect(!!(cond), 0))                             \
			moat_bug(__FILE__, __LINE__, #cond);                   \
	} while (0)

_Noreturn void moat_bug(const char *file, int line, const char *what);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Write or read all of buf, retrying on EINTR and short counts. */
int write_all(int fd, const void *buf, size_t len);
int read_all(int fd, void *buf, size_t len);

#endif
