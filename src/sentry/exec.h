/* execve: replacing a process's image. */
#ifndef MOAT_SENTRY_EXEC_H
#define MOAT_SENTRY_EXEC_H

struct task;

/* Execute filename (resolved relative to dirfd like execveat) with argv
 * and envp in sentry memory. On success the task runs the new image when
 * it next returns to application code; on failure the old image is
 * untouched and a negative errno is returned. */
int do_execve(struct task *t, int dirfd, const char *filename, char **argv,
	      char **envp, int flags);

#endif
