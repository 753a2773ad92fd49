/* Arithmetic on struct timespec and struct timeval. */
#ifndef MOAT_SENTRY_SYS_MISC_TIMESPEC_H
#define MOAT_SENTRY_SYS_MISC_TIMESPEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

#define NSEC_PER_SEC  1000000000LL
#define NSEC_PER_USEC 1000LL
#define USEC_PER_SEC  1000000LL

/* Linux's timespec64_valid(): a non-negative time with tv_nsec in
 * [0, 1e9). */
static inline bool timespec_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       ts->tv_nsec < NSEC_PER_SEC;
}

static inline bool timeval_valid(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 &&
	       tv->tv_usec < USEC_PER_SEC;
}

/* Nanoseconds, saturating at INT64_MAX for huge times (about 292 years). */
static inline int64_t timespec_to_ns(const struct timespec *ts)
{
	if (ts->tv_sec >= INT64_MAX / NSEC_PER_SEC)
		return INT64_MAX;
	return ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

static inline struct timespec ns_to_timespec(int64_t ns)
{
	struct timespec ts = {.tv_sec = ns / NSEC_PER_SEC,
			      .tv_nsec = ns % NSEC_PER_SEC};

	if (ts.tv_nsec < 0) {
		ts.tv_sec--;
		ts.tv_nsec += NSEC_PER_SEC;
	}
	return ts;
}

static inline int64_t timeval_to_ns(const struct timeval *tv)
{
	if (tv->tv_sec >= INT64_MAX / NSEC_PER_SEC)
		return INT64_MAX;
	return tv->tv_sec * NSEC_PER_SEC + tv->tv_usec * NSEC_PER_USEC;
}

static inline struct timeval ns_to_timeval(int64_t ns)
{
	struct timespec ts = ns_to_timespec(ns);

	return (struct timeval){.tv_sec = ts.tv_sec,
				.tv_usec = ts.tv_nsec / NSEC_PER_USEC};
}

/* Add without overflow, saturating at INT64_MAX. */
static inline int64_t ns_add(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* The host's clock in nanoseconds, from the vDSO. Use it only for
 * clocks every Linux kernel has, because an error reads as time 0. */
static inline int64_t host_clock_ns(clockid_t clock)
{
	struct timespec ts = {0};

	clock_gettime(clock, &ts);
	return timespec_to_ns(&ts);
}

#endif
