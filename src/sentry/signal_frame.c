/* Delivering guest signals: default actions, handler frames on the
 * application's stack, rt_sigreturn, and syscall restart.
 *
 * The frame follows the x86-64 kernel ABI (struct rt_sigframe): the
 * return address (sa_restorer), a ucontext with the kernel's sigcontext
 * layout and signal mask, the siginfo, and the FXSAVE area it points to.
 */
#include "sentry/signal.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "common/log.h"
#include "common/util.h"

#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

/* The kernel's struct sigcontext for x86-64 (asm/sigcontext.h). */
struct k_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};

struct k_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	stack_t uc_stack;
	struct k_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct k_rt_sigframe {
	uint64_t pretcode;
	struct k_ucontext uc;
	siginfo_t info;
};

#define FPSTATE_SIZE	     512
#define EFLAGS_USER_MASK     0x44dd5UL /* CF PF AF ZF SF TF DF OF NT RF AC */
#define UC_SIGCONTEXT_SS     0x2
#define UC_STRICT_RESTORE_SS 0x4

static bool on_altstack(struct task *t, uint64_t sp)
{
	uint64_t base = (uint64_t)t->altstack.ss_sp;

	return !(t->altstack.ss_flags & SS_DISABLE) && sp > base &&
	       sp <= base + t->altstack.ss_size;
}

static void fill_sigcontext(struct k_sigcontext *sc,
			    const struct user_regs_struct *r, uint64_t mask,
			    uint64_t fpstate)
{
	memset(sc, 0, sizeof(*sc));
	sc->r8 = r->r8;
	sc->r9 = r->r9;
	sc->r10 = r->r10;
	sc->r11 = r->r11;
	sc->r12 = r->r12;
	sc->r13 = r->r13;
	sc->r14 = r->r14;
	sc->r15 = r->r15;
	sc->rdi = r->rdi;
	sc->rsi = r->rsi;
	sc->rbp = r->rbp;
	sc->rbx = r->rbx;
	sc->rdx = r->rdx;
	sc->rax = r->rax;
	sc->rcx = r->rcx;
	sc->rsp = r->rsp;
	sc->rip = r->rip;
	sc->eflags = r->eflags;
	sc->cs = r->cs;
	sc->ss = r->ss;
	sc->oldmask = mask;
	sc->fpstate = fpstate;
}

/* Build the frame for sig and point the registers at the handler. */
static int setup_rt_frame(struct task *t, int sig, const struct k_sigaction *ka,
			  const siginfo_t *info)
{
	struct user_regs_struct *r = &t->regs.regs;
	struct k_rt_sigframe frame;
	uint64_t sp = r->rsp;
	uint64_t fp_addr, frame_addr;
	int err;

	if ((ka->flags & SA_ONSTACK) && !on_altstack(t, sp) &&
	    !(t->altstack.ss_flags & SS_DISABLE) && t->altstack.ss_size)
		sp = (uint64_t)t->altstack.ss_sp + t->altstack.ss_size;
	else
		sp -= 128; /* the red zone */

	err = platform_get_fpregs(t->mm->as, &t->regs);
	if (err)
		return err;
	fp_addr = ALIGN_DOWN(sp - FPSTATE_SIZE, 64);
	frame_addr = ALIGN_DOWN(fp_addr - sizeof(frame), 16) - 8;

	memset(&frame, 0, sizeof(frame));
	frame.pretcode = ka->restorer;
	frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	frame.uc.uc_stack = t->altstack;
	if (t->altstack.ss_flags != SS_DISABLE && on_altstack(t, r->rsp))
		frame.uc.uc_stack.ss_flags = SS_ONSTACK;
	fill_sigcontext(&frame.uc.uc_mcontext, r,
			t->restore_saved_mask ? t->saved_mask : t->blocked,
			fp_addr);
	frame.uc.uc_sigmask =
	    t->restore_saved_mask ? t->saved_mask : t->blocked;
	frame.info = *info;

	{
		unsigned char fp[FPSTATE_SIZE];
		memcpy(fp, &t->regs.fpregs, FPSTATE_SIZE);
		/* No XSAVE extension: the software-reserved bytes are 0. */
		memset(fp + 464, 0, FPSTATE_SIZE - 464);
		err = copy_to_user(t, fp_addr, fp, FPSTATE_SIZE);
	}
	if (!err)
		err = copy_to_user(t, frame_addr, &frame, sizeof(frame));
	if (err)
		return err;

	r->rdi = sig;
	r->rsi = frame_addr + offsetof(struct k_rt_sigframe, info);
	r->rdx = frame_addr + offsetof(struct k_rt_sigframe, uc);
	r->rax = 0;
	r->rsp = frame_addr;
	r->rip = ka->handler;
	r->eflags &= ~(0x100UL | 0x400UL); /* TF and DF cleared */
	return 0;
}

