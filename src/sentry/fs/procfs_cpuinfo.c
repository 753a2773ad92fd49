/* /proc/cpuinfo, synthesised with the cpuid instruction because the
 * sentry cannot read the host's copy. One block per CPU the sentry may
 * run on (sched_getaffinity), in the layout of Linux's x86 cpuinfo.
 * Flag names are those of Linux's arch/x86/include/asm/cpufeatures.h
 * for the bits listed here; unlisted bits are not shown. */
#include <cpuid.h>
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "common/util.h"
#include "sentry/fs/procfs.h"

struct cpuid_regs {
	unsigned eax, ebx, ecx, edx;
};

struct cpu_flag {
	int bit;
	const char *name;
};

static const struct cpu_flag leaf1_edx[] = {
    {0, "fpu"},	 {1, "vme"},	{2, "de"},	 {3, "pse"},   {4, "tsc"},
    {5, "msr"},	 {6, "pae"},	{7, "mce"},	 {8, "cx8"},   {9, "apic"},
    {11, "sep"}, {12, "mtrr"},	{13, "pge"},	 {14, "mca"},  {15, "cmov"},
    {16, "pat"}, {17, "pse36"}, {19, "clflush"}, {21, "dts"},  {22, "acpi"},
    {23, "mmx"}, {24, "fxsr"},	{25, "sse"},	 {26, "sse2"}, {27, "ss"},
    {28, "ht"},	 {29, "tm"},	{31, "pbe"},
};

static const struct cpu_flag leaf1_ecx[] = {
    {0, "pni"},
    {1, "pclmulqdq"},
    {2, "dtes64"},
    {3, "monitor"},
    {4, "ds_cpl"},
    {5, "vmx"},
    {6, "smx"},
    {7, "est"},
    {8, "tm2"},
    {9, "ssse3"},
    {11, "sdbg"},
    {12, "fma"},
    {13, "cx16"},
    {14, "xtpr"},
    {15, "pdcm"},
    {17, "pcid"},
    {18, "dca"},
    {19, "sse4_1"},
    {20, "sse4_2"},
    {21, "x2apic"},
    {22, "movbe"},
    {23, "popcnt"},
    {24, "tsc_deadline_timer"},
    {25, "aes"},
    {26, "xsave"},
    {28, "avx"},
    {29, "f16c"},
    {30, "rdrand"},
    {31, "hypervisor"},
};

static const struct cpu_flag ext1_edx[] = {
    {11, "syscall"}, {20, "nx"},     {22, "mmxext"}, {25, "fxsr_opt"},
    {26, "pdpe1gb"}, {27, "rdtscp"}, {29, "lm"},
};

static const struct cpu_flag ext1_ecx[] = {
    {0, "lahf_lm"},	{1, "cmp_legacy"},  {2, "svm"},
    {3, "extapic"},	{4, "cr8_legacy"},  {5, "abm"},
    {6, "sse4a"},	{7, "misalignsse"}, {8, "3dnowprefetch"},
    {9, "osvw"},	{10, "ibs"},	    {11, "xop"},
    {12, "skinit"},	{13, "wdt"},	    {15, "lwp"},
    {16, "fma4"},	{17, "tce"},	    {19, "nodeid_msr"},
    {21, "tbm"},	{22, "topoext"},    {23, "perfctr_core"},
    {24, "perfctr_nb"}, {26, "bpext"},	    {28, "perfctr_llc"},
    {29, "mwaitx"},
};

static const struct cpu_flag leaf7_ebx[] = {
    {0, "fsgsbase"},  {1, "tsc_adjust"},  {2, "sgx"},	      {3, "bmi1"},
    {4, "hle"},	      {5, "avx2"},	  {7, "smep"},	      {8, "bmi2"},
    {9, "erms"},      {10, "invpcid"},	  {11, "rtm"},	      {14, "mpx"},
    {16, "avx512f"},  {17, "avx512dq"},	  {18, "rdseed"},     {19, "adx"},
    {20, "smap"},     {21, "avx512ifma"}, {23, "clflushopt"}, {24, "clwb"},
    {25, "intel_pt"}, {26, "avx512pf"},	  {27, "avx512er"},   {28, "avx512cd"},
    {29, "sha_ni"},   {30, "avx512bw"},	  {31, "avx512vl"},
};

static const struct cpu_flag leaf7_ecx[] = {
    {1, "avx512vbmi"},	 {2, "umip"},		{3, "pku"},
    {4, "ospke"},	 {5, "waitpkg"},	{6, "avx512_vbmi2"},
    {8, "gfni"},	 {9, "vaes"},		{10, "vpclmulqdq"},
    {11, "avx512_vnni"}, {12, "avx512_bitalg"}, {14, "avx512_vpopcntdq"},
    {16, "la57"},	 {22, "rdpid"},		{25, "cldemote"},
    {27, "movdiri"},	 {28, "movdir64b"},
};

static const struct cpu_flag leaf7_edx[] = {
    {4, "fsrm"},       {8, "avx512_vp2intersect"}, {10, "md_clear"},
    {14, "serialize"}, {16, "tsxldtrk"},	   {20, "ibt"},
    {22, "amx_bf16"},  {23, "avx512_fp16"},	   {24, "amx_tile"},
    {25, "amx_int8"},  {28, "flush_l1d"},	   {29, "arch_capabilities"},
};

static struct cpuid_regs cpuid(unsigned leaf, unsigned subleaf)
{
	struct cpuid_regs r;

	__cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
	return r;
}

static void print_flags(struct procfs_text *text, unsigned reg,
			const struct cpu_flag *flags, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (reg & (1u << flags[i].bit))
			procfs_printf(text, " %s", flags[i].name);
	}
}

