/* The debug log shared by the supervisor, the sentry and the gofer.
 *
 * Messages go to one FD (from --debug-log FILE) with a timestamp, the
 * process role and its PID. Without a log FD only warnings and errors are
 * written, to stderr. The FD is opened by the supervisor and inherited, so
 * the sentry and gofer never open a log file themselves.
 */
#ifndef MOAT_COMMON_LOG_H
#define MOAT_COMMON_LOG_H

#include <stdarg.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Set the role name ("moat", "sentry", "gofer") and the log FD (-1: none). */
void log_init(const char *role, int fd);
int log_fd(void);
void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
