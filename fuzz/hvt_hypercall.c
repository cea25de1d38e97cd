/* libFuzzer target: mirage-hvt's hypercall handler (tender/hvt/
 * hypercall.c, guest_mem.c) with guest-controlled arguments, as a hostile
 * guest would make them. Guest memory is 2 MiB: the tender's area, a
 * read-only image segment [0x100000, 0x101000) and writable memory above;
 * the manifest has a network device (a datagram socket pair, kept
 * readable so that POLL never blocks) and a block device (a 64 KiB memory
 * file). The input is a sequence of records
 *   u8 call, u32 argument address, u8 n, n bytes
 * each writing its bytes into writable guest memory at the address
 * (wrapped into it), then making hypercall 1 + call % 18 with the
 * argument at that address (Solo5's, the unknown numbers between, NETV,
 * NET_OFFLOAD and NETV_WAIT, which the network device takes and the image
 * is granted; the waiting frame keeps NETV_WAIT from blocking, as POLL).
 * The network device
 * has a virtio-net header (MIRAGE_EXT_NET_VHDR), switched on (every
 * offload) when the call byte's top bit is set, else off, so that the
 * checks of the frames' headers and the bare path both run. Checks that the
 * handler never writes the read-only parts of guest memory and returns one of
 * its outcomes; ASan catches any access outside guest memory. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../tender/hvt/hvt.h"

#define MEM      ((uint64_t)2 << 20)
#define RO_END   0x101000u
#define DISK     (64u * 1024)
#define NDEVICES 3 /* reserved, "service", "storage" */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hvt h;
static struct tender_elf elf;
static int peer;
static uint8_t ro_copy[RO_END];

static void setup(void)
{
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO); /* PUTS output */
    close(null);
    h.mem = malloc(MEM);
    h.mem_size = MEM;
    for (uint64_t i = 0; i < MEM; i++)
        h.mem[i] = (uint8_t)(i * 131 + 7);
    memcpy(ro_copy, h.mem, RO_END);
    elf.nload = 2;
    elf.load[0] = (struct tender_segment){.vaddr = 0x100000,
                                          .start = 0x100000,
                                          .end = RO_END,
                                          .flags = TENDER_SEG_R};
    elf.load[1] = (struct tender_segment){.vaddr = RO_END,
                                          .start = RO_END,
                                          .end = MEM,
                                          .flags = TENDER_SEG_R | TENDER_SEG_W};
    h.elf = &elf;
    size_t mft_size =
        sizeof(struct solo5_mft) + NDEVICES * sizeof(struct solo5_mft_entry);
    h.mft = calloc(1, mft_size);
    h.mft->version = SOLO5_MFT_VERSION;
    h.mft->entries = NDEVICES;
    h.mft->e[0].type = SOLO5_MFT_RESERVED_FIRST;
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv);
    peer = sv[1];
    h.mft->e[1] = (struct solo5_mft_entry){
        .name = "service",
        .type = SOLO5_MFT_DEV_NET_BASIC,
        .u.net_basic = {.mac = {2, 0, 0, 0, 0, 1}, .mtu = 1500},
        .b.hostfd = sv[0],
        .attached = true};
    int disk = memfd_create("disk", 0);
    ftruncate(disk, DISK);
    h.mft->e[2] = (struct solo5_mft_entry){
        .name = "storage",
        .type = SOLO5_MFT_DEV_BLOCK_BASIC,
        .u.block_basic = {.capacity = DISK, .block_size = 512},
        .b.hostfd = disk,
        .attached = true};
    h.net_vec = hvt_net_devices(h.mft);
    h.granted = MIRAGE_EXT_NETV_WAIT;
    h.net_vhdr[1] = MIRAGE_NET_OFFLOAD_CSUM | MIRAGE_NET_OFFLOAD_TSO4 |
                    MIRAGE_NET_OFFLOAD_TSO6;
    char err[TENDER_ERR_SIZE];
    if (hvt_hypercall_init(&h, err) < 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!h.mem)
        setup();
    while (size >= 6) {
        unsigned nr = 1 + data[0] % (MIRAGE_HVT_HC_MAX - 1);
        h.net_on[1] = data[0] & 0x80 ? h.net_vhdr[1] : 0;
        uint32_t gpa;
        memcpy(&gpa, data + 1, 4);
        size_t n = data[5];
        data += 6;
        size -= 6;
        if (n > size)
            n = size;
        uint64_t at = RO_END + gpa % (MEM - RO_END - n + 1);
        memcpy(h.mem + at, data, n);
        data += n;
        size -= n;
        /* A frame waiting, so that POLL returns at once. */
        char frame[60] = {0};
        send(peer, frame, sizeof frame, MSG_DONTWAIT);
        int status = -1;
        char err[TENDER_ERR_SIZE];
        enum hvt_hc_result r = hvt_hypercall(&h, nr, gpa, &status, err);
        if ((r == HVT_HC_HALT && (status < 0 || status > 255)) ||
            (r != HVT_HC_CONTINUE && r != HVT_HC_HALT && r != HVT_HC_FAULT) ||
            memcmp(h.mem, ro_copy, RO_END) != 0)
            abort();
        /* Drain what NET_WRITE sent. */
        while (recv(peer, frame, sizeof frame, MSG_DONTWAIT) > 0)
            ;
    }
    return 0;
}
