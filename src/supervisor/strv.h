/* A growable, NULL-terminated array of strings, used to build argv and
 * envp arrays for execve(). */
#ifndef MOAT_SUPERVISOR_STRV_H
#define MOAT_SUPERVISOR_STRV_H

#include <stddef.h>

struct strv {
	char **items; /* always NULL-terminated once anything was pushed */
	size_t len;
	size_t cap;
};

/* Append s, which the vector now owns. */
void strv_push(struct strv *v, char *s);
/* Append a copy of s. */
void strv_push_copy(struct strv *v, const char *s);
void strv_pushf(struct strv *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Return the NULL-terminated array and leave v empty. The caller frees it
 * with strv_free(). */
char **strv_take(struct strv *v);
/* Free a NULL-terminated array of strings and the strings. */
void strv_free(char **items);

#endif
