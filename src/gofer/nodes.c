/* The fid table: fid N is slot N of a growable array. Free slots form a
 * stack, so a clunked fid number is reused by a later walk. The sentry must
 * not use a fid after clunking it. */
#include "gofer/gofer.h"
#include "common/util.h"

#include <errno.h>

#define NO_FREE UINT32_MAX

static struct gofer_node *nodes;
static uint32_t nodes_cap;
static uint32_t nodes_used; /* slots ever handed out: [0, nodes_used) */
static uint32_t free_head = NO_FREE;

static int grow(void)
{
	uint32_t cap = nodes_cap ? nodes_cap * 2 : 64;

	if (nodes_cap >= GOFER_MAX_FIDS)
		return -ENFILE;
	cap = MIN(cap, GOFER_MAX_FIDS);
	nodes = xrealloc(nodes, cap * sizeof(*nodes));
	nodes_cap = cap;
	return 0;
}

int gofer_fid_new(int fd, uint32_t mount, uint32_t type, uint32_t *fid)
{
	uint32_t id;

	BUG_ON(fd < 0);
	if (free_head != NO_FREE) {
		id = free_head;
		free_head = nodes[id].next_free;
	} else {
		if (nodes_used == nodes_cap && grow() < 0) {
			close(fd);
			return -ENFILE;
		}
		id = nodes_used++;
	}
	nodes[id] = (struct gofer_node){
	    .fd = fd, .mount = mount, .type = type, .next_free = NO_FREE};
	*fid = id;
	return 0;
}

struct gofer_node *gofer_fid_get(uint32_t fid)
{
	if (fid >= nodes_used || nodes[fid].fd < 0)
		return NULL;
	return &nodes[fid];
}

int gofer_fid_clunk(uint32_t fid)
{
	struct gofer_node *n = gofer_fid_get(fid);

	if (!n)
		return -EBADF;
	close(n->fd);
	n->fd = -1;
	n->next_free = free_head;
	free_head = fid;
	return 0;
}

void gofer_fid_clear_all(void)
{
	for (uint32_t i = 0; i < nodes_used; i++) {
		if (nodes[i].fd >= 0)
			close(nodes[i].fd);
	}
	free(nodes);
	nodes = NULL;
	nodes_cap = 0;
	nodes_used = 0;
	free_head = NO_FREE;
}
