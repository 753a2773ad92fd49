/* getrandom, served from the host's getrandom. */
#include <errno.h>
#include <sys/random.h>
#include <sys/syscall.h>

#include "common/util.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/wait.h"

#ifndef GRND_INSECURE
#define GRND_INSECURE 0x0004
#endif

/* Linux's MAX_RW_COUNT: the most one call returns. */
#define MAX_RW_COUNT (0x7fffffffUL & ~(PAGE_SIZE - 1))

SYSCALL_DEFINE(SYS_getrandom, getrandom)
{
	unsigned int flags = (unsigned int)args[2];
	uint64_t addr = args[0];
	size_t len = MIN(args[1], MAX_RW_COUNT);
	size_t done = 0;
	char buf[PAGE_SIZE];

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) ==
	    (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;

	/* One page at a time: a signal or a fault ends a long request
	 * early with the bytes copied so far, as in Linux. */
	while (done < len) {
		size_t chunk = MIN(len - done, sizeof(buf));
		ssize_t n = getrandom(buf, chunk, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return done ? (long)done : neg_errno();
		}
		if (copy_to_user(t, addr + done, buf, n) < 0)
			return done ? (long)done : -EFAULT;
		done += n;
		if (done < len && task_signal_pending(t))
			return done;
	}
	return done;
}
