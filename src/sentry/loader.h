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

/* An executable's ELF header, program headers and interpreter path. */
struct elf_image {
	Elf64_Ehdr ehdr;
	Elf64_Phdr phdrs[ELF_MAX_PHDRS];
	char interp[PATH_MAX];	       /* PT_INTERP path, or "" */
	uint64_t min_vaddr, max_vaddr; /* page-aligned span of PT_LOADs */
};

/* The addresses at which elf_map placed an image. */
struct elf_load {
	uint64_t bias; /* load address minus p_vaddr */
	uint64_t entry;
	uint64_t phdr; /* address of the program headers in memory */
	uint64_t end;  /* end of the highest segment (for brk) */
};

/* Validate the ELF header in the first len bytes of a file (pure) and
 * copy it to *ehdr. Returns 0 or -ENOEXEC. */
int elf_parse_header(const void *buf, size_t len, Elf64_Ehdr *ehdr);
/* Read and validate the headers and PT_INTERP path of file f. Returns 0,
 * -ENOEXEC for a malformed file, or the read error. */
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
