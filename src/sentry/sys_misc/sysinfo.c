/* sysinfo: the host's memory, load and uptime, with the sandbox's own
 * thread count. */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>

#include "common/util.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

static void count_threads(struct thread_group *tg, void *arg)
{
	unsigned int *count = arg;

	if (!tg->exited)
		*count += tg->nr_threads;
}

SYSCALL_DEFINE(SYS_sysinfo, sysinfo)
{
	struct sysinfo info;
	unsigned int threads = 0;

	if (sysinfo(&info) < 0)
		return neg_errno();
	/* Despite its name, Linux fills procs with the number of threads
	 * (nr_threads), so count every live thread of the sandbox. */
	pthread_mutex_lock(&tasklist_lock);
	for_each_thread_group(count_threads, &threads);
	pthread_mutex_unlock(&tasklist_lock);
	info.procs = threads;
	if (copy_to_user(t, args[0], &info, sizeof(info)) < 0)
		return -EFAULT;
	return 0;
}
