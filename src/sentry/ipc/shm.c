/* System V shared memory: shmget, shmat, shmdt and shmctl.
 *
 * A segment's memory is a host memfd owned by a sentry file. shmat maps
 * that file with mm_mmap as a MAP_SHARED mapping, so fork shares the
 * memory as it shares any shared file mapping. Each VMA of an attach
 * holds a reference to the file, and the table holds one more, so the
 * number of attaches (shm_nattch) is the file's reference count minus
 * one. NOTE: a VMA split by a partial munmap or mprotect counts twice,
 * where Linux counts each attach once.
 *
 * A segment removed with IPC_RMID while attached keeps its ID, with
 * SHM_DEST set and the key cleared, until its last attach goes. The
 * next shm call after that frees it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "sentry/file.h"
#include "sentry/ipc/ipc.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

/* Linux's defaults (include/uapi/linux/shm.h). */
#define SHM_MIN_SIZE	 1
#define SHM_MAX_SIZE	 (ULONG_MAX - (1UL << 24))
#define SHM_MAX_SEGMENTS 4096
#define SHM_PAGE	 4096UL /* SHMLBA on x86-64 */

struct shm_segment {
	struct ipc_perm_state perm; /* first, for the ipc_table helpers */
	size_t size;
	struct file *file; /* the table's reference */
	pid_t cpid, lpid;
	time_t atime, dtime, ctime;
};

/* shm_lock protects shm_table and every segment. It is never held while
 * calling mm functions, which take mm->lock. */
static pthread_mutex_t shm_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ipc_table shm_table = {.max = SHM_MAX_SEGMENTS};

static int shm_mmap_fd(struct file *f, int *hostfd, bool shared_write)
{
	*hostfd = f->host_fd;
	return 0;
}

static int shm_file_stat(struct file *f, struct stat *st)
{
	return fstat(f->host_fd, st) < 0 ? neg_errno() : 0;
}

static const struct file_operations shm_fops = {
    .mmap_fd = shm_mmap_fd,
    .stat = shm_file_stat,
};

static int shm_nattch(struct shm_segment *seg)
{
	return __atomic_load_n(&seg->file->refcount, __ATOMIC_ACQUIRE) - 1;
}

/* Free the removed segments that nothing attaches any more (shm_lock
 * held). */
static void shm_reap(void)
{
	for (int i = 0; i < shm_table.nslots; i++) {
		struct shm_segment *seg = shm_table.slots[i];

		if (!seg || !(seg->perm.mode & SHM_DEST) || shm_nattch(seg))
			continue;
		shm_table.slots[i] = NULL;
		shm_table.count--;
		file_put(seg->file);
		free(seg);
	}
}

static void shm_destroy(struct shm_segment *seg, int id)
{
	ipc_remove(&shm_table, id);
	file_put(seg->file);
	free(seg);
}

static long shm_create(struct task *t, key_t key, size_t size, int flags)
{
	struct shm_segment *seg;
	int fd, id;

	if (size < SHM_MIN_SIZE || size > SHM_MAX_SIZE)
		return -EINVAL;
	fd = memfd_create("moat-sysv-shm", MFD_CLOEXEC);
	if (fd < 0)
		return neg_errno();
	if (ftruncate(fd, size) < 0) {
		int err = neg_errno();

		close(fd);
		return err;
	}
	seg = xcalloc(1, sizeof(*seg));
	ipc_init_perm(t, &seg->perm, key, flags);
	seg->size = size;
	seg->file = file_alloc(&shm_fops, O_RDWR, fd, seg);
	seg->cpid = t->tg->tgid;
	seg->ctime = ipc_now();
	id = ipc_add(&shm_table, seg);
	if (id < 0) {
		file_put(seg->file);
		free(seg);
	}
	return id;
}

SYSCALL_DEFINE(SYS_shmget, shmget)
{
	key_t key = (key_t)args[0];
	size_t size = args[1];
	int flags = (int)args[2];
	struct shm_segment *seg;
	long ret;

	pthread_mutex_lock(&shm_lock);
	shm_reap();
	seg = key == IPC_PRIVATE ? NULL : ipc_find_key(&shm_table, key);
	if (!seg) {
		if (key != IPC_PRIVATE && !(flags & IPC_CREAT))
			ret = -ENOENT;
		else
			ret = shm_create(t, key, size, flags);
	} else if ((flags & IPC_CREAT) && (flags & IPC_EXCL)) {
		ret = -EEXIST;
	} else {
		ret = ipc_check_perm(t, &seg->perm, flags);
		if (ret == 0 && seg->size < size)
			ret = -EINVAL;
		if (ret == 0)
			ret = ipc_id_of(&shm_table, seg);
	}
	pthread_mutex_unlock(&shm_lock);
	return ret;
}

