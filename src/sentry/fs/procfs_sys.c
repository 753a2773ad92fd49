/* The system-wide files of /proc, from the host's uname(2), sysinfo(2)
 * and clocks (the sentry's seccomp filter allows those calls) and the
 * sandbox's own state. */
#include <sched.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/fs/procfs.h"
#include "sentry/task.h"

static double clock_seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_kb(struct procfs_text *text, const char *name,
		     unsigned long long bytes)
{
	procfs_printf(text, "%-16s%8llu kB\n", name, bytes >> 10);
}

/* NOTE: Cached, Active and the other page-cache lines are 0 because
 * sysinfo(2) does not report them. */
static int meminfo_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct procfs_text text = {0};
	struct sysinfo si;
	unsigned long long unit;

	if (sysinfo(&si) < 0)
		return neg_errno();
	unit = si.mem_unit ? si.mem_unit : 1;
	print_kb(&text, "MemTotal:", si.totalram * unit);
	print_kb(&text, "MemFree:", si.freeram * unit);
	print_kb(&text, "MemAvailable:", (si.freeram + si.bufferram) * unit);
	print_kb(&text, "Buffers:", si.bufferram * unit);
	print_kb(&text, "Cached:", 0);
	print_kb(&text, "SwapCached:", 0);
	print_kb(&text, "Active:", 0);
	print_kb(&text, "Inactive:", 0);
	print_kb(&text, "SwapTotal:", si.totalswap * unit);
	print_kb(&text, "SwapFree:", si.freeswap * unit);
	print_kb(&text, "Shmem:", si.sharedram * unit);
	print_kb(&text, "HighTotal:", si.totalhigh * unit);
	print_kb(&text, "HighFree:", si.freehigh * unit);
	return procfs_text_finish(&text, buf, len);
}

/* NOTE: the idle time is reported as 0; the host's per-CPU idle times
 * are not available to the sentry. */
static int uptime_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct procfs_text text = {0};

	procfs_printf(&text, "%.2f 0.00\n", clock_seconds(CLOCK_BOOTTIME));
	return procfs_text_finish(&text, buf, len);
}

struct task_counts {
	int threads;
	pid_t last_pid;
};

static void count_threads(struct thread_group *tg, void *arg)
{
	struct task_counts *counts = arg;

	counts->threads += tg->nr_threads;
	counts->last_pid = MAX(counts->last_pid, tg->tgid);
}

/* The load averages are the host's; the task counts are the sandbox's,
 * with every task but the reader counted as sleeping. The last field is
 * the highest process ID in use, where Linux shows the last one
 * allocated. */
static int loadavg_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct procfs_text text = {0};
	struct task_counts counts = {0};
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		return neg_errno();
	pthread_mutex_lock(&tasklist_lock);
	for_each_thread_group(count_threads, &counts);
	pthread_mutex_unlock(&tasklist_lock);
	procfs_printf(&text, "%.2f %.2f %.2f 1/%d %d\n", si.loads[0] / 65536.0,
		      si.loads[1] / 65536.0, si.loads[2] / 65536.0,
		      counts.threads, counts.last_pid);
	return procfs_text_finish(&text, buf, len);
}

/* NOTE: CPU times and counters are 0 because the host's are not
 * available. btime is real; "processes" (forks since boot in Linux) is
 * the highest PID in use, an estimate. */
static int stat_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct procfs_text text = {0};
	struct task_counts counts = {0};
	/* Not sysconf(_SC_NPROCESSORS_ONLN): glibc reads /sys for it, and the
	 * confined sentry may not open files. */
	cpu_set_t cpus;
	long ncpus = sched_getaffinity(0, sizeof(cpus), &cpus) == 0
			     ? CPU_COUNT(&cpus)
			     : 1;
	double boot =
	    clock_seconds(CLOCK_REALTIME) - clock_seconds(CLOCK_BOOTTIME);

	pthread_mutex_lock(&tasklist_lock);
	for_each_thread_group(count_threads, &counts);
	pthread_mutex_unlock(&tasklist_lock);
	procfs_printf(&text, "cpu  0 0 0 0 0 0 0 0 0 0\n");
	for (long cpu = 0; cpu < ncpus; cpu++)
		procfs_printf(&text, "cpu%ld 0 0 0 0 0 0 0 0 0 0\n", cpu);
	procfs_printf(&text, "intr 0\nctxt 0\nbtime %lld\n", (long long)boot);
	procfs_printf(&text, "processes %d\nprocs_running 1\n",
		      counts.last_pid);
	procfs_printf(&text, "procs_blocked 0\nsoftirq 0\n");
	return procfs_text_finish(&text, buf, len);
}

static int version_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct procfs_text text = {0};
	struct utsname uts;

	if (uname(&uts) < 0)
		return neg_errno();
	procfs_printf(&text, "%s version %s (moat) %s\n", uts.sysname,
		      uts.release, uts.version);
	return procfs_text_finish(&text, buf, len);
}

