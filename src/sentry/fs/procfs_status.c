/* /proc/PID/status, stat, statm and comm, in the formats of Linux 6.18. */
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "common/util.h"
#include "sentry/fs/procfs.h"
#include "sentry/task.h"

#define CAP_FULL_SET ((1ULL << (CAP_LAST_CAP + 1)) - 1)
#define KB(bytes)    ((unsigned long long)(bytes) >> 10)
#define PAGES(bytes) ((unsigned long long)(bytes) / PAGE_SIZE)

static const char *state_name(char state)
{
	switch (state) {
	case 'R':
		return "R (running)";
	case 'T':
		return "T (stopped)";
	case 'Z':
		return "Z (zombie)";
	default:
		return "S (sleeping)";
	}
}

static void print_ids(struct procfs_text *text,
		      const struct procfs_task_info *info)
{
	procfs_printf(text, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n",
		      info->tgid, info->tid, info->ppid);
	procfs_printf(text, "TracerPid:\t0\n");
	procfs_printf(text, "Uid:\t%u\t%u\t%u\t%u\n", info->uid, info->euid,
		      info->suid, info->fsuid);
	procfs_printf(text, "Gid:\t%u\t%u\t%u\t%u\n", info->gid, info->egid,
		      info->sgid, info->fsgid);
	procfs_printf(text, "FDSize:\t%d\nGroups:\t", info->fd_slots);
	for (int i = 0; i < info->ngroups; i++)
		procfs_printf(text, "%s%u", i ? " " : "", info->groups[i]);
	/* Linux ends the list with a space, even an empty one. */
	procfs_printf(text, " \n");
	/* The sandbox has one PID namespace, so each list has one entry. */
	procfs_printf(text,
		      "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
		      info->tgid, info->tid, info->pgid, info->sid);
	procfs_printf(text, "Kthread:\t0\n");
}

/* NOTE: VmRSS counts every accessible mapping, an upper bound: the sentry
 * does not know which pages the host has made resident. */
static void print_memory(struct procfs_text *text,
			 const struct procfs_vm_info *vm)
{
	if (!vm->size)
		return; /* a zombie has no memory lines, as in Linux */
	procfs_printf(text, "VmSize:\t%8llu kB\nVmLck:\t%8llu kB\n",
		      KB(vm->size), 0ULL);
	procfs_printf(text, "VmRSS:\t%8llu kB\n", KB(vm->accessible));
	procfs_printf(text, "VmData:\t%8llu kB\nVmStk:\t%8llu kB\n",
		      KB(vm->data), KB(vm->stack));
	procfs_printf(text, "VmExe:\t%8llu kB\nVmSwap:\t%8llu kB\n",
		      KB(vm->text), 0ULL);
}

static void print_signals(struct procfs_text *text,
			  const struct procfs_task_info *info)
{
	procfs_printf(text, "SigQ:\t%d/%llu\n", info->sig_queued,
		      (unsigned long long)info->rlim_sigpending);
	procfs_printf(text, "SigPnd:\t%016llx\nShdPnd:\t%016llx\n",
		      (unsigned long long)info->sig_pending,
		      (unsigned long long)info->sig_shared_pending);
	procfs_printf(text, "SigBlk:\t%016llx\nSigIgn:\t%016llx\n",
		      (unsigned long long)info->sig_blocked,
		      (unsigned long long)info->sig_ignored);
	procfs_printf(text, "SigCgt:\t%016llx\n",
		      (unsigned long long)info->sig_caught);
}

static void print_capabilities(struct procfs_text *text,
			       const struct procfs_task_info *info)
{
	unsigned long long effective = info->cap_effective & CAP_FULL_SET;

	procfs_printf(text, "CapInh:\t%016llx\nCapPrm:\t%016llx\n", 0ULL,
		      effective);
	procfs_printf(text, "CapEff:\t%016llx\nCapBnd:\t%016llx\n", effective,
		      CAP_FULL_SET);
	procfs_printf(text, "CapAmb:\t%016llx\n", 0ULL);
	procfs_printf(text, "NoNewPrivs:\t0\nSeccomp:\t0\n");
}

/* The Name line escapes backslashes and newlines, which a write to comm
 * may have put there. */
static void print_name(struct procfs_text *text, const char *comm)
{
	procfs_printf(text, "Name:\t");
	for (const char *c = comm; *c; c++) {
		if (*c == '\n')
			procfs_printf(text, "\\n");
		else if (*c == '\\')
			procfs_printf(text, "\\\\");
		else
			procfs_printf(text, "%c", *c);
	}
	procfs_printf(text, "\n");
}

static int status_show(struct task *t, void *priv, char **buf, size_t *len)
{
	const struct procfs_pid *id = priv;
	struct procfs_task_info info;
	struct procfs_vm_info vm;
	struct procfs_text text = {0};
	int err = procfs_get_task_info(t, id, &info);

	if (err < 0)
		return err;
	procfs_get_vm_info(id, &vm);
	print_name(&text, info.comm);
	procfs_printf(&text, "Umask:\t%04o\nState:\t%s\n", info.umask,
		      state_name(info.state));
	print_ids(&text, &info);
	print_memory(&text, &vm);
	procfs_printf(&text, "Threads:\t%d\n", info.nr_threads);
	print_signals(&text, &info);
	print_capabilities(&text, &info);
	free(info.groups);
	return procfs_text_finish(&text, buf, len);
}

