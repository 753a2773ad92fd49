#include "common/log.h"
#include "common/util.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *log_role = "moat";
static int log_out = -1;

void log_init(const char *role, int fd)
{
	log_role = role;
	log_out = fd;
}

int log_fd(void)
{
	return log_out;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	char buf[1024];
	struct timespec ts;
	va_list ap;
	int fd = log_out;
	int n;

	/* Without --debug-log, only problems reach the user's stderr. */
	if (fd < 0) {
		if (level < LOG_WARN)
			return;
		fd = 2;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	n = snprintf(buf, sizeof(buf),
		     "%lld.%06ld %s[%d] %s: ", (long long)ts.tv_sec,
		     ts.tv_nsec / 1000, log_role, (int)getpid(), names[level]);
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	/* One write per message, so lines from several processes and threads
	 * do not interleave. */
	(void)!write(fd, buf, n);
}
