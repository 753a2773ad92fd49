/* The sentry's VMA list and the usercopy checks, on a real stub process:
 * every change must keep the list and the stub in agreement. */
#include "sentry/mm.h"
#include "sentry/task.h"
#include "common/util.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                            \
		}                                                              \
	} while (0)

#define PG   PAGE_SIZE
#define BASE 0x10000000UL

static int vma_count(struct mm *mm)
{
	int n = 0;

	for (struct vma *v = mm->vmas; v; v = v->next)
		n++;
	return n;
}

static long map_anon(struct mm *mm, uint64_t addr, uint64_t len, int prot,
		     int extra)
{
	return mm_mmap(mm, addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra,
		       NULL, 0);
}

static void test_mmap_split_merge(struct mm *mm)
{
	struct vma *v;

	CHECK(map_anon(mm, BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_FIXED) ==
	      (long)BASE);
	CHECK(vma_count(mm) == 1);

	/* mprotect of the middle splits into three, and back merges. */
	CHECK(mm_mprotect(mm, BASE + PG, 2 * PG, PROT_READ) == 0);
	CHECK(vma_count(mm) == 3);
	v = vma_find(mm, BASE + PG);
	CHECK(v && v->start == BASE + PG && v->end == BASE + 3 * PG);
	CHECK(v && v->prot == PROT_READ);
	CHECK(mm_mprotect(mm, BASE + PG, 2 * PG, PROT_READ | PROT_WRITE) == 0);
	CHECK(vma_count(mm) == 1);

	/* munmap of the middle leaves a hole. */
	CHECK(mm_munmap(mm, BASE + PG, PG) == 0);
	CHECK(vma_count(mm) == 2);
	CHECK(vma_find(mm, BASE + PG) == NULL);

	/* A fixed mapping over the hole joins the pieces again. */
	CHECK(map_anon(mm, BASE + PG, PG, PROT_READ | PROT_WRITE, MAP_FIXED) ==
	      (long)(BASE + PG));
	CHECK(vma_count(mm) == 1);
	CHECK(mm_munmap(mm, BASE, 4 * PG) == 0);
	CHECK(vma_count(mm) == 0);
}

static void test_mmap_errors(struct mm *mm)
{
	CHECK(map_anon(mm, 0, 0, PROT_READ, 0) == -EINVAL);
	CHECK(map_anon(mm, BASE + 1, PG, PROT_READ, MAP_FIXED) == -EINVAL);
	CHECK(map_anon(mm, PG, PG, PROT_READ, MAP_FIXED) == -EPERM);
	CHECK(map_anon(mm, TASK_SIZE, PG, PROT_READ, MAP_FIXED) == -ENOMEM);
	CHECK(map_anon(mm, 0, PG, 0x100, 0) == -EINVAL);
	CHECK(mm_mmap(mm, 0, PG, PROT_READ, MAP_ANONYMOUS, NULL, 0) == -EINVAL);
	CHECK(mm_munmap(mm, BASE + 1, PG) == -EINVAL);
	CHECK(mm_munmap(mm, BASE, 0) == -EINVAL);
	CHECK(mm_mprotect(mm, BASE, PG, PROT_READ) == -ENOMEM);
	CHECK(mm_mprotect(mm, BASE + 1, PG, PROT_READ) == -EINVAL);
	CHECK(mm_madvise(mm, BASE, PG, 12345) == -EINVAL);

	/* MAP_FIXED_NOREPLACE refuses an occupied range. */
	CHECK(map_anon(mm, BASE, PG, PROT_READ, MAP_FIXED) == (long)BASE);
	CHECK(map_anon(mm, BASE, PG, PROT_READ, MAP_FIXED_NOREPLACE) ==
	      -EEXIST);
	CHECK(mm_munmap(mm, BASE, PG) == 0);
}

static void test_mremap(struct mm *mm)
{
	long moved;

	CHECK(map_anon(mm, BASE, 2 * PG, PROT_READ | PROT_WRITE, MAP_FIXED) ==
	      (long)BASE);
	/* The same size is a no-op that returns the address. */
	CHECK(mm_mremap(mm, BASE, 2 * PG, 2 * PG, 0, 0) == (long)BASE);
	/* Grows in place while the space after it is free. */
	CHECK(mm_mremap(mm, BASE, 2 * PG, 4 * PG, 0, 0) == (long)BASE);
	CHECK(vma_find(mm, BASE + 3 * PG) != NULL);
	/* Blocked growth needs MREMAP_MAYMOVE. */
	CHECK(map_anon(mm, BASE + 4 * PG, PG, PROT_READ, MAP_FIXED) ==
	      (long)(BASE + 4 * PG));
	CHECK(mm_mremap(mm, BASE, 4 * PG, 8 * PG, 0, 0) == -ENOMEM);
	moved = mm_mremap(mm, BASE, 4 * PG, 8 * PG, MREMAP_MAYMOVE, 0);
	CHECK(moved > 0 && (uint64_t)moved != BASE);
	CHECK(vma_find(mm, BASE) == NULL);
	CHECK(moved > 0 && vma_find(mm, moved + 7 * PG) != NULL);
	/* Shrinking keeps the start. */
	CHECK(mm_mremap(mm, moved, 8 * PG, PG, 0, 0) == moved);
	CHECK(vma_find(mm, moved + PG) == NULL);
	CHECK(mm_mremap(mm, moved, PG, 0, MREMAP_MAYMOVE, 0) == -EINVAL);
	CHECK(mm_mremap(mm, moved + 1, PG, PG, 0, 0) == -EINVAL);
	CHECK(mm_munmap(mm, moved, PG) == 0);
	CHECK(mm_munmap(mm, BASE + 4 * PG, PG) == 0);
}

