/* Task lookup by PID and iteration over all tasks. */
#include "sentry/sys_misc/lookup.h"

#include <stddef.h>

#include "sentry/task.h"

struct task *lookup_task(struct task *t, pid_t pid)
{
	struct task *found;

	if (pid == 0)
		return t;
	if (pid < 0)
		return NULL;
	found = pid_task(pid);
	if (!found || found->state == TASK_DEAD)
		return NULL;
	return found;
}

struct task_walk {
	void (*fn)(struct task *, void *);
	void *arg;
};

/* Walk the threads of one group. The list starts at the leader and is
 * either NULL-terminated or circular, so stop at whichever comes first. */
static void walk_group(struct thread_group *tg, void *arg)
{
	struct task_walk *walk = arg;
	struct task *first = tg->leader;

	for (struct task *t = first; t; t = t->next_thread) {
		if (t->state == TASK_RUNNING)
			walk->fn(t, walk->arg);
		if (t->next_thread == first)
			break;
	}
}

void for_each_live_task(void (*fn)(struct task *, void *), void *arg)
{
	struct task_walk walk = {.fn = fn, .arg = arg};

	for_each_thread_group(walk_group, &walk);
}
