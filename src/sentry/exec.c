/* execve and execveat: argument copying, #! scripts, building the new
 * memory image and committing it.
 *
 * Everything that can fail for a reason the caller should see (missing
 * file, bad ELF, E2BIG) happens before the commit point, while the old
 * image is intact. After it the other threads exit, the address space is
 * swapped and the FD table, signal handlers and registers are reset.
 */
#include "sentry/exec.h"
#include "sentry/fdtable.h"
#include "sentry/file.h"
#include "sentry/loader.h"
#include "sentry/mm.h"
#include "sentry/signal.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"
#include "sentry/sys_misc/misc.h"
#include "common/log.h"
#include "common/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define MAX_ARG_STRLEN	  (32 * 4096)
#define MAX_ARG_TOTAL	  (2 * 1024 * 1024)
#define MAX_SHEBANG_DEPTH 4
#define BINPRM_BUF_SIZE	  256
#define STACK_SIZE	  (8UL << 20)

static void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static int strv_len(char **v)
{
	int n = 0;
	while (v && v[n])
		n++;
	return n;
}

/* Copy a NULL-terminated array of strings from the application. */
static int copy_strings(struct task *t, uint64_t uptr, char ***out,
			size_t *total)
{
	size_t cap = 16, n = 0;
	char **v = xcalloc(cap, sizeof(char *));
	int err = 0;

	while (uptr) {
		uint64_t sp;
		char *buf;
		long len;

		if ((err = copy_from_user(t, &sp, uptr + n * 8, 8)))
			break;
		if (!sp)
			break;
		if (n + 2 > cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof(char *));
		}
		buf = xmalloc(MAX_ARG_STRLEN);
		len = strncpy_from_user(t, buf, sp, MAX_ARG_STRLEN);
		if (len < 0) {
			free(buf);
			err = len == -ENAMETOOLONG ? -E2BIG : (int)len;
			break;
		}
		v[n++] = xrealloc(buf, len + 1);
		*total += len + 1 + sizeof(char *);
		if (*total > MAX_ARG_TOTAL) {
			err = -E2BIG;
			break;
		}
	}
	v[n] = NULL;
	if (err) {
		strv_free(v);
		return err;
	}
	*out = v;
	return 0;
}

/* Parse a "#!interp [arg]" line; returns 1 if buf is a script. */
static int parse_shebang(char *buf, size_t len, char **interp, char **arg)
{
	char *end, *p;

	if (len < 2 || buf[0] != '#' || buf[1] != '!')
		return 0;
	buf[len < BINPRM_BUF_SIZE ? len : BINPRM_BUF_SIZE - 1] = '\0';
	end = strchr(buf, '\n');
	if (end)
		*end = '\0';
	p = buf + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*arg = NULL;
	if (*p) {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p) {
			/* The rest of the line, minus trailing blanks, is one
			 * argument. */
			char *q = p + strlen(p);
			while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
				*--q = '\0';
			*arg = p;
		}
	}
	return 1;
}

/* argv for a script: interp [arg] filename argv[1..]. */
static char **shebang_argv(const char *interp, const char *arg,
			   const char *filename, char **argv)
{
	int n = strv_len(argv);
	char **v = xcalloc(n + 4, sizeof(char *));
	int i = 0;

	v[i++] = xstrdup(interp);
	if (arg)
		v[i++] = xstrdup(arg);
	v[i++] = xstrdup(filename);
	for (int j = 1; j < n; j++)
		v[i++] = xstrdup(argv[j]);
	v[i] = NULL;
	return v;
}

static char **strv_dup(char **src)
{
	int n = strv_len(src);
	char **v = xcalloc(n + 1, sizeof(char *));

	for (int i = 0; i < n; i++)
		v[i] = xstrdup(src[i]);
	return v;
}

static int open_exec(struct task *t, int dirfd, const char *filename, int flags,
		     struct file **out)
{
	int oflags =
	    O_RDONLY | ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0);
	struct file *f;
	struct stat st;
	int err;

	if (!*filename && (flags & AT_EMPTY_PATH)) {
		f = fd_get(t->files, dirfd);
		if (!f)
			return -EBADF;
	} else {
		err = vfs_open(t, dirfd, filename, oflags, 0, &f);
		if (err)
			return err == -ELOOP && (flags & AT_SYMLINK_NOFOLLOW)
				   ? -ELOOP
				   : err;
	}
	err = vfs_fstat(f, &st);
	if (!err && !S_ISREG(st.st_mode))
		err = -EACCES;
	if (!err)
		err = vfs_permission(t, f, X_OK);
	if (err) {
		file_put(f);
		return err;
	}
	*out = f;
	return 0;
}

struct exec_image {
	struct file *exe, *interp;
	struct elf_image exe_img, interp_img;
	char **argv, **envp;
	char *filename;
};

