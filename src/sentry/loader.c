/* ELF parsing and mapping for execve.
 *
 * Trust boundary: the executable is application data. Every header field
 * is checked before it is used as a size, an offset or an address: a bad
 * file gives -ENOEXEC (or -EINVAL/-ENOMEM like Linux), never a crash.
 */
#include "sentry/loader.h"
#include "sentry/file.h"
#include "sentry/mm.h"
#include "sentry/vfs.h"
#include "common/util.h"

#include <string.h>
#include <sys/mman.h>

/* Where ET_DYN main executables go, as on Linux without randomisation. */
#define ELF_ET_DYN_BASE 0x555555554000UL

int elf_parse_header(const void *buf, size_t len, Elf64_Ehdr *ehdr)
{
	if (len < sizeof(*ehdr))
		return -ENOEXEC;
	memcpy(ehdr, buf, sizeof(*ehdr));
	if (memcmp(ehdr->e_ident, ELFMAG, SELFMAG) != 0)
		return -ENOEXEC;
	if (ehdr->e_ident[EI_CLASS] != ELFCLASS64 ||
	    ehdr->e_ident[EI_DATA] != ELFDATA2LSB ||
	    ehdr->e_machine != EM_X86_64)
		return -ENOEXEC;
	if (ehdr->e_type != ET_EXEC && ehdr->e_type != ET_DYN)
		return -ENOEXEC;
	if (ehdr->e_phentsize != sizeof(Elf64_Phdr) || ehdr->e_phnum == 0 ||
	    ehdr->e_phnum > ELF_MAX_PHDRS)
		return -ENOEXEC;
	return 0;
}

int elf_check_phdrs(struct elf_image *img)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	int nload = 0;

	for (int i = 0; i < img->ehdr.e_phnum; i++) {
		const Elf64_Phdr *ph = &img->phdrs[i];
		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_filesz > ph->p_memsz ||
		    ph->p_vaddr + ph->p_memsz < ph->p_vaddr ||
		    ph->p_vaddr + ph->p_memsz > TASK_SIZE ||
		    ph->p_offset + ph->p_filesz < ph->p_offset ||
		    (ph->p_vaddr % PAGE_SIZE) != (ph->p_offset % PAGE_SIZE))
			return -ENOEXEC;
		lo = MIN(lo, ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE));
		hi = MAX(hi, ALIGN_UP(ph->p_vaddr + ph->p_memsz, PAGE_SIZE));
		nload++;
	}
	if (nload == 0)
		return -ENOEXEC;
	img->min_vaddr = lo;
	img->max_vaddr = hi;
	return 0;
}

static int elf_read_interp(struct file *f, struct elf_image *img,
			   const Elf64_Phdr *ph)
{
	long n;

	if (ph->p_filesz < 2 || ph->p_filesz > PATH_MAX)
		return -ENOEXEC;
	n = vfs_pread(f, img->interp, ph->p_filesz, ph->p_offset);
	if (n != (long)ph->p_filesz)
		return n < 0 ? (int)n : -EIO;
	if (img->interp[ph->p_filesz - 1] != '\0' ||
	    strlen(img->interp) != ph->p_filesz - 1)
		return -ENOEXEC;
	return 0;
}

int elf_parse_file(struct file *f, struct elf_image *img)
{
	char buf[sizeof(Elf64_Ehdr)];
	size_t phsize;
	long n;
	int err;

	memset(img, 0, sizeof(*img));
	n = vfs_pread(f, buf, sizeof(buf), 0);
	if (n < 0)
		return (int)n;
	err = elf_parse_header(buf, n, &img->ehdr);
	if (err)
		return err;
	phsize = (size_t)img->ehdr.e_phnum * sizeof(Elf64_Phdr);
	n = vfs_pread(f, img->phdrs, phsize, img->ehdr.e_phoff);
	if (n != (long)phsize)
		return n < 0 ? (int)n : -ENOEXEC;
	for (int i = 0; i < img->ehdr.e_phnum; i++) {
		if (img->phdrs[i].p_type != PT_INTERP)
			continue;
		err = elf_read_interp(f, img, &img->phdrs[i]);
		if (err)
			return err;
		break;
	}
	return elf_check_phdrs(img);
}