static void test_brk(struct mm *mm)
{
	mm->brk_start = mm->brk = 0x20000000UL;
	CHECK(mm_brk(mm, 0) == 0x20000000L);
	CHECK(mm_brk(mm, 0x20000000UL + 3 * PG + 5) ==
	      (long)(0x20000000UL + 3 * PG + 5));
	CHECK(vma_find(mm, 0x20000000UL + 3 * PG) != NULL);
	CHECK(mm_brk(mm, 0x20000000UL + PG) == (long)(0x20000000UL + PG));
	CHECK(vma_find(mm, 0x20000000UL + 2 * PG) == NULL);
	/* Below the start: the current break is returned unchanged. */
	CHECK(mm_brk(mm, 0x1000) == (long)(0x20000000UL + PG));
}

static void test_usercopy(struct mm *mm)
{
	struct task t = {0};
	char buf[64], name[16];

	t.mm = mm;
	CHECK(map_anon(mm, BASE, 2 * PG, PROT_READ | PROT_WRITE, MAP_FIXED) ==
	      (long)BASE);
	CHECK(map_anon(mm, BASE + 2 * PG, PG, PROT_READ, MAP_FIXED) ==
	      (long)(BASE + 2 * PG));

	CHECK(copy_to_user(&t, BASE + 10, "hello", 6) == 0);
	CHECK(copy_from_user(&t, buf, BASE + 10, 6) == 0);
	CHECK(strcmp(buf, "hello") == 0);
	/* Read-only, unmapped, partly mapped, stub pages, overflow. */
	CHECK(copy_to_user(&t, BASE + 2 * PG, "x", 1) == -EFAULT);
	CHECK(copy_from_user(&t, buf, BASE + 2 * PG, 1) == 0);
	CHECK(copy_from_user(&t, buf, BASE + 3 * PG - 8, 16) == -EFAULT);
	CHECK(copy_from_user(&t, buf, BASE - 8, 16) == -EFAULT);
	CHECK(copy_from_user(&t, buf, 1, 1) == -EFAULT);
	CHECK(copy_from_user(&t, buf, STUB_BASE, 8) == -EFAULT);
	CHECK(copy_from_user(&t, buf, UINT64_MAX - 4, 8) == -EFAULT);

	/* A string may end right before an unmapped page... */
	CHECK(copy_to_user(&t, BASE + 2 * PG - 3, "ab", 3) == 0);
	CHECK(strncpy_from_user(&t, name, BASE + 2 * PG - 3, sizeof(name)) ==
	      2);
	/* ...but not run into one. */
	memset(buf, 'z', sizeof(buf));
	CHECK(mm_mprotect(mm, BASE + 2 * PG, PG, PROT_NONE) == 0);
	CHECK(copy_to_user(&t, BASE + 2 * PG - 4, buf, 4) == 0);
	CHECK(strncpy_from_user(&t, name, BASE + 2 * PG - 4, sizeof(name)) ==
	      -EFAULT);
	CHECK(copy_to_user(&t, BASE, buf, 40) == 0);
	CHECK(strncpy_from_user(&t, name, BASE, sizeof(name)) == -ENAMETOOLONG);
	CHECK(mm_munmap(mm, BASE, 3 * PG) == 0);
}

static void test_maps_format(struct mm *mm)
{
	char *maps;

	CHECK(map_anon(mm, BASE, PG, PROT_READ | PROT_EXEC, MAP_FIXED) ==
	      (long)BASE);
	maps = mm_format_maps(mm);
	CHECK(strstr(maps, "10000000-10001000 r-xp 00000000 00:00 0") != NULL);
	free(maps);
	CHECK(mm_munmap(mm, BASE, PG) == 0);
}

int main(void)
{
	struct platform_as *as = NULL;
	struct mm *mm;

	if (platform_as_create(&as) != 0) {
		printf("FAIL: cannot create a stub process\n");
		return 1;
	}
	mm = mm_create(as);
	test_mmap_split_merge(mm);
	test_mmap_errors(mm);
	test_mremap(mm);
	test_brk(mm);
	test_usercopy(mm);
	test_maps_format(mm);
	mm_put(mm);
	printf("test_mm_vma: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
