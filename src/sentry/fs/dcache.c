/* The dentry cache: the tree of names. For memfs it is the directory
 * contents itself; for gofer-backed file systems it caches lookups.
 *
 * Hashed children are found through one global hash table keyed by
 * (parent, name), and kept in a per-directory list in d_off order for
 * getdents. Everything here except dget/dput runs with namespace_lock
 * held. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "sentry/fs/fs.h"

pthread_mutex_t namespace_lock = PTHREAD_MUTEX_INITIALIZER;

/* NOTE: a fixed size; chains grow long beyond a few hundred thousand
 * cached names. */
#define D_HASH_BITS 16
#define D_HASH_SIZE (1u << D_HASH_BITS)

static struct dentry *d_hash_table[D_HASH_SIZE];

/* The first offset handed to a child: 0 and 1 are "." and "..". */
#define D_FIRST_OFF 2

static unsigned d_hash(const struct dentry *parent, const char *name,
		       size_t len)
{
	uint64_t h = (uintptr_t)parent * 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 0x100000001b3ull;
	return (unsigned)(h ^ (h >> 32)) & (D_HASH_SIZE - 1);
}

struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d = xcalloc(1, sizeof(*d));

	d->refcount = 1;
	d->d_name = xmalloc(len + 1);
	memcpy(d->d_name, name, len);
	d->d_name[len] = '\0';
	d->d_flags = DCACHE_UNHASHED;
	d->d_next_off = D_FIRST_OFF;
	if (parent) {
		d->d_parent = dget(parent);
		d->d_sb = parent->d_sb;
	} else {
		d->d_parent = d;
	}
	return d;
}

struct dentry *dget(struct dentry *d)
{
	if (d)
		__atomic_add_fetch(&d->refcount, 1, __ATOMIC_RELAXED);
	return d;
}

/* Free d and walk up: a parent whose last reference was the child's goes
 * too. A loop, not recursion, because trees can be deep. */
void dput(struct dentry *d)
{
	while (d) {
		int left =
		    __atomic_sub_fetch(&d->refcount, 1, __ATOMIC_ACQ_REL);
		BUG_ON(left < 0);
		if (left > 0)
			return;
		BUG_ON(!(d->d_flags & DCACHE_UNHASHED));

		struct dentry *parent = d_is_root(d) ? NULL : d->d_parent;
		if (d->d_inode)
			inode_put(d->d_inode);
		free(d->d_name);
		free(d);
		d = parent;
	}
}

void d_instantiate(struct dentry *d, struct inode *inode)
{
	BUG_ON(d->d_inode);
	d->d_inode = inode;
	d->d_flags &= ~DCACHE_LOWER_STUB;
}

static void d_hash_insert(struct dentry *d)
{
	unsigned h = d_hash(d->d_parent, d->d_name, strlen(d->d_name));

	d->d_hash_next = d_hash_table[h];
	d_hash_table[h] = d;
}

static void d_hash_remove(struct dentry *d)
{
	unsigned h = d_hash(d->d_parent, d->d_name, strlen(d->d_name));
	struct dentry **pp = &d_hash_table[h];

	while (*pp != d) {
		BUG_ON(!*pp);
		pp = &(*pp)->d_hash_next;
	}
	*pp = d->d_hash_next;
	d->d_hash_next = NULL;
}

/* Insert d into its parent's child list keeping d_off order. */
static void d_list_insert(struct dentry *d)
{
	struct dentry *parent = d->d_parent;
	struct dentry *after = parent->d_child_last;

	while (after && after->d_off > d->d_off)
		after = after->d_sibling_prev;
	d->d_sibling_prev = after;
	d->d_sibling_next =
	    after ? after->d_sibling_next : parent->d_child_first;
	if (d->d_sibling_next)
		d->d_sibling_next->d_sibling_prev = d;
	else
		parent->d_child_last = d;
	if (after)
		after->d_sibling_next = d;
	else
		parent->d_child_first = d;
}