static int elf_prot(uint32_t flags)
{
	return (flags & PF_R ? PROT_READ : 0) |
	       (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/* Map one PT_LOAD segment at bias. */
static int elf_map_segment(struct mm *mm, struct file *f, const Elf64_Phdr *ph,
			   uint64_t bias)
{
	uint64_t start = ALIGN_DOWN(bias + ph->p_vaddr, PAGE_SIZE);
	uint64_t file_end = bias + ph->p_vaddr + ph->p_filesz;
	uint64_t mem_end =
	    ALIGN_UP(bias + ph->p_vaddr + ph->p_memsz, PAGE_SIZE);
	uint64_t file_map_end = ALIGN_UP(file_end, PAGE_SIZE);
	int prot = elf_prot(ph->p_flags);
	long r;

	if (ph->p_filesz > 0) {
		r = mm_mmap(mm, start, file_map_end - start, prot,
			    MAP_PRIVATE | MAP_FIXED, f,
			    ALIGN_DOWN(ph->p_offset, PAGE_SIZE));
		if (r < 0)
			return (int)r;
		/* The rest of the last file page belongs to .bss. */
		if (ph->p_memsz > ph->p_filesz && file_end < file_map_end) {
			size_t n = file_map_end - file_end;
			char *zeros = xcalloc(1, n);
			int err = access_remote(mm, file_end, zeros, n, true);
			free(zeros);
			if (err)
				return err;
		}
	} else {
		file_map_end = start;
	}
	if (mem_end > file_map_end) {
		r = mm_mmap(mm, file_map_end, mem_end - file_map_end, prot,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
		if (r < 0)
			return (int)r;
	}
	return 0;
}

static uint64_t elf_phdr_addr(const struct elf_image *img, uint64_t bias)
{
	for (int i = 0; i < img->ehdr.e_phnum; i++)
		if (img->phdrs[i].p_type == PT_PHDR)
			return bias + img->phdrs[i].p_vaddr;
	/* No PT_PHDR: find the PT_LOAD that contains the headers. */
	for (int i = 0; i < img->ehdr.e_phnum; i++) {
		const Elf64_Phdr *ph = &img->phdrs[i];
		if (ph->p_type == PT_LOAD &&
		    ph->p_offset <= img->ehdr.e_phoff &&
		    img->ehdr.e_phoff < ph->p_offset + ph->p_filesz)
			return bias + ph->p_vaddr + img->ehdr.e_phoff -
			       ph->p_offset;
	}
	return 0;
}

int elf_map(struct mm *mm, struct file *f, const struct elf_image *img,
	    bool is_interp, struct elf_load *out)
{
	uint64_t span = img->max_vaddr - img->min_vaddr;
	uint64_t bias = 0;
	long r;

	if (img->ehdr.e_type == ET_DYN) {
		/* Reserve the whole span so segments keep their distances,
		 * then map each segment over the reservation. */
		uint64_t hint = is_interp ? 0 : ELF_ET_DYN_BASE;
		r = mm_mmap(mm, hint, span, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
		if (r < 0)
			return (int)r;
		bias = (uint64_t)r - img->min_vaddr;
	}
	out->end = 0;
	for (int i = 0; i < img->ehdr.e_phnum; i++) {
		const Elf64_Phdr *ph = &img->phdrs[i];
		int err;
		if (ph->p_type != PT_LOAD)
			continue;
		err = elf_map_segment(mm, f, ph, bias);
		if (err)
			return err;
		out->end = MAX(out->end, bias + ph->p_vaddr + ph->p_memsz);
	}
	out->bias = bias;
	out->entry = bias + img->ehdr.e_entry;
	out->phdr = elf_phdr_addr(img, bias);
	return 0;
}
