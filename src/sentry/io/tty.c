/* Terminal ioctls on host terminals (the caller's stdio and /dev/tty).
 *
 * Only a fixed set of requests with known argument sizes passes through,
 * each argument copied through sentry memory, so the host kernel never
 * sees a guest pointer. The foreground process group is emulated: the
 * guest's process groups do not exist on the host, and the sentry itself
 * must stay in the terminal's foreground group.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "common/util.h"
#include "sentry/io/io_internal.h"
#include "sentry/mm.h"
#include "sentry/task.h"

/* The kernel's struct termios (asm-generic/termbits.h): four tcflag_t,
 * c_line and NCCS = 19 control characters; glibc's is larger. */
#define KERNEL_TERMIOS_SIZE 36

/* The argument convention of a passed-through request. */
enum tty_arg {
	TTY_ARG_IN,    /* the host reads arg_size bytes at arg */
	TTY_ARG_OUT,   /* the host writes arg_size bytes at arg */
	TTY_ARG_VALUE, /* arg is an integer, not a pointer */
};

struct tty_request {
	unsigned cmd;
	enum tty_arg kind;
	size_t arg_size;
};

static const struct tty_request tty_requests[] = {
    {TCGETS, TTY_ARG_OUT, KERNEL_TERMIOS_SIZE},
    {TCSETS, TTY_ARG_IN, KERNEL_TERMIOS_SIZE},
    {TCSETSW, TTY_ARG_IN, KERNEL_TERMIOS_SIZE},
    {TCSETSF, TTY_ARG_IN, KERNEL_TERMIOS_SIZE},
    {TIOCGWINSZ, TTY_ARG_OUT, sizeof(struct winsize)},
    {TIOCSWINSZ, TTY_ARG_IN, sizeof(struct winsize)},
    {FIONREAD, TTY_ARG_OUT, sizeof(int)},
    {TIOCOUTQ, TTY_ARG_OUT, sizeof(int)},
    {TCFLSH, TTY_ARG_VALUE, 0},
    {TCXONC, TTY_ARG_VALUE, 0},
};

/* The guest's foreground process group of the terminal, or 0 before the
 * guest sets one: then it is the init process's group. Shared by every
 * host terminal of the sandbox. Protected by tty_pgrp_lock. */
static pid_t tty_foreground_pgrp;
static pthread_mutex_t tty_pgrp_lock = PTHREAD_MUTEX_INITIALIZER;

pid_t tty_foreground_group(void)
{
	pid_t pgrp;

	pthread_mutex_lock(&tty_pgrp_lock);
	pgrp = tty_foreground_pgrp;
	pthread_mutex_unlock(&tty_pgrp_lock);
	return pgrp;
}

static long tty_passthrough(struct task *t, int hostfd,
			    const struct tty_request *req, uint64_t arg)
{
	char buf[64];
	int r;

	BUG_ON(req->arg_size > sizeof(buf));
	if (req->kind == TTY_ARG_VALUE) {
		r = ioctl(hostfd, req->cmd, (unsigned long)arg);
		return r < 0 ? neg_errno() : r;
	}
	if (req->kind == TTY_ARG_IN &&
	    copy_from_user(t, buf, arg, req->arg_size) < 0)
		return -EFAULT;
	r = ioctl(hostfd, req->cmd, buf);
	if (r < 0)
		return neg_errno();
	if (req->kind == TTY_ARG_OUT &&
	    copy_to_user(t, arg, buf, req->arg_size) < 0)
		return -EFAULT;
	return r;
}

static bool host_isatty(int hostfd)
{
	char termios[KERNEL_TERMIOS_SIZE];

	return ioctl(hostfd, TCGETS, termios) == 0;
}

static pid_t init_pgrp(struct task *t)
{
	struct thread_group *init;
	pid_t pgrp;

	pthread_mutex_lock(&tasklist_lock);
	init = pid_thread_group(1);
	pgrp = init ? init->pgid : t->tg->pgid;
	pthread_mutex_unlock(&tasklist_lock);
	return pgrp;
}

static long tty_get_pgrp(struct task *t, uint64_t arg)
{
	pid_t pgrp;

	pthread_mutex_lock(&tty_pgrp_lock);
	pgrp = tty_foreground_pgrp;
	pthread_mutex_unlock(&tty_pgrp_lock);
	if (pgrp == 0)
		pgrp = init_pgrp(t);
	return copy_to_user(t, arg, &pgrp, sizeof(pgrp));
}

struct pgrp_search {
	pid_t pgrp;
	bool found;
};

static void match_pgrp(struct thread_group *tg, void *arg)
{
	struct pgrp_search *s = arg;

	if (tg->pgid == s->pgrp && !tg->exited)
		s->found = true;
}

static long tty_set_pgrp(struct task *t, uint64_t arg)
{
	struct pgrp_search s = {0};

	if (copy_from_user(t, &s.pgrp, arg, sizeof(s.pgrp)) < 0)
		return -EFAULT;
	if (s.pgrp < 0)
		return -EINVAL;
	pthread_mutex_lock(&tasklist_lock);
	for_each_thread_group(match_pgrp, &s);
	pthread_mutex_unlock(&tasklist_lock);
	if (!s.found)
		return -ESRCH;
	pthread_mutex_lock(&tty_pgrp_lock);
	tty_foreground_pgrp = s.pgrp;
	pthread_mutex_unlock(&tty_pgrp_lock);
	return 0;
}

long tty_ioctl(struct task *t, int hostfd, unsigned cmd, uint64_t arg)
{
	if (cmd == TIOCGPGRP || cmd == TIOCSPGRP) {
		if (!host_isatty(hostfd))
			return -ENOTTY;
		return cmd == TIOCGPGRP ? tty_get_pgrp(t, arg)
					: tty_set_pgrp(t, arg);
	}
	for (size_t i = 0; i < ARRAY_SIZE(tty_requests); i++) {
		if (tty_requests[i].cmd == cmd)
			return tty_passthrough(t, hostfd, &tty_requests[i],
					       arg);
	}
	return -ENOTTY;
}