long do_rt_sigreturn(struct task *t)
{
	struct user_regs_struct *r = &t->regs.regs;
	struct k_rt_sigframe frame;
	struct k_sigcontext *sc = &frame.uc.uc_mcontext;
	uint64_t frame_addr = r->rsp - 8;

	if (copy_from_user(t, &frame, frame_addr, sizeof(frame))) {
		siginfo_t si = {.si_signo = SIGSEGV, .si_code = SI_KERNEL};
		force_signal(t, &si);
		return SYSCALL_NORETURN_REGS;
	}
	r->r8 = sc->r8;
	r->r9 = sc->r9;
	r->r10 = sc->r10;
	r->r11 = sc->r11;
	r->r12 = sc->r12;
	r->r13 = sc->r13;
	r->r14 = sc->r14;
	r->r15 = sc->r15;
	r->rdi = sc->rdi;
	r->rsi = sc->rsi;
	r->rbp = sc->rbp;
	r->rbx = sc->rbx;
	r->rdx = sc->rdx;
	r->rax = sc->rax;
	r->rcx = sc->rcx;
	r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->eflags =
	    (r->eflags & ~EFLAGS_USER_MASK) | (sc->eflags & EFLAGS_USER_MASK);
	r->orig_rax = -1;
	if (sc->fpstate &&
	    copy_from_user(t, &t->regs.fpregs, sc->fpstate, FPSTATE_SIZE) == 0)
		t->regs.fpregs_valid = 2;

	pthread_mutex_lock(&t->sighand->lock);
	t->blocked = frame.uc.uc_sigmask & ~SIG_KERNEL_ONLY_MASK;
	pthread_mutex_unlock(&t->sighand->lock);
	if (!(frame.uc.uc_stack.ss_flags & SS_ONSTACK) &&
	    !on_altstack(t, r->rsp)) {
		t->altstack.ss_sp = frame.uc.uc_stack.ss_sp;
		t->altstack.ss_size = frame.uc.uc_stack.ss_size;
		t->altstack.ss_flags = frame.uc.uc_stack.ss_flags & SS_DISABLE;
	}
	return SYSCALL_NORETURN_REGS;
}

static bool is_restart_code(long rax)
{
	return rax == -ERESTARTSYS || rax == -ERESTARTNOINTR ||
	       rax == -ERESTARTNOHAND || rax == -ERESTART_RESTARTBLOCK;
}

/* Fix up the return value of an interrupted syscall before a handler
 * runs (has_handler) or when no handler runs (restart it). */
static void syscall_restart(struct task *t, bool has_handler,
			    const struct k_sigaction *ka)
{
	struct user_regs_struct *r = &t->regs.regs;
	long rax = (long)r->rax;

	/* orig_rax < 0: no syscall to restart. rt_sigreturn sets it so, and
	 * the rax it restores is the application's, whatever its value. */
	if ((long)r->orig_rax < 0 || !is_restart_code(rax))
		return;
	if (has_handler &&
	    (rax == -ERESTARTNOHAND || rax == -ERESTART_RESTARTBLOCK ||
	     (rax == -ERESTARTSYS && !(ka->flags & SA_RESTART)))) {
		r->rax = (uint64_t)-EINTR;
		return;
	}
	/* -ERESTART_RESTARTBLOCK continues through restart_syscall, which
	 * resumes from t->restart instead of the original arguments (a
	 * relative sleep must not start over). */
	if (rax == -ERESTART_RESTARTBLOCK)
		r->rax = SYS_restart_syscall;
	else
		r->rax = r->orig_rax;
	r->rip -= 2; /* back to the syscall instruction */
}