static void exec_image_free(struct exec_image *im)
{
	if (im->exe)
		file_put(im->exe);
	if (im->interp)
		file_put(im->interp);
	strv_free(im->argv);
	strv_free(im->envp);
	free(im->filename);
}

/* Find the ELF to run, following #! lines. */
static int exec_resolve(struct task *t, int dirfd, struct exec_image *im,
			int flags)
{
	char buf[BINPRM_BUF_SIZE + 1];

	for (int depth = 0;; depth++) {
		char *interp, *arg;
		long n;
		int r;

		r = open_exec(t, dirfd, im->filename, flags, &im->exe);
		if (r)
			return r;
		n = vfs_pread(im->exe, buf, BINPRM_BUF_SIZE, 0);
		if (n < 0)
			return (int)n;
		r = parse_shebang(buf, n, &interp, &arg);
		if (r < 0)
			return r;
		if (r == 0)
			return elf_parse_file(im->exe, &im->exe_img);
		if (depth >= MAX_SHEBANG_DEPTH)
			return -ELOOP;
		char **nargv =
		    shebang_argv(interp, arg, im->filename, im->argv);
		strv_free(im->argv);
		im->argv = nargv;
		free(im->filename);
		im->filename = xstrdup(interp);
		file_put(im->exe);
		im->exe = NULL;
		dirfd = AT_FDCWD;
		flags = 0;
	}
}

static int exec_load_interp(struct task *t, struct exec_image *im)
{
	int err;

	if (!im->exe_img.interp[0])
		return 0;
	err = open_exec(t, AT_FDCWD, im->exe_img.interp, 0, &im->interp);
	if (err)
		return err == -EACCES ? -EACCES : err;
	err = elf_parse_file(im->interp, &im->interp_img);
	if (!err && im->interp_img.interp[0])
		err = -ELIBBAD;
	return err == -ENOEXEC ? -ELIBBAD : err;
}

static int map_stack(struct mm *mm)
{
	long r = mm_mmap(mm, mm->stack_top - STACK_SIZE, STACK_SIZE,
			 PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
			     MAP_GROWSDOWN | MAP_NORESERVE,
			 NULL, 0);
	if (r < 0)
		return (int)r;
	pthread_mutex_lock(&mm->lock);
	vma_find(mm, mm->stack_top - 1)->name = "[stack]";
	pthread_mutex_unlock(&mm->lock);
	return 0;
}

/* Build the new address space. */
static int exec_build_mm(struct task *t, struct exec_image *im, struct mm **out,
			 uint64_t *entry, uint64_t *sp)
{
	struct elf_load exe = {0}, interp = {0};
	struct exec_args args;
	struct platform_as *as;
	struct mm *mm;
	long r;
	int err;

	pid_t old_tid = platform_current_tid();
	struct platform_as *old_as = platform_current_as();

	err = platform_as_create(&as);
	if (err)
		return err;
	mm = mm_create(as);
	err = elf_map(mm, im->exe, &im->exe_img, false, &exe);
	if (!err && im->interp)
		err = elf_map(mm, im->interp, &im->interp_img, true, &interp);
	if (!err)
		err = map_stack(mm);
	if (err)
		goto out_err;
	mm->brk_start = mm->brk = ALIGN_UP(exe.end, PAGE_SIZE);
	args.argv = im->argv;
	args.envp = im->envp;
	args.argc = strv_len(im->argv);
	args.envc = strv_len(im->envp);
	args.execfn = im->filename;
	r = setup_stack(t, mm, &args, &exe, im->interp ? &interp : NULL,
			im->exe_img.ehdr.e_phnum);
	if (r < 0) {
		err = (int)r;
		goto out_err;
	}
	*sp = (uint64_t)r;
	*entry = im->interp ? interp.entry : exe.entry;
	mm->exe_file = im->exe;
	file_get(im->exe);
	*out = mm;
	return 0;
out_err:
	mm_put(mm);
	platform_set_current(old_as, old_tid);
	return err;
}

static void exec_reset_regs(struct task *t, uint64_t entry, uint64_t sp)
{
	struct user_regs_struct *r = &t->regs.regs;

	platform_init_regs(t->mm->as, &t->regs);
	r->rip = entry;
	r->rsp = sp;
	/* A fresh FPU state: default control words. */
	memset(&t->regs.fpregs, 0, sizeof(t->regs.fpregs));
	t->regs.fpregs.cwd = 0x37f;
	t->regs.fpregs.mxcsr = 0x1f80;
	t->regs.fpregs_valid = 2;
}

/* Make the caller the only thread of its process, as execve requires:
 * every other thread exits, and a non-leader caller takes over the
 * leader's PID. */
