/* The sentry's ELF loader: maps an executable and its interpreter into a
 * fresh mm and builds the initial stack. */
#ifndef MOAT_SENTRY_LOADER_H
#define MOAT_SENTRY_LOADER_H

#include <elf.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct file;
struct mm;
struct task;

#define ELF_MAX_PHDRS 128

/* What parsing an ELF header and its program headers found. */
struct elf_image {
	Elf64_Ehdr ehdr;
	Elf64_Phdr phdrs[ELF_MAX_PHDRS];
	char interp[PATH_MAX];	       /* PT_INTERP path, or "" */
	uint64_t min_vaddr, max_vaddr; /* page-aligned span of PT_LOADs */
};

/* Where the image landed. */
struct elf_load {
	uint64_t bias; /* load address minus p_vaddr */
	uint64_t entry;
	uint64_t phdr; /* address of the program headers in memory */
	uint64_t end;  /* end of the highest segment (for brk) */
};

/* Validate an ELF header and program headers read from a file (pure:
 * buf holds the first len bytes of the file; phdrs that lie beyond len
 * are read by elf_parse_file). Returns 0 or -ENOEXEC/-EINVAL/-EIO. */
int elf_parse_header(const void *buf, size_t len, Elf64_Ehdr *ehdr);
int elf_parse_file(struct file *f, struct elf_image *img);
/* Check the PT_LOAD headers of img (pure) and compute its span. */
int elf_check_phdrs(struct elf_image *img);
int elf_map(struct mm *mm, struct file *f, const struct elf_image *img,
	    bool is_interp, struct elf_load *out);

struct exec_args {
	char **argv;
	char **envp;
	int argc, envc;
	const char *execfn; /* the path given to execve */
};

/* Build the stack of a new image; returns the initial rsp. */
long setup_stack(struct task *t, struct mm *mm, const struct exec_args *a,
		 const struct elf_load *exe, const struct elf_load *interp,
		 uint16_t phnum);

#endif