const struct synth_file_ops procfs_status_ops = {
    .show = status_show,
};

/* The 52 fields of proc_pid_stat(5). Fields Moat does not track (fault
 * counts, tty, scheduling) are 0. */
static int stat_show(struct task *t, void *priv, char **buf, size_t *len)
{
	const struct procfs_pid *id = priv;
	struct procfs_task_info info;
	struct procfs_vm_info vm;
	struct procfs_text text = {0};
	int err = procfs_get_task_info(t, id, &info);

	if (err < 0)
		return err;
	free(info.groups);
	procfs_get_vm_info(id, &vm);
	/* 1-9: pid comm state ppid pgrp session tty_nr tpgid flags */
	procfs_printf(&text, "%d (%s) %c %d %d %d 0 -1 0 ", info.tid, info.comm,
		      info.state, info.ppid, info.pgid, info.sid);
	/* 10-17: minflt cminflt majflt cmajflt utime stime cutime cstime */
	procfs_printf(
	    &text, "0 0 0 0 %llu %llu %llu %llu ",
	    (unsigned long long)info.utime, (unsigned long long)info.stime,
	    (unsigned long long)info.cutime, (unsigned long long)info.cstime);
	/* 18-25: priority nice num_threads itrealvalue starttime vsize rss
	 * rsslim */
	procfs_printf(&text, "20 0 %d 0 %llu %llu %llu %llu ", info.nr_threads,
		      (unsigned long long)info.start_time,
		      (unsigned long long)vm.size, PAGES(vm.accessible),
		      (unsigned long long)info.rlim_rss);
	/* 26-34: startcode endcode startstack kstkesp kstkeip signal blocked
	 * sigignore sigcatch (the last four as decimal masks of signals
	 * 1-31, which Linux calls obsolete) */
	procfs_printf(&text, "%llu %llu %llu 0 0 %llu %llu %llu %llu ",
		      (unsigned long long)vm.start_code,
		      (unsigned long long)vm.end_code,
		      (unsigned long long)vm.start_stack,
		      (unsigned long long)(info.sig_pending & 0x7fffffff),
		      (unsigned long long)(info.sig_blocked & 0x7fffffff),
		      (unsigned long long)(info.sig_ignored & 0x7fffffff),
		      (unsigned long long)(info.sig_caught & 0x7fffffff));
	/* 35-44: wchan nswap cnswap exit_signal processor rt_priority policy
	 * delayacct_blkio_ticks guest_time cguest_time */
	procfs_printf(&text, "0 0 0 %d 0 0 0 0 0 0 ", info.exit_signal);
	/* 45-52: start_data end_data start_brk arg_start arg_end env_start
	 * env_end exit_code */
	procfs_printf(
	    &text, "0 0 %llu %llu %llu %llu %llu %d\n",
	    (unsigned long long)vm.start_brk, (unsigned long long)vm.arg_start,
	    (unsigned long long)vm.arg_end, (unsigned long long)vm.env_start,
	    (unsigned long long)vm.env_end, info.exit_status);
	return procfs_text_finish(&text, buf, len);
}

const struct synth_file_ops procfs_stat_ops = {
    .show = stat_show,
};

/* size resident shared text lib data dt, in pages. */
static int statm_show(struct task *t, void *priv, char **buf, size_t *len)
{
	const struct procfs_pid *id = priv;
	struct procfs_vm_info vm;
	struct procfs_text text = {0};

	procfs_get_vm_info(id, &vm);
	procfs_printf(&text, "%llu %llu 0 %llu 0 %llu 0\n", PAGES(vm.size),
		      PAGES(vm.accessible), PAGES(vm.text), PAGES(vm.data));
	return procfs_text_finish(&text, buf, len);
}

const struct synth_file_ops procfs_statm_ops = {
    .show = statm_show,
};

static int comm_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct task *target = procfs_get_task(priv);
	struct procfs_text text = {0};
	char comm[16];

	if (!target)
		return -ESRCH;
	pthread_mutex_lock(&tasklist_lock);
	memcpy(comm, target->comm, sizeof(comm));
	pthread_mutex_unlock(&tasklist_lock);
	task_put(target);
	comm[sizeof(comm) - 1] = '\0';
	procfs_printf(&text, "%s\n", comm);
	return procfs_text_finish(&text, buf, len);
}

/* Like Linux, only threads of the same process may rename a task, and
 * the name is the first 15 bytes written, newline included. */
static long comm_store(struct task *t, void *priv, const char *buf, size_t len)
{
	struct task *target = procfs_get_task(priv);
	size_t n = MIN(len, (size_t)15);
	long ret = len;

	if (!target)
		return -ESRCH;
	pthread_mutex_lock(&tasklist_lock);
	if (!t || t->tg != target->tg) {
		ret = -EINVAL;
	} else {
		memset(target->comm, 0, sizeof(target->comm));
		memcpy(target->comm, buf, n);
	}
	pthread_mutex_unlock(&tasklist_lock);
	task_put(target);
	return ret;
}

const struct synth_file_ops procfs_comm_ops = {
    .show = comm_show,
    .store = comm_store,
};
