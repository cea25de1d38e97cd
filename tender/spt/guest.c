/* The guest's address space and boot record: memory mapped at the guest's
 * own addresses, the image loaded, the boot info, manifest and command
 * line written at SOLO5_SPT_BOOT_INFO_BASE, and the descriptors the guest
 * yields on. */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/timerfd.h>

#include "spt.h"

static int protect(const struct tender_elf *elf, char *err)
{
    for (unsigned i = 0; i < elf->nload; i++) {
        const struct tender_segment *s = &elf->load[i];
        int prot = ((s->flags & TENDER_SEG_R) ? PROT_READ : 0) |
                   ((s->flags & TENDER_SEG_W) ? PROT_WRITE : 0) |
                   ((s->flags & TENDER_SEG_X) ? PROT_EXEC : 0);
        if (mprotect((void *)(uintptr_t)s->start, s->end - s->start, prot) < 0)
            return tender_errf(err, "cannot protect guest memory: %s",
                               strerror(errno));
    }
    return 0;
}

/* Write boot info, manifest and command line; returns the boot info. */
static void write_boot_record(const struct tender_elf *elf,
                              const struct solo5_mft *mft, size_t mft_size,
                              const char *cmdline, struct spt_guest *g)
{
    uint8_t *base = (uint8_t *)(uintptr_t)SOLO5_SPT_BOOT_INFO_BASE;
    struct solo5_spt_boot_info *bi = (struct solo5_spt_boot_info *)base;
    uint64_t mft_at = (SOLO5_SPT_BOOT_INFO_BASE + sizeof *bi + 7) & ~7ull;
    uint64_t cmdline_at = (mft_at + mft_size + 7) & ~7ull;
    memcpy((void *)(uintptr_t)mft_at, mft, mft_size);
    memcpy((void *)(uintptr_t)cmdline_at, cmdline, strlen(cmdline) + 1);
    bi->mem_size = g->mem_size;
    bi->kernel_end = elf->kernel_end;
    bi->cmdline = cmdline_at;
    bi->mft = mft_at;
    bi->epollfd = g->epollfd;
    bi->timerfd = g->timerfd;
    g->boot_info = SOLO5_SPT_BOOT_INFO_BASE;
    g->mft = (const struct solo5_mft *)(uintptr_t)mft_at;
}

static int make_fds(const struct solo5_mft *mft, struct spt_guest *g, char *err)
{
    g->epollfd = epoll_create1(EPOLL_CLOEXEC);
    g->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (g->epollfd < 0 || g->timerfd < 0)
        return tender_errf(err, "epoll/timerfd: %s", strerror(errno));
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = SPT_TIMER_EVENT};
    if (epoll_ctl(g->epollfd, EPOLL_CTL_ADD, g->timerfd, &ev) < 0)
        return tender_errf(err, "epoll_ctl: %s", strerror(errno));
    for (unsigned i = 1; i < mft->entries; i++) {
        if (mft->e[i].type != SOLO5_MFT_DEV_NET_BASIC)
            continue;
        ev.data.u64 = i;
        if (epoll_ctl(g->epollfd, EPOLL_CTL_ADD, mft->e[i].b.hostfd, &ev) < 0)
            return tender_errf(err, "network device '%s': epoll_ctl: %s",
                               mft->e[i].name, strerror(errno));
    }
    return 0;
}

int spt_guest_setup(const struct tender_elf *elf, const uint8_t *image,
                    const struct tender_ext *ext, const uint8_t *net_vhdr,
                    const struct solo5_mft *mft, size_t mft_size,
                    const char *cmdline, uint64_t mem_size, struct spt_guest *g,
                    char *err)
{
    memset(g, 0, sizeof *g);
    g->mem_size = mem_size;
    g->entry = elf->entry;
    void *want = (void *)(uintptr_t)SPT_MEM_BASE;
    void *mem =
        mmap(want, mem_size - SPT_MEM_BASE, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
             -1, 0);
    if (mem == MAP_FAILED || mem != want) {
        int e = mem == MAP_FAILED ? errno : EEXIST;
        if (mem != MAP_FAILED)
            munmap(mem, mem_size - SPT_MEM_BASE);
        return tender_errf(err,
                           "cannot map %llu MiB of guest memory at "
                           "0x%x: %s",
                           (unsigned long long)(mem_size >> 20), SPT_MEM_BASE,
                           strerror(e));
    }
    tender_elf_load(elf, image, mem, SPT_MEM_BASE);
    g->ext_record = ext->record;
    g->granted = tender_ext_grant(ext, (void *)(uintptr_t)ext->record,
                                  SPT_EXT_OFFERED, 0, net_vhdr);
    if (g->granted & MIRAGE_EXT_NET_VHDR)
        memcpy(g->net_vhdr, net_vhdr, sizeof g->net_vhdr);
    if (make_fds(mft, g, err) < 0)
        return -1;
    write_boot_record(elf, mft, mft_size, cmdline, g);
    return protect(elf, err);
}
