/* ELF header and program header validation of the sentry's loader, on
 * real binaries from the host and on corrupted copies of them. */
#include "sentry/loader.h"
#include "platform/platform.h"
#include "common/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                            \
		}                                                              \
	} while (0)

/* Read a binary's ELF header and program headers like elf_parse_file. */
static int load_image(const char *path, struct elf_image *img)
{
	unsigned char buf[sizeof(Elf64_Ehdr)];
	int fd = open(path, O_RDONLY);
	int err;

	memset(img, 0, sizeof(*img));
	if (fd < 0)
		return -errno;
	if (pread(fd, buf, sizeof(buf), 0) != sizeof(buf)) {
		close(fd);
		return -EIO;
	}
	err = elf_parse_header(buf, sizeof(buf), &img->ehdr);
	if (!err)
		pread(fd, img->phdrs, img->ehdr.e_phnum * sizeof(Elf64_Phdr),
		      img->ehdr.e_phoff);
	close(fd);
	return err;
}

static void test_real_binaries(void)
{
	struct elf_image img;

	CHECK(load_image("/bin/true", &img) == 0);
	CHECK(img.ehdr.e_type == ET_DYN);
	CHECK(elf_check_phdrs(&img) == 0);
	CHECK(img.min_vaddr == 0);
	CHECK(img.max_vaddr > img.min_vaddr);
	CHECK(img.max_vaddr % PAGE_SIZE == 0);
}

static void test_bad_headers(void)
{
	unsigned char buf[sizeof(Elf64_Ehdr)];
	Elf64_Ehdr ehdr, *h = (Elf64_Ehdr *)buf;
	int fd = open("/bin/true", O_RDONLY);

	CHECK(fd >= 0);
	CHECK(pread(fd, buf, sizeof(buf), 0) == sizeof(buf));
	close(fd);

	CHECK(elf_parse_header(buf, sizeof(buf) - 1, &ehdr) == -ENOEXEC);
	CHECK(elf_parse_header("#!/bin/sh\n", 10, &ehdr) == -ENOEXEC);

	h->e_ident[EI_CLASS] = ELFCLASS32;
	CHECK(elf_parse_header(buf, sizeof(buf), &ehdr) == -ENOEXEC);
	h->e_ident[EI_CLASS] = ELFCLASS64;
	CHECK(elf_parse_header(buf, sizeof(buf), &ehdr) == 0);

	h->e_machine = EM_AARCH64;
	CHECK(elf_parse_header(buf, sizeof(buf), &ehdr) == -ENOEXEC);
	h->e_machine = EM_X86_64;

	h->e_type = ET_REL;
	CHECK(elf_parse_header(buf, sizeof(buf), &ehdr) == -ENOEXEC);
	h->e_type = ET_DYN;

	h->e_phnum = 0;
	CHECK(elf_parse_header(buf, sizeof(buf), &ehdr) == -ENOEXEC);
	h->e_phnum = ELF_MAX_PHDRS + 1;
	CHECK(elf_parse_header(buf, sizeof(buf), &ehdr) == -ENOEXEC);
	h->e_phnum = 4;
	h->e_phentsize = 32;
	CHECK(elf_parse_header(buf, sizeof(buf), &ehdr) == -ENOEXEC);
}

/* The first PT_LOAD of img, for corrupting. */
static Elf64_Phdr *first_load(struct elf_image *img)
{
	for (int i = 0; i < img->ehdr.e_phnum; i++)
		if (img->phdrs[i].p_type == PT_LOAD)
			return &img->phdrs[i];
	return NULL;
}

static void test_bad_phdrs(void)
{
	struct elf_image img;
	Elf64_Phdr *ph;

	CHECK(load_image("/bin/true", &img) == 0);
	ph = first_load(&img);
	CHECK(ph != NULL);
	if (!ph)
		return;

	Elf64_Phdr saved = *ph;
	ph->p_filesz = ph->p_memsz + 1;
	CHECK(elf_check_phdrs(&img) == -ENOEXEC);
	*ph = saved;

	ph->p_vaddr = UINT64_MAX - 10;
	CHECK(elf_check_phdrs(&img) == -ENOEXEC);
	*ph = saved;

	ph->p_vaddr = TASK_SIZE;
	CHECK(elf_check_phdrs(&img) == -ENOEXEC);
	*ph = saved;

	/* File offset and address must agree modulo the page size. */
	ph->p_offset += 1;
	CHECK(elf_check_phdrs(&img) == -ENOEXEC);
	*ph = saved;

	ph->p_offset = UINT64_MAX - 1;
	ph->p_filesz = 16;
	CHECK(elf_check_phdrs(&img) == -ENOEXEC);
	*ph = saved;

	for (int i = 0; i < img.ehdr.e_phnum; i++)
		if (img.phdrs[i].p_type == PT_LOAD)
			img.phdrs[i].p_type = PT_NOTE;
	CHECK(elf_check_phdrs(&img) == -ENOEXEC);
}

int main(void)
{
	test_real_binaries();
	test_bad_headers();
	test_bad_phdrs();
	printf("test_loader_elf: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
