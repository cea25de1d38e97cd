/* The KVM virtual machine of mirage-hvt: guest memory, the vCPU in 64-bit
 * long mode with identity-mapped page tables, and the boot records the
 * guest finds at 0x10000 (the Solo5 hvt ABI 2 layout). */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hvt.h"

#define KVM_API 12

/* Page table entry bits. */
#define PTE_P  0x001ull
#define PTE_RW 0x002ull
#define PTE_PS 0x080ull /* 2 MiB page in a page directory */

/* Control register and EFER bits of the entry state. */
#define CR0_PE         (1ull << 0)
#define CR0_NE         (1ull << 5)
#define CR0_WP         (1ull << 16)
#define CR0_PG         (1ull << 31)
#define CR4_PAE        (1ull << 5)
#define CR4_OSFXSR     (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define EFER_LME       (1ull << 8)
#define EFER_LMA       (1ull << 10)

#define SEL_CODE 0x08
#define SEL_DATA 0x10

#define LOW_RO_END TENDER_LOAD_MIN /* guest-visible, read-only below this */

int hvt_vm_create(struct hvt *h, uint64_t mem_size, char *err)
{
    h->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (h->kvm < 0)
        return tender_errf(err, "cannot open /dev/kvm: %s", strerror(errno));
    int api = ioctl(h->kvm, KVM_GET_API_VERSION, 0);
    if (api != KVM_API)
        return tender_errf(err, "/dev/kvm: unsupported KVM API version %d",
                           api);
    h->vm = ioctl(h->kvm, KVM_CREATE_VM, 0);
    if (h->vm < 0)
        return tender_errf(err, "KVM_CREATE_VM: %s", strerror(errno));
    h->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (h->mem == MAP_FAILED)
        return tender_errf(err, "cannot map %llu bytes of guest memory: %s",
                           (unsigned long long)mem_size, strerror(errno));
    h->mem_size = mem_size;
    struct kvm_userspace_memory_region region = {
        .slot = 0,
        .guest_phys_addr = 0,
        .memory_size = mem_size,
        .userspace_addr = (uint64_t)(uintptr_t)h->mem,
    };
    if (ioctl(h->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        return tender_errf(err, "KVM_SET_USER_MEMORY_REGION: %s",
                           strerror(errno));
    h->vcpu = ioctl(h->vm, KVM_CREATE_VCPU, 0);
    if (h->vcpu < 0)
        return tender_errf(err, "KVM_CREATE_VCPU: %s", strerror(errno));
    int size = ioctl(h->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size < (int)sizeof(struct kvm_run))
        return tender_errf(err, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
    h->run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED,
                  h->vcpu, 0);
    if (h->run == MAP_FAILED)
        return tender_errf(err, "cannot map the vCPU: %s", strerror(errno));
    return 0;
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, sizeof(v));
}

/* Identity map [0, mem_size): 2 MiB pages, except the first 2 MiB in
 * 4 KiB pages so that the tender's area below HVT_GUEST_MIN is absent and
 * [HVT_GUEST_MIN, 0x100000) is read-only. */
static void write_page_tables(struct hvt *h)
{
    uint8_t *m = h->mem;
    memset(m + HVT_PML4_BASE, 0, HVT_PT_BASE + 0x1000 - HVT_PML4_BASE);
    put64(m + HVT_PML4_BASE, HVT_PDPT_BASE | PTE_P | PTE_RW);
    uint64_t pages_2m = h->mem_size / HVT_MEM_ALIGN;
    for (uint64_t gib = 0; gib * 512 < pages_2m; gib++)
        put64(m + HVT_PDPT_BASE + gib * 8,
              (HVT_PD_BASE + gib * 0x1000) | PTE_P | PTE_RW);
    put64(m + HVT_PD_BASE, HVT_PT_BASE | PTE_P | PTE_RW);
    for (uint64_t i = 1; i < pages_2m; i++)
        put64(m + HVT_PD_BASE + i * 8,
              (i * HVT_MEM_ALIGN) | PTE_P | PTE_RW | PTE_PS);
    for (uint64_t i = HVT_GUEST_MIN / 0x1000; i < 512; i++) {
        uint64_t a = i * 0x1000;
        put64(m + HVT_PT_BASE + i * 8,
              a | PTE_P | (a >= LOW_RO_END ? PTE_RW : 0));
    }
}

static void write_gdt(struct hvt *h)
{
    uint8_t *g = h->mem + HVT_GDT_BASE;
    put64(g, 0);
    /* Accessed bits preset, as in the segment registers set below. */
    put64(g + SEL_CODE, 0x00af9b000000ffffull); /* 64-bit code, DPL 0 */
    put64(g + SEL_DATA, 0x00cf93000000ffffull); /* flat data, DPL 0 */
}

static int set_cpuid(struct hvt *h, char *err)
{
    enum { MAX_ENTRIES = 256 };
    size_t sz = sizeof(struct kvm_cpuid2) +
                MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2);
    struct kvm_cpuid2 *c = calloc(1, sz);
    if (c == NULL)
        return tender_errf(err, "out of memory");
    c->nent = MAX_ENTRIES;
    int r = ioctl(h->kvm, KVM_GET_SUPPORTED_CPUID, c);
    if (r == 0)
        r = ioctl(h->vcpu, KVM_SET_CPUID2, c);
    int e = errno;
    free(c);
    if (r < 0)
        return tender_errf(err, "cannot set the vCPU's CPUID: %s", strerror(e));
    return 0;
}

