/* A process's file descriptor table (shared with CLONE_FILES).
 *
 * Locking: fdt->lock protects the slots and their close-on-exec bits.
 * A file taken from the table with fd_get() holds its own reference, so
 * another thread closing the FD does not free it under the caller.
 */
#ifndef MOAT_SENTRY_FDTABLE_H
#define MOAT_SENTRY_FDTABLE_H

#include <pthread.h>
#include <stdbool.h>

struct file;

struct fdtable {
	pthread_mutex_t lock;
	int users; /* atomic */
	int size;  /* slots allocated */
	struct file **files;
	unsigned char *cloexec;
};

struct fdtable *fdtable_create(void);
/* Copy for fork (every open file gets one more reference). */
struct fdtable *fdtable_copy(struct fdtable *fdt);
void fdtable_put(struct fdtable *fdt);

/* Install f at the lowest free FD >= minfd below limit (RLIMIT_NOFILE);
 * takes a new reference. Returns the FD or -EMFILE. */
int fd_install(struct fdtable *fdt, struct file *f, int minfd, bool cloexec,
	       int limit);
/* Install f at exactly fd, closing what was there (dup2 semantics). */
int fd_install_at(struct fdtable *fdt, int fd, struct file *f, bool cloexec,
		  int limit);
/* Get a reference to the file at fd, or NULL. */
struct file *fd_get(struct fdtable *fdt, int fd);
int fd_close(struct fdtable *fdt, int fd);
int fd_get_cloexec(struct fdtable *fdt, int fd);
int fd_set_cloexec(struct fdtable *fdt, int fd, bool on);
/* Close every close-on-exec FD (execve). */
void fd_close_on_exec(struct fdtable *fdt);

#endif
