/* --dumpcore=DIR: when the guest faults or aborts, an ELF core file of it
 * in DIR that gdb loads with the image (`gdb IMAGE CORE`): one PT_NOTE
 * with an NT_PRSTATUS (the vCPU's registers, or those of the guest's trap
 * cookie when it halted after an exception) and one PT_LOAD of all guest
 * memory at address 0 (guest-physical = virtual), written sparsely (pages
 * that are all zero are left as holes).
 *
 * The tender is sandboxed by then: the directory is opened before, and
 * the filter lets it create one file there and write it, on the
 * descriptor number the kernel will hand out (the lowest free one, which
 * nothing else takes once the sandbox is in place). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/procfs.h>
#include <sys/user.h>
#include <unistd.h>

#include "hvt.h"

#define PAGE 4096u

int hvt_core_init(struct hvt *h, const char *dir, char *err)
{
    h->core_dir = -1;
    h->core_fd = -1;
    if (dir == NULL)
        return 0;
    h->core_dir_name = dir;
    h->pid = getpid();
    h->core_dir = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (h->core_dir < 0)
        return tender_errf(err, "--dumpcore: %s: %s", dir, strerror(errno));
    if (faccessat(h->core_dir, ".", W_OK, AT_EACCESS) < 0)
        return tender_errf(err, "--dumpcore: %s: not writable", dir);
    return 0;
}

int hvt_core_reserve_fd(struct hvt *h, char *err)
{
    if (h->core_dir < 0)
        return 0;
    /* The lowest free descriptor now is the one openat will return. */
    h->core_fd = fcntl(h->core_dir, F_DUPFD_CLOEXEC, 0);
    if (h->core_fd < 0)
        return tender_errf(err, "--dumpcore: %s", strerror(errno));
    close(h->core_fd);
    return 0;
}

/* The registers at the stop: the vCPU's, then what the trap cookie
 * holds. */
static void registers(const struct hvt *h, struct user_regs_struct *u)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    memset(u, 0, sizeof *u);
    if (ioctl(h->vcpu, KVM_GET_REGS, &r) == 0) {
        *u = (struct user_regs_struct){
            .r15 = r.r15,
            .r14 = r.r14,
            .r13 = r.r13,
            .r12 = r.r12,
            .rbp = r.rbp,
            .rbx = r.rbx,
            .r11 = r.r11,
            .r10 = r.r10,
            .r9 = r.r9,
            .r8 = r.r8,
            .rax = r.rax,
            .rcx = r.rcx,
            .rdx = r.rdx,
            .rsi = r.rsi,
            .rdi = r.rdi,
            .rip = r.rip,
            .eflags = r.rflags,
            .rsp = r.rsp,
        };
    }
    if (ioctl(h->vcpu, KVM_GET_SREGS, &s) == 0) {
        u->cs = s.cs.selector;
        u->ss = s.ss.selector;
        u->ds = s.ds.selector;
        u->es = s.es.selector;
        u->fs = s.fs.selector;
        u->gs = s.gs.selector;
        u->fs_base = s.fs.base;
        u->gs_base = s.gs.base;
    }
    const struct solo5_hvt_trap_cookie *t = &h->trap;
    if (h->trap_len >= SOLO5_TRAP_COOKIE_SOLO5_SIZE) {
        u->rip = t->rip;
        u->rsp = t->rsp;
        u->eflags = t->rflags;
        u->cs = t->cs;
        u->ss = t->ss;
    }
    if (h->trap_len == sizeof *t && t->magic == MIRAGE_TRAP_MAGIC) {
        u->rax = t->rax, u->rbx = t->rbx, u->rcx = t->rcx, u->rdx = t->rdx;
        u->rsi = t->rsi, u->rdi = t->rdi, u->rbp = t->rbp;
        u->r8 = t->r8, u->r9 = t->r9, u->r10 = t->r10, u->r11 = t->r11;
        u->r12 = t->r12, u->r13 = t->r13, u->r14 = t->r14, u->r15 = t->r15;
        u->fs_base = t->fs_base;
    }
}

static bool zero_page(const uint8_t *p)
{
    const uint64_t *w = (const uint64_t *)p;
    for (size_t i = 0; i < PAGE / sizeof *w; i++)
        if (w[i])
            return false;
    return true;
}

static bool put(int fd, const void *p, size_t n, off_t at)
{
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p = (const uint8_t *)p + w;
        n -= (size_t)w;
        at += w;
    }
    return true;
}

/* The file: ELF header, the two program headers, the note (header, name
 * "CORE" padded to 8, prstatus), then guest memory from the next page. */
#define NOTE_AT  (sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr))
#define DESC_AT  (NOTE_AT + sizeof(Elf64_Nhdr) + 8)
#define HEAD_END (DESC_AT + sizeof(prstatus_t))
#define DATA_AT  ((HEAD_END + PAGE - 1) & ~(size_t)(PAGE - 1))

static bool write_core(const struct hvt *h, int fd)
{
    static uint8_t head[HEAD_END];
    Elf64_Ehdr eh = {
        .e_type = ET_CORE,
        .e_machine = EM_X86_64,
        .e_version = EV_CURRENT,
        .e_phoff = sizeof eh,
        .e_ehsize = sizeof eh,
        .e_phentsize = sizeof(Elf64_Phdr),
        .e_phnum = 2,
    };
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    Elf64_Phdr ph[2] = {
        {.p_type = PT_NOTE,
         .p_offset = NOTE_AT,
         .p_filesz = HEAD_END - NOTE_AT,
         .p_align = 4},
        {.p_type = PT_LOAD,
         .p_flags = PF_R | PF_W | PF_X,
         .p_offset = DATA_AT,
         .p_filesz = h->mem_size,
         .p_memsz = h->mem_size,
         .p_align = PAGE},
    };
    Elf64_Nhdr nh = {
        .n_namesz = 5, .n_descsz = sizeof(prstatus_t), .n_type = NT_PRSTATUS};
    prstatus_t st;
    memset(&st, 0, sizeof st);
    st.pr_pid = h->pid;
    st.pr_cursig = h->trap_len ? SIGSEGV : SIGABRT;
    struct user_regs_struct regs;
    registers(h, &regs);
    _Static_assert(sizeof regs == sizeof st.pr_reg, "pr_reg layout");
    memcpy(&st.pr_reg, &regs, sizeof regs);
    memcpy(head, &eh, sizeof eh);
    memcpy(head + sizeof eh, ph, sizeof ph);
    memcpy(head + NOTE_AT, &nh, sizeof nh);
    memcpy(head + NOTE_AT + sizeof nh, "CORE", 5);
    memcpy(head + DESC_AT, &st, sizeof st);
    if (!put(fd, head, sizeof head, 0))
        return false;
    for (uint64_t a = 0; a < h->mem_size; a += PAGE)
        if (!zero_page(h->mem + a) &&
            !put(fd, h->mem + a, PAGE, (off_t)(DATA_AT + a)))
            return false;
    return ftruncate(fd, (off_t)(DATA_AT + h->mem_size)) == 0;
}

void hvt_core_dump(struct hvt *h)
{
    if (h->core_dir < 0)
        return;
    char name[64];
    snprintf(name, sizeof name, "core.mirage-hvt.%d", (int)h->pid);
    int fd = openat(h->core_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                    0600);
    if (fd < 0 || fd != h->core_fd || !write_core(h, fd)) {
        fprintf(stderr, "%s: cannot write the core file %s/%s\n", tender_name,
                h->core_dir_name, name);
        return;
    }
    fprintf(stderr, "%s: core dumped to %s/%s\n", tender_name, h->core_dir_name,
            name);
}
