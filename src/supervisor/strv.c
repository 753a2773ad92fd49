#include "supervisor/strv.h"
#include "common/util.h"

#include <stdarg.h>
#include <stdio.h>

void strv_push(struct strv *v, char *s)
{
	/* Keep one slot free for the terminating NULL. */
	if (v->len + 2 > v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->items = xrealloc(v->items, v->cap * sizeof(*v->items));
	}
	v->items[v->len++] = s;
	v->items[v->len] = NULL;
}

void strv_push_copy(struct strv *v, const char *s)
{
	strv_push(v, xstrdup(s));
}

void strv_pushf(struct strv *v, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	/* vasprintf() fails only when out of memory. */
	if (vasprintf(&s, fmt, ap) < 0)
		moat_bug(__FILE__, __LINE__, "vasprintf failed");
	va_end(ap);
	strv_push(v, s);
}

char **strv_take(struct strv *v)
{
	char **items = v->items;

	if (!items)
		items = xcalloc(1, sizeof(*items));
	v->items = NULL;
	v->len = 0;
	v->cap = 0;
	return items;
}

void strv_free(char **items)
{
	if (!items)
		return;
	for (char **p = items; *p; p++)
		free(*p);
	free(items);
}