static void d_list_remove(struct dentry *d)
{
	struct dentry *parent = d->d_parent;

	if (d->d_sibling_prev)
		d->d_sibling_prev->d_sibling_next = d->d_sibling_next;
	else
		parent->d_child_first = d->d_sibling_next;
	if (d->d_sibling_next)
		d->d_sibling_next->d_sibling_prev = d->d_sibling_prev;
	else
		parent->d_child_last = d->d_sibling_prev;
	d->d_sibling_prev = d->d_sibling_next = NULL;
}

/* Hash d under its current parent and name, keeping its d_off. */
static void d_rehash(struct dentry *d)
{
	d_hash_insert(d);
	d_list_insert(d);
	d->d_flags &= ~DCACHE_UNHASHED;
}

static void d_unhash(struct dentry *d)
{
	d_hash_remove(d);
	d_list_remove(d);
	d->d_flags |= DCACHE_UNHASHED;
}

void d_add(struct dentry *d)
{
	BUG_ON(!(d->d_flags & DCACHE_UNHASHED) || d_is_root(d));
	d->d_off = d->d_parent->d_next_off++;
	dget(d); /* the children list's reference */
	d_rehash(d);
}

struct dentry *d_lookup(struct dentry *parent, const char *name, size_t len)
{
	unsigned h = d_hash(parent, name, len);

	for (struct dentry *d = d_hash_table[h]; d; d = d->d_hash_next)
		if (d->d_parent == parent &&
		    strncmp(d->d_name, name, len) == 0 &&
		    d->d_name[len] == '\0')
			return dget(d);
	return NULL;
}

void d_delete(struct dentry *d)
{
	struct inode *inode = d->d_inode;

	d->d_inode = NULL;
	inode_put(inode);
}

void d_drop(struct dentry *d)
{
	if (d->d_flags & DCACHE_UNHASHED)
		return;
	d_unhash(d);
	d->d_flags |= DCACHE_DELETED;
	/* Children of a removed directory are negative or stubs (it had to
	 * be empty) or stale cache entries; they go with it, which also
	 * breaks the parent<->child reference cycle. */
	while (d->d_child_first)
		d_drop(d->d_child_first);
	dput(d);
}

void d_move(struct dentry *d, struct dentry *target)
{
	struct dentry *newparent = dget(target->d_parent);
	char *newname = xstrdup(target->d_name);

	d_drop(target);
	d_hash_remove(d);
	d_list_remove(d);

	struct dentry *oldparent = d->d_parent;
	free(d->d_name);
	d->d_name = newname;
	d->d_parent = newparent;
	d->d_off = newparent->d_next_off++;
	d_hash_insert(d);
	d_list_insert(d);
	dput(oldparent);
}

void d_exchange(struct dentry *a, struct dentry *b)
{
	d_hash_remove(a);
	d_list_remove(a);
	d_hash_remove(b);
	d_list_remove(b);

	struct dentry *parent = a->d_parent;
	a->d_parent = b->d_parent;
	b->d_parent = parent;
	char *name = a->d_name;
	a->d_name = b->d_name;
	b->d_name = name;
	int64_t off = a->d_off;
	a->d_off = b->d_off;
	b->d_off = off;

	d_hash_insert(a);
	d_list_insert(a);
	d_hash_insert(b);
	d_list_insert(b);
}

bool d_ancestor(struct dentry *ancestor, struct dentry *d)
{
	for (;;) {
		if (d == ancestor)
			return true;
		if (d_is_root(d))
			return false;
		d = d->d_parent;
	}
}

int d_for_each_child(struct dentry *dir, int64_t from,
		     int (*fn)(struct dentry *child, void *ctx), void *ctx)
{
	struct dentry *c = dir->d_child_first;

	while (c && c->d_off < from)
		c = c->d_sibling_next;
	while (c) {
		/* fn may unhash c (e.g. a stub that fails to resolve), so
		 * step first. */
		struct dentry *next = c->d_sibling_next;
		int r = fn(c, ctx);
		if (r)
			return r;
		c = next;
	}
	return 0;
}