SYSCALL_DEFINE(SYS_shmat, shmat)
{
	int id = (int)args[0];
	uint64_t addr = args[1];
	int flags = (int)args[2];
	int prot = PROT_READ, mflags = MAP_SHARED;
	unsigned need = SHM_R;
	struct shm_segment *seg;
	struct file *file;
	size_t size;
	long ret;

	if (addr & (SHM_PAGE - 1)) {
		if (!(flags & SHM_RND))
			return -EINVAL;
		addr &= ~(SHM_PAGE - 1);
	}
	if (addr)
		mflags |= (flags & SHM_REMAP) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	else if (flags & SHM_REMAP)
		return -EINVAL;
	if (!(flags & SHM_RDONLY)) {
		prot |= PROT_WRITE;
		need |= SHM_W;
	}
	if (flags & SHM_EXEC)
		prot |= PROT_EXEC;

	pthread_mutex_lock(&shm_lock);
	shm_reap();
	seg = ipc_find_id(&shm_table, id);
	if (!seg) {
		pthread_mutex_unlock(&shm_lock);
		return -EINVAL;
	}
	ret = ipc_check_perm(t, &seg->perm, need);
	if (ret < 0) {
		pthread_mutex_unlock(&shm_lock);
		return ret;
	}
	/* Hold the file so IPC_RMID cannot free it while mapping. */
	file = seg->file;
	file_get(file);
	size = seg->size;
	pthread_mutex_unlock(&shm_lock);

	/* NOTE: an SHM_RDONLY attach can later be made writable with
	 * mprotect, which Linux rejects with EACCES. */
	ret = mm_mmap(t->mm, addr, size, prot, mflags, file, 0);
	/* Linux reports an overlap with an existing mapping as EINVAL. */
	if (ret == -EEXIST)
		ret = -EINVAL;
	if (ret >= 0) {
		pthread_mutex_lock(&shm_lock);
		seg = ipc_find_id(&shm_table, id);
		if (seg && seg->file == file) {
			seg->atime = ipc_now();
			seg->lpid = t->tg->tgid;
		}
		pthread_mutex_unlock(&shm_lock);
	}
	file_put(file);
	return ret;
}

SYSCALL_DEFINE(SYS_shmdt, shmdt)
{
	uint64_t addr = args[0], end;
	struct mm *mm = t->mm;
	struct shm_segment *seg;
	struct file *file = NULL;
	struct vma *v;
	struct {
		uint64_t start, end;
	} ranges[64];
	int n = 0;

	if (addr & (SHM_PAGE - 1))
		return -EINVAL;

	/* Unmap every VMA of the segment attached at addr, within the
	 * segment's size from addr, as Linux does. */
	pthread_mutex_lock(&mm->lock);
	v = vma_find(mm, addr);
	if (v && v->start == addr && v->file && v->file->f_op == &shm_fops &&
	    v->pgoff == 0) {
		file = v->file;
		seg = file->private_data;
		end = addr + ((seg->size + SHM_PAGE - 1) & ~(SHM_PAGE - 1));
		for (; v && v->start < end && n < 64; v = v->next)
			if (v->file == file)
				ranges[n].start = v->start,
				ranges[n++].end = v->end < end ? v->end : end;
	}
	pthread_mutex_unlock(&mm->lock);
	if (!file)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		mm_munmap(mm, ranges[i].start, ranges[i].end - ranges[i].start);

	pthread_mutex_lock(&shm_lock);
	for (int i = 0; i < shm_table.nslots; i++) {
		seg = shm_table.slots[i];
		if (seg && seg->file == file) {
			seg->dtime = ipc_now();
			seg->lpid = t->tg->tgid;
		}
	}
	shm_reap();
	pthread_mutex_unlock(&shm_lock);
	return 0;
}

static void shm_fill_stat(struct shm_segment *seg, struct shmid_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&seg->perm, &ds->shm_perm);
	ds->shm_segsz = seg->size;
	ds->shm_atime = seg->atime;
	ds->shm_dtime = seg->dtime;
	ds->shm_ctime = seg->ctime;
	ds->shm_cpid = seg->cpid;
	ds->shm_lpid = seg->lpid;
	ds->shm_nattch = shm_nattch(seg);
}

SYSCALL_DEFINE(SYS_shmctl, shmctl)
{
	int id = (int)args[0], cmd = (int)args[1];
	struct shm_segment *seg;
	struct shmid_ds ds;
	long ret = 0;

	if (cmd == IPC_SET && copy_from_user(t, &ds, args[2], sizeof(ds)) < 0)
		return -EFAULT;

	pthread_mutex_lock(&shm_lock);
	shm_reap();
	seg = ipc_find_id(&shm_table, id);
	if (!seg) {
		pthread_mutex_unlock(&shm_lock);
		return -EINVAL;
	}
	switch (cmd) {
	case IPC_STAT:
		ret = ipc_check_perm(t, &seg->perm, SHM_R);
		if (ret == 0)
			shm_fill_stat(seg, &ds);
		break;
	case IPC_SET:
		ret = ipc_check_owner(t, &seg->perm);
		if (ret == 0) {
			ipc_set_perm(&seg->perm, &ds.shm_perm);
			seg->ctime = ipc_now();
		}
		break;
	case IPC_RMID:
		ret = ipc_check_owner(t, &seg->perm);
		if (ret < 0)
			break;
		if (shm_nattch(seg) == 0) {
			shm_destroy(seg, id);
		} else {
			seg->perm.mode |= SHM_DEST;
			seg->perm.key = IPC_PRIVATE;
		}
		break;
	case SHM_LOCK:
	case SHM_UNLOCK:
		/* The sentry does not lock the pages, so only the flag
		 * changes. */
		ret = capable(t) ? 0 : ipc_check_owner(t, &seg->perm);
		if (ret == 0 && cmd == SHM_LOCK)
			seg->perm.mode |= SHM_LOCKED;
		else if (ret == 0)
			seg->perm.mode &= ~SHM_LOCKED;
		break;
	default:
		/* NOTE: IPC_INFO, SHM_INFO, SHM_STAT and SHM_STAT_ANY are
		 * not implemented. */
		ret = -EINVAL;
		break;
	}
	pthread_mutex_unlock(&shm_lock);
	if (ret == 0 && cmd == IPC_STAT &&
	    copy_to_user(t, args[2], &ds, sizeof(ds)) < 0)
		return -EFAULT;
	return ret;
}