/* CPU properties shared by every block, read once. */
struct cpu_description {
	char vendor[13];
	char model_name[49];
	unsigned max_leaf, max_ext_leaf;
	unsigned family, model, stepping;
	unsigned mhz; /* 0 if cpuid does not report it */
	unsigned phys_bits, virt_bits;
};

static void describe_cpu(struct cpu_description *d)
{
	struct cpuid_regs r = cpuid(0, 0);
	unsigned base_family;

	memset(d, 0, sizeof(*d));
	d->max_leaf = r.eax;
	memcpy(d->vendor, &r.ebx, 4);
	memcpy(d->vendor + 4, &r.edx, 4);
	memcpy(d->vendor + 8, &r.ecx, 4);

	r = cpuid(1, 0);
	base_family = (r.eax >> 8) & 0xf;
	d->family = base_family;
	if (base_family == 0xf)
		d->family += (r.eax >> 20) & 0xff;
	d->model = (r.eax >> 4) & 0xf;
	if (base_family == 0x6 || base_family == 0xf)
		d->model |= ((r.eax >> 16) & 0xf) << 4;
	d->stepping = r.eax & 0xf;
	if (d->max_leaf >= 0x16)
		d->mhz = cpuid(0x16, 0).eax & 0xffff;

	d->max_ext_leaf = cpuid(0x80000000, 0).eax;
	if (d->max_ext_leaf >= 0x80000004) {
		for (unsigned i = 0; i < 3; i++) {
			r = cpuid(0x80000002 + i, 0);
			memcpy(d->model_name + 16 * i, &r, 16);
		}
	}
	if (d->max_ext_leaf >= 0x80000008) {
		r = cpuid(0x80000008, 0);
		d->phys_bits = r.eax & 0xff;
		d->virt_bits = (r.eax >> 8) & 0xff;
	}
}

/* In Linux's order: the words of leaf 1 EDX, 0x80000001 EDX, leaf 1 ECX,
 * 0x80000001 ECX, then leaf 7. */
static void print_all_flags(struct procfs_text *text,
			    const struct cpu_description *d)
{
	struct cpuid_regs basic = cpuid(1, 0);
	struct cpuid_regs ext = {0};
	struct cpuid_regs leaf7 = {0};

	if (d->max_ext_leaf >= 0x80000001)
		ext = cpuid(0x80000001, 0);
	if (d->max_leaf >= 7)
		leaf7 = cpuid(7, 0);
	procfs_printf(text, "flags\t\t:");
	print_flags(text, basic.edx, leaf1_edx, ARRAY_SIZE(leaf1_edx));
	print_flags(text, ext.edx, ext1_edx, ARRAY_SIZE(ext1_edx));
	print_flags(text, basic.ecx, leaf1_ecx, ARRAY_SIZE(leaf1_ecx));
	print_flags(text, ext.ecx, ext1_ecx, ARRAY_SIZE(ext1_ecx));
	print_flags(text, leaf7.ebx, leaf7_ebx, ARRAY_SIZE(leaf7_ebx));
	print_flags(text, leaf7.ecx, leaf7_ecx, ARRAY_SIZE(leaf7_ecx));
	print_flags(text, leaf7.edx, leaf7_edx, ARRAY_SIZE(leaf7_edx));
	procfs_printf(text, "\n");
}

static void print_cpu(struct procfs_text *text, const struct cpu_description *d,
		      int cpu, int ncpus)
{
	const char *name = d->model_name;

	while (*name == ' ')
		name++;
	procfs_printf(text, "processor\t: %d\nvendor_id\t: %s\n", cpu,
		      d->vendor);
	procfs_printf(text, "cpu family\t: %u\nmodel\t\t: %u\n", d->family,
		      d->model);
	procfs_printf(text, "model name\t: %s\nstepping\t: %u\n", name,
		      d->stepping);
	if (d->mhz)
		procfs_printf(text, "cpu MHz\t\t: %u.000\n", d->mhz);
	/* NOTE: the topology is presented as one socket with one core per
	 * CPU; cpuid's own topology leaves are not decoded. */
	procfs_printf(text, "physical id\t: 0\nsiblings\t: %d\n", ncpus);
	procfs_printf(text, "core id\t\t: %d\ncpu cores\t: %d\n", cpu, ncpus);
	procfs_printf(text, "apicid\t\t: %d\ninitial apicid\t: %d\n", cpu, cpu);
	procfs_printf(text, "fpu\t\t: yes\nfpu_exception\t: yes\n");
	procfs_printf(text, "cpuid level\t: %u\nwp\t\t: yes\n", d->max_leaf);
	print_all_flags(text, d);
	procfs_printf(text, "clflush size\t: 64\ncache_alignment\t: 64\n");
	if (d->phys_bits)
		procfs_printf(text,
			      "address sizes\t: %u bits physical, %u bits "
			      "virtual\n",
			      d->phys_bits, d->virt_bits);
	procfs_printf(text, "power management:\n\n");
}

static int cpuinfo_show(struct task *t, void *priv, char **buf, size_t *len)
{
	struct procfs_text text = {0};
	struct cpu_description d;
	cpu_set_t set;
	int ncpus;

	if (sched_getaffinity(0, sizeof(set), &set) < 0) {
		CPU_ZERO(&set);
		CPU_SET(0, &set);
	}
	ncpus = CPU_COUNT(&set);
	describe_cpu(&d);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (CPU_ISSET(cpu, &set))
			print_cpu(&text, &d, cpu, ncpus);
	}
	return procfs_text_finish(&text, buf, len);
}

const struct synth_file_ops procfs_cpuinfo_ops = {
    .show = cpuinfo_show,
};