/* The types of the sandbox's mounts, none backed by a block device. */
static int filesystems_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct procfs_text text = {0};

	for (struct mount *m = mount_list; m; m = m->mnt_next) {
		const char *type = m->mnt_sb->s_type;
		bool seen = false;

		for (struct mount *e = mount_list; e != m; e = e->mnt_next)
			seen = seen || strcmp(e->mnt_sb->s_type, type) == 0;
		if (!seen)
			procfs_printf(&text, "nodev\t%s\n", type);
	}
	return procfs_text_finish(&text, buf, len);
}

/* A read-only file under /proc/sys: priv selects the value. */
enum sysctl_value {
	SYSCTL_HOSTNAME,
	SYSCTL_OSTYPE,
	SYSCTL_OSRELEASE,
	SYSCTL_PID_MAX,
	SYSCTL_NGROUPS_MAX,
	SYSCTL_OVERCOMMIT_MEMORY,
};

/* NOTE: hostname and osrelease are the host's uname(2) values, which the
 * guest's own uname and sethostname do not change. */
static int sysctl_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct procfs_text text = {0};
	struct utsname uts;

	if (uname(&uts) < 0)
		return neg_errno();
	switch ((enum sysctl_value)(intptr_t)priv) {
	case SYSCTL_HOSTNAME:
		procfs_printf(&text, "%s\n", uts.nodename);
		break;
	case SYSCTL_OSTYPE:
		procfs_printf(&text, "%s\n", uts.sysname);
		break;
	case SYSCTL_OSRELEASE:
		procfs_printf(&text, "%s\n", uts.release);
		break;
	case SYSCTL_PID_MAX:
		procfs_printf(&text, "%d\n", PID_MAX);
		break;
	case SYSCTL_NGROUPS_MAX:
		procfs_printf(&text, "%d\n", MOAT_NGROUPS_MAX);
		break;
	case SYSCTL_OVERCOMMIT_MEMORY:
		/* The heuristic mode, Linux's default. */
		procfs_printf(&text, "0\n");
		break;
	}
	return procfs_text_finish(&text, buf, len);
}

static const struct synth_file_ops meminfo_ops = {.show = meminfo_show};
static const struct synth_file_ops uptime_ops = {.show = uptime_show};
static const struct synth_file_ops loadavg_ops = {.show = loadavg_show};
static const struct synth_file_ops stat_ops = {.show = stat_show};
static const struct synth_file_ops version_ops = {.show = version_show};
static const struct synth_file_ops filesystems_ops = {
    .show = filesystems_show,
};
static const struct synth_file_ops sysctl_ops = {.show = sysctl_show};

static int add_file(struct super_block *sb, struct inode *dir, const char *name,
		    const struct synth_file_ops *ops, void *priv)
{
	return synth_dir_add(dir, name,
			     synth_file_create(sb, 0444, ops, priv, NULL));
}

static int add_sysctl(struct super_block *sb, struct inode *dir,
		      const char *name, enum sysctl_value value)
{
	return add_file(sb, dir, name, &sysctl_ops, (void *)(intptr_t)value);
}

/* /proc/sys/kernel and /proc/sys/vm. */
static struct inode *sys_dir_create(struct super_block *sb)
{
	struct inode *sys = synth_dir_create(sb, 0555, NULL, NULL, NULL);
	struct inode *kernel = synth_dir_create(sb, 0555, NULL, NULL, NULL);
	struct inode *vm = synth_dir_create(sb, 0555, NULL, NULL, NULL);

	add_sysctl(sb, kernel, "hostname", SYSCTL_HOSTNAME);
	add_sysctl(sb, kernel, "ostype", SYSCTL_OSTYPE);
	add_sysctl(sb, kernel, "osrelease", SYSCTL_OSRELEASE);
	add_sysctl(sb, kernel, "pid_max", SYSCTL_PID_MAX);
	add_sysctl(sb, kernel, "ngroups_max", SYSCTL_NGROUPS_MAX);
	add_sysctl(sb, vm, "overcommit_memory", SYSCTL_OVERCOMMIT_MEMORY);
	synth_dir_add(sys, "kernel", kernel);
	synth_dir_add(sys, "vm", vm);
	return sys;
}

int procfs_add_system_files(struct super_block *sb, struct inode *root)
{
	int err = 0;

	err = err ?: add_file(sb, root, "cpuinfo", &procfs_cpuinfo_ops, NULL);
	err = err ?: add_file(sb, root, "meminfo", &meminfo_ops, NULL);
	err = err ?: add_file(sb, root, "uptime", &uptime_ops, NULL);
	err = err ?: add_file(sb, root, "loadavg", &loadavg_ops, NULL);
	err = err ?: add_file(sb, root, "stat", &stat_ops, NULL);
	err = err ?: add_file(sb, root, "version", &version_ops, NULL);
	err = err ?: add_file(sb, root, "filesystems", &filesystems_ops, NULL);
	err = err ?: synth_dir_add(root, "sys", sys_dir_create(sb));
	return err;
}
