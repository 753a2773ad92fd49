/* The initial stack of a new image: argc, argv, envp, the auxiliary
 * vector and the strings they point to, laid out as the x86-64 ABI and
 * Linux's binfmt_elf do. */
#include "sentry/loader.h"
#include "sentry/mm.h"
#include "sentry/task.h"
#include "common/util.h"

#include <cpuid.h>
#include <string.h>
#include <sys/random.h>

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

/* A downward-growing buffer mirroring the top of the new stack. */
struct stack_builder {
	struct mm *mm;
	uint64_t top; /* address of the end of buf */
	uint64_t sp;  /* current lowest address used */
	char *buf;
	size_t size;
};

static uint64_t push_bytes(struct stack_builder *sb, const void *p, size_t n)
{
	sb->sp -= n;
	memcpy(sb->buf + (sb->sp - (sb->top - sb->size)), p, n);
	return sb->sp;
}

static uint64_t push_string(struct stack_builder *sb, const char *s)
{
	return push_bytes(sb, s, strlen(s) + 1);
}

static uint64_t hwcap(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	return d;
}

long setup_stack(struct task *t, struct mm *mm, const struct exec_args *a,
		 const struct elf_load *exe, const struct elf_load *interp,
		 uint16_t phnum)
{
	struct stack_builder sb;
	uint64_t *argv_addrs, *envp_addrs;
	uint64_t execfn, platform, random_addr;
	uint64_t auxv[64];
	unsigned char rnd[16];
	int na = 0;
	size_t strings = 0, words;
	uint64_t *table;
	long err;

	for (int i = 0; i < a->argc; i++)
		strings += strlen(a->argv[i]) + 1;
	for (int i = 0; i < a->envc; i++)
		strings += strlen(a->envp[i]) + 1;
	strings += strlen(a->execfn) + 1 + 64;
	if (strings > (2UL << 20))
		return -E2BIG;

	sb.mm = mm;
	sb.top = mm->stack_top;
	sb.size = strings + (a->argc + a->envc + 64) * 8 + 256;
	sb.size = ALIGN_UP(sb.size, 16);
	sb.buf = xcalloc(1, sb.size);
	sb.sp = sb.top;

	execfn = push_string(&sb, a->execfn);
	envp_addrs = xcalloc(a->envc + 1, 8);
	argv_addrs = xcalloc(a->argc + 1, 8);
	mm->env_end = sb.sp;
	for (int i = a->envc - 1; i >= 0; i--)
		envp_addrs[i] = push_string(&sb, a->envp[i]);
	mm->env_start = sb.sp;
	mm->arg_end = sb.sp;
	for (int i = a->argc - 1; i >= 0; i--)
		argv_addrs[i] = push_string(&sb, a->argv[i]);
	mm->arg_start = sb.sp;
	platform = push_string(&sb, "x86_64");
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		memset(rnd, 0x5a, sizeof(rnd));
	random_addr = push_bytes(&sb, rnd, sizeof(rnd));
	sb.sp = ALIGN_DOWN(sb.sp, 16);

#define AUX(k, v)                                                              \
	do {                                                                   \
		auxv[na++] = (k);                                              \
		auxv[na++] = (v);                                              \
	} while (0)
	AUX(AT_HWCAP, hwcap());
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PHDR, exe->phdr);
	AUX(AT_PHENT, sizeof(Elf64_Phdr));
	AUX(AT_PHNUM, phnum);
	AUX(AT_BASE, interp ? interp->bias : 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, exe->entry);
	AUX(AT_UID, t->cred.uid);
	AUX(AT_EUID, t->cred.euid);
	AUX(AT_GID, t->cred.gid);
	AUX(AT_EGID, t->cred.egid);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random_addr);
	AUX(AT_HWCAP2, 0);
	AUX(AT_EXECFN, execfn);
	AUX(AT_PLATFORM, platform);
	AUX(AT_MINSIGSTKSZ, 2048);
	AUX(AT_NULL, 0);
#undef AUX
	memcpy(mm->auxv, auxv, na * 8);
	mm->auxv_len = na;

	/* argc, argv[], NULL, envp[], NULL, auxv: keep the final sp 16-byte
	 * aligned as the ABI requires at process entry. */
	words = 1 + a->argc + 1 + a->envc + 1 + na;
	if ((sb.sp - words * 8) % 16)
		sb.sp -= 8;
	table = xcalloc(words, 8);
	{
		size_t w = 0;
		table[w++] = a->argc;
		for (int i = 0; i < a->argc; i++)
			table[w++] = argv_addrs[i];
		table[w++] = 0;
		for (int i = 0; i < a->envc; i++)
			table[w++] = envp_addrs[i];
		table[w++] = 0;
		memcpy(&table[w], auxv, na * 8);
	}
	push_bytes(&sb, table, words * 8);

	err = access_remote(mm, sb.sp, sb.buf + (sb.sp - (sb.top - sb.size)),
			    sb.top - sb.sp, true);
	free(table);
	free(argv_addrs);
	free(envp_addrs);
	free(sb.buf);
	return err ? err : (long)sb.sp;
}
