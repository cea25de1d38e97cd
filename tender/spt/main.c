/* mirage-spt: runs a Solo5 spt (ABI v2) unikernel as a seccomp-sandboxed
 * Linux process. It validates the image, attaches the devices its
 * manifest declares, maps and loads it at its own addresses, confines
 * itself and jumps to the guest's entry; the guest's exit_group ends the
 * process with the guest's status, and a guest fault is reported in one
 * line (fault.c) and ends it with status 255.
 *
 * If MIRAGE_SPT_BPF_OUT names a file, the seccomp program is also written
 * there (struct sock_filter array) before the guest starts, for
 * inspection and benchmarks. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "spt.h"

/* Enter the guest: stack at mem_size - 8, boot info in rdi, the entry
 * in rax; the other registers, which could hold host addresses, are
 * cleared. */
static _Noreturn void launch(uint64_t sp, uint64_t entry, uint64_t boot_info)
{
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "xor %%ebp, %%ebp\n\t"
                     "xor %%ebx, %%ebx\n\t"
                     "xor %%ecx, %%ecx\n\t"
                     "xor %%edx, %%edx\n\t"
                     "xor %%esi, %%esi\n\t"
                     "xor %%r8d, %%r8d\n\t"
                     "xor %%r9d, %%r9d\n\t"
                     "xor %%r10d, %%r10d\n\t"
                     "xor %%r11d, %%r11d\n\t"
                     "xor %%r12d, %%r12d\n\t"
                     "xor %%r13d, %%r13d\n\t"
                     "xor %%r14d, %%r14d\n\t"
                     "xor %%r15d, %%r15d\n\t"
                     "cld\n\t"
                     "jmp *%1"
                     :
                     : "r"(sp), "a"(entry), "D"(boot_info)
                     : "memory");
    __builtin_unreachable();
}

static void dump_filter(const struct sock_fprog *prog)
{
    const char *path = getenv("MIRAGE_SPT_BPF_OUT");
    if (!path)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    size_t len = prog->len * sizeof *prog->filter;
    if (fd < 0 || write(fd, prog->filter, len) != (ssize_t)len)
        tender_die("%s: cannot write the filter", path);
    close(fd);
}

int main(int argc, char **argv)
{
    tender_name = "mirage-spt";
    static struct tender_opts opts;
    tender_opts_get(argc, argv, &opts, NULL);
    if (opts.dumpcore)
        tender_die("--dumpcore: core files are written by mirage-hvt only");
    char err[TENDER_ERR_SIZE];
    static struct tender_loaded l;
    tender_load(&opts, SOLO5_ABI_TARGET_SPT, opts.mem_size, SPT_EXT_OFFERED,
                &l);
    struct spt_guest g;
    struct sock_fprog prog;
    if (spt_guest_setup(&l.elf, l.img.data, &l.ext, l.net_vhdr, l.mft,
                        l.mft_size, opts.cmdline, opts.mem_size, &g, err) < 0 ||
        spt_filter_build(&g, &prog, err) < 0 || spt_fault_init(&g, err) < 0)
        tender_die("%s", err);
    dump_filter(&prog);
    tender_image_free(&l.img);
    free(l.mft);
    fflush(stdout);
    if (spt_sandbox_enter(&g, &prog, err) < 0)
        tender_die("%s", err);
    launch(g.mem_size - 8, g.entry, g.boot_info);
}