static int set_registers(struct hvt *h, uint64_t entry, char *err)
{
    struct kvm_sregs s;
    if (ioctl(h->vcpu, KVM_GET_SREGS, &s) < 0)
        return tender_errf(err, "KVM_GET_SREGS: %s", strerror(errno));
    struct kvm_segment code = {
        .base = 0,
        .limit = 0xffffffff,
        .selector = SEL_CODE,
        .type = 11, /* execute/read, accessed */
        .present = 1,
        .s = 1,
        .l = 1,
        .g = 1,
    };
    struct kvm_segment data = {
        .base = 0,
        .limit = 0xffffffff,
        .selector = SEL_DATA,
        .type = 3, /* read/write, accessed */
        .present = 1,
        .s = 1,
        .db = 1,
        .g = 1,
    };
    s.cs = code;
    s.ds = s.es = s.fs = s.gs = s.ss = data;
    s.gdt.base = HVT_GDT_BASE;
    s.gdt.limit = 3 * 8 - 1;
    s.cr0 = CR0_PE | CR0_NE | CR0_WP | CR0_PG;
    s.cr3 = HVT_PML4_BASE;
    s.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
    s.efer = EFER_LME | EFER_LMA;
    if (ioctl(h->vcpu, KVM_SET_SREGS, &s) < 0)
        return tender_errf(err, "KVM_SET_SREGS: %s", strerror(errno));
    struct kvm_regs r = {
        .rip = entry,
        .rsp = h->mem_size - 8,
        .rdi = SOLO5_HVT_BOOT_INFO_BASE,
        .rflags = 0x2,
    };
    if (ioctl(h->vcpu, KVM_SET_REGS, &r) < 0)
        return tender_errf(err, "KVM_SET_REGS: %s", strerror(errno));
    return 0;
}

/* The boot info, then the manifest (8-aligned), then the command line. */
static int write_boot_info(struct hvt *h, const struct tender_elf *elf,
                           const struct solo5_mft *mft, size_t mft_size,
                           const char *cmdline, char *err)
{
    uint64_t mft_at =
        (SOLO5_HVT_BOOT_INFO_BASE + sizeof(struct solo5_hvt_boot_info) + 7) &
        ~7ull;
    uint64_t cmdline_at = mft_at + mft_size;
    size_t cmdline_len = strlen(cmdline) + 1;
    if (cmdline_len > SOLO5_CMDLINE_SIZE ||
        cmdline_at + cmdline_len > LOW_RO_END)
        return tender_errf(err, "command line too long");
    int freq_khz = ioctl(h->vcpu, KVM_GET_TSC_KHZ, 0);
    if (freq_khz <= 0)
        return tender_errf(err, "KVM_GET_TSC_KHZ: %s",
                           freq_khz < 0 ? strerror(errno) : "no frequency");
    struct solo5_hvt_boot_info bi = {
        .mem_size = h->mem_size,
        .kernel_end = elf->kernel_end,
        .cpu_cycle_freq = (uint64_t)freq_khz * 1000,
        .cmdline = cmdline_at,
        .mft = mft_at,
    };
    memcpy(h->mem + SOLO5_HVT_BOOT_INFO_BASE, &bi, sizeof(bi));
    struct solo5_mft *copy = (struct solo5_mft *)(h->mem + mft_at);
    memcpy(copy, mft, mft_size);
    for (uint32_t i = 0; i < copy->entries; i++)
        memset(&copy->e[i].b, 0, sizeof(copy->e[i].b));
    memcpy(h->mem + cmdline_at, cmdline, cmdline_len);
    return 0;
}

/* The parts of guest memory the guest must not write, read-only in the
 * tender too: then a guest that maps them writable still cannot change
 * them (KVM_RUN fails instead). */
static int protect(struct hvt *h, const struct tender_elf *elf, char *err)
{
    /* Not the page tables and GDT below HVT_GUEST_MIN: the CPU sets their
     * accessed bits. */
    if (mprotect(h->mem + HVT_GUEST_MIN, LOW_RO_END - HVT_GUEST_MIN,
                 PROT_READ) < 0)
        return tender_errf(err, "mprotect: %s", strerror(errno));
    for (unsigned i = 0; i < elf->nload; i++) {
        const struct tender_segment *s = &elf->load[i];
        if (s->flags & TENDER_SEG_W)
            continue;
        if (mprotect(h->mem + s->start, s->end - s->start, PROT_READ) < 0)
            return tender_errf(err, "mprotect: %s", strerror(errno));
    }
    return 0;
}

int hvt_vcpu_setup(struct hvt *h, const struct tender_elf *elf,
                   const struct solo5_mft *mft, size_t mft_size,
                   const char *cmdline, char *err)
{
    write_gdt(h);
    write_page_tables(h);
    if (write_boot_info(h, elf, mft, mft_size, cmdline, err) < 0 ||
        set_cpuid(h, err) < 0 || set_registers(h, elf->entry, err) < 0)
        return -1;
    return protect(h, elf, err);
}

int hvt_vcpu_single_step(struct hvt *h, char *err)
{
    struct kvm_guest_debug d = {.control = KVM_GUESTDBG_ENABLE |
                                           KVM_GUESTDBG_SINGLESTEP};
    if (ioctl(h->vcpu, KVM_SET_GUEST_DEBUG, &d) < 0)
        return tender_errf(err, "KVM_SET_GUEST_DEBUG: %s", strerror(errno));
    return 0;
}