/* Take the lowest pending, unblocked signal (sighand->lock held). */
static int dequeue_signal(struct task *t, siginfo_t *info)
{
	ksigset_t ready = t->pending.set & ~t->blocked;
	struct sigpending *p = &t->pending;
	int sig;

	/* The task's own signals (faults among them) before the group's,
	 * each set lowest number first, with SIGKILL ahead of all. */
	if (!ready) {
		ready = t->tg->shared_pending.set & ~t->blocked;
		p = &t->tg->shared_pending;
	}
	if (!ready)
		return 0;
	if (ready & SIGMASK(SIGKILL))
		sig = SIGKILL;
	else
		sig = __builtin_ctzll(ready) + 1;
	sigpending_take(p, sig, info);
	return sig;
}

/* The wait status of a death by sig; a core dump is never written, so
 * the core bit stays clear as with RLIMIT_CORE 0. */
static int fatal_status(int sig)
{
	return wstatus_signaled(sig, false);
}

bool handle_signals(struct task *t, bool after_syscall)
{
	struct sighand *sh = t->sighand;
	struct k_sigaction ka;
	siginfo_t info;
	int sig;

	for (;;) {
		if (__atomic_load_n(&t->exiting, __ATOMIC_SEQ_CST))
			return false;
		if (__atomic_load_n(&t->tg->group_exit, __ATOMIC_SEQ_CST)) {
			__atomic_store_n(&t->exiting, true, __ATOMIC_SEQ_CST);
			return false;
		}
		pthread_mutex_lock(&sh->lock);
		sig = dequeue_signal(t, &info);
		if (!sig) {
			if (after_syscall)
				syscall_restart(t, false, NULL);
			if (t->restore_saved_mask) {
				t->blocked = t->saved_mask;
				t->restore_saved_mask = false;
			}
			pthread_mutex_unlock(&sh->lock);
			return true;
		}
		ka = sh->action[sig - 1];
		if (sig == SIGKILL)
			ka.handler = (uint64_t)SIG_DFL;
		if (ka.handler == (uint64_t)SIG_IGN) {
			pthread_mutex_unlock(&sh->lock);
			continue;
		}
		if (ka.handler == (uint64_t)SIG_DFL) {
			pthread_mutex_unlock(&sh->lock);
			switch (sig_default_action_of(sig)) {
			case 2: /* ignore */
			case 4: /* continue */
				continue;
			case 3: /* stop */
				do_group_stop(t, sig);
				continue;
			default:
				do_group_exit(t, fatal_status(sig));
				return false;
			}
		}
		/* A handler runs: restart decisions use its SA_RESTART. */
		if (after_syscall)
			syscall_restart(t, true, &ka);
		after_syscall = false;
		if (setup_rt_frame(t, sig, &ka, &info) != 0) {
			pthread_mutex_unlock(&sh->lock);
			log_debug("task %d: bad signal frame for signal %d",
				  t->tid, sig);
			do_group_exit(t, fatal_status(SIGSEGV));
			return false;
		}
		if (t->restore_saved_mask) {
			t->blocked = t->saved_mask;
			t->restore_saved_mask = false;
		}
		t->blocked |= ka.mask;
		if (!(ka.flags & SA_NODEFER))
			t->blocked |= SIGMASK(sig);
		t->blocked &= ~SIG_KERNEL_ONLY_MASK;
		if (ka.flags & SA_RESETHAND)
			sh->action[sig - 1].handler = (uint64_t)SIG_DFL;
		pthread_mutex_unlock(&sh->lock);
		return true;
	}
}
