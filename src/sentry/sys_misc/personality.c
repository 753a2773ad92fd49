/* personality: stored per task and returned, as Linux does for any
 * value. NOTE: the flags (ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC and the
 * rest) have no effect on the sandbox. */
#include <sys/syscall.h>

#include "sentry/syscall.h"
#include "sentry/sys_misc/task_misc.h"

/* The value that only queries the current personality. */
#define PERSONALITY_QUERY 0xffffffffU

SYSCALL_DEFINE(SYS_personality, personality)
{
	unsigned int persona = (unsigned int)args[0];
	unsigned int old;

	pthread_mutex_lock(&misc_lock);
	struct task_misc *m = task_misc(t);
	old = m->personality;
	if (persona != PERSONALITY_QUERY)
		m->personality = persona;
	pthread_mutex_unlock(&misc_lock);
	return old;
}