static void de_thread(struct task *t)
{
	struct thread_group *tg = t->tg;
	struct task *old_leader;

	pthread_mutex_lock(&tasklist_lock);
	if (tg->nr_threads == 1 && tg->leader == t) {
		pthread_mutex_unlock(&tasklist_lock);
		return;
	}
	for (struct task *th = tg->leader; th; th = th->next_thread)
		if (th != t)
			__atomic_store_n(&th->exiting, true, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&tasklist_lock);
	tg_wake_threads(tg, t);

	pthread_mutex_lock(&tasklist_lock);
	while (tg->nr_threads > 1)
		pthread_cond_wait(&tasklist_cond, &tasklist_lock);
	old_leader = tg->leader;
	if (old_leader != t) {
		/* The old leader has exited but stayed linked first, holding
		 * the process's PID: hand both to the caller. */
		pid_free(t->tid);
		t->tid = tg->tgid;
		replace_pid_task(tg->tgid, t);
		tg->leader = t;
		t->next_thread = NULL;
		old_leader->state = TASK_DEAD;
		if (--old_leader->refcount == 0)
			task_free_locked(old_leader);
	}
	pthread_mutex_unlock(&tasklist_lock);
}

static void exec_commit(struct task *t, struct exec_image *im, struct mm *mm)
{
	const char *base = strrchr(im->filename, '/');
	struct mm *old = t->mm;
	pid_t new_tid = platform_current_tid();
	pid_t old_stub_tid = t->stub_tid;

	pthread_mutex_lock(&tasklist_lock);
	t->mm = mm;
	__atomic_store_n(&t->stub_tid, new_tid, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&tasklist_lock);
	/* Act as the tracer of the old stub thread while letting it go: a
	 * vfork-style child ends only its own stub process (the parent still
	 * uses the memory), anyone else kills and reaps the old stub. */
	if (old) {
		platform_set_current(old->as, old_stub_tid);
		if (__atomic_load_n(&old->users, __ATOMIC_SEQ_CST) > 1)
			platform_thread_exit(old->as);
		mm_put(old);
		platform_set_current(mm->as, new_tid);
	}
	fd_close_on_exec(t->files);
	if (__atomic_load_n(&t->sighand->users, __ATOMIC_SEQ_CST) > 1) {
		struct sighand *sh = sighand_copy(t->sighand);
		sighand_put(t->sighand);
		t->sighand = sh;
	}
	sighand_reset_for_exec(t->sighand);
	t->altstack.ss_sp = NULL;
	t->altstack.ss_size = 0;
	t->altstack.ss_flags = SS_DISABLE;
	t->clear_child_tid = 0;
	t->robust_list = 0;

	pthread_mutex_lock(&tasklist_lock);
	snprintf(t->comm, sizeof(t->comm), "%s",
		 base ? base + 1 : im->filename);
	if (t->vfork_parent) {
		t->vfork_done = true;
		t->vfork_parent = NULL;
		pthread_cond_broadcast(&tasklist_cond);
	}
	pthread_mutex_unlock(&tasklist_lock);
}

int do_execve(struct task *t, int dirfd, const char *filename, char **argv,
	      char **envp, int flags)
{
	struct exec_image im = {0};
	uint64_t entry = 0, sp = 0;
	struct mm *mm = NULL;
	int err;

	im.filename = xstrdup(filename);
	im.argv = strv_dup(argv);
	im.envp = strv_dup(envp);
	err = exec_resolve(t, dirfd, &im, flags);
	if (!err)
		err = exec_load_interp(t, &im);
	if (!err)
		err = exec_build_mm(t, &im, &mm, &entry, &sp);
	if (!err) {
		de_thread(t);
		exec_commit(t, &im, mm);
		exec_reset_regs(t, entry, sp);
		misc_task_exec(t);
	}
	exec_image_free(&im);
	return err;
}

static long sys_execve_common(struct task *t, int dirfd, uint64_t upath,
			      uint64_t uargv, uint64_t uenvp, int flags)
{
	char *path = NULL;
	char **argv = NULL, **envp = NULL;
	size_t total = 0;
	long err;

	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	err = getname(t, upath, &path, flags & AT_EMPTY_PATH);
	if (err < 0)
		return err;
	err = copy_strings(t, uargv, &argv, &total);
	if (!err)
		err = copy_strings(t, uenvp, &envp, &total);
	if (!err)
		err = do_execve(t, dirfd, path, argv, envp, flags);
	free(path);
	strv_free(argv);
	strv_free(envp);
	return err ? err : SYSCALL_NORETURN_REGS;
}

SYSCALL_DEFINE(SYS_execve, execve)
{
	return sys_execve_common(t, AT_FDCWD, args[0], args[1], args[2], 0);
}

SYSCALL_DEFINE(SYS_execveat, execveat)
{
	return sys_execve_common(t, (int)args[0], args[1], args[2], args[3],
				 (int)args[4]);
}
