/* Test guest with two network and two block devices (net0, net1, disk0,
 * disk1). Prints each device's MAC, MTU, capacity and block size; writes
 * "disk0" ("disk1") and the block's index over the last block of each
 * disk and reads it back; then answers frames of EtherType 0x88b5 on each
 * NIC with the same frame, source and destination swapped and the
 * network device's name written at the start of the payload, until each
 * NIC has answered --frames=N (default 1) or 30 s pass. Exit 0 if all
 * went well, 1 otherwise. */
#include <mirage/plat.h>
#include <mirage/solo5.h>
#include <stdint.h>

#include "../../tender/guest.h"

SOLO5_MANIFEST(4, SOLO5_MFT_NET("net0"), SOLO5_MFT_NET("net1"),
               SOLO5_MFT_BLOCK("disk0"), SOLO5_MFT_BLOCK("disk1"));

#define ETHERTYPE 0x88b5
#define WAIT_NS   (30ull * 1000000000ull)

static const char *const nets[2] = {"net0", "net1"};
static const char *const disks[2] = {"disk0", "disk1"};
static uint8_t block[4096], back[4096], frame[1514 + 64];
static bool ok = true;

static void hex_byte(uint8_t b)
{
    char s[3] = {"0123456789abcdef"[b >> 4], "0123456789abcdef"[b & 15], 0};
    guest_print(s);
}

static void disk(int i)
{
    plat_handle h;
    struct plat_block_info bi;
    if (plat_block_acquire(disks[i], &h, &bi) != PLAT_OK) {
        guest_print("FAILED acquire\n");
        ok = false;
        return;
    }
    guest_print(disks[i]);
    guest_print(" capacity ");
    guest_print_u64(bi.capacity);
    guest_print(" block ");
    guest_print_u64(bi.block_size);
    guest_print("\n");
    uint64_t last = bi.capacity - bi.block_size;
    for (uint64_t k = 0; k < bi.block_size; k++)
        block[k] = (uint8_t)(k * 7 + (uint64_t)i);
    for (int k = 0; disks[i][k]; k++)
        block[k] = (uint8_t)disks[i][k];
    if (plat_block_write(h, last, block, bi.block_size) != PLAT_OK ||
        plat_block_read(h, last, back, bi.block_size) != PLAT_OK) {
        guest_print("FAILED block I/O\n");
        ok = false;
        return;
    }
    if (!guest_same(back, block, bi.block_size)) {
        guest_print("FAILED read back\n");
        ok = false;
        return;
    }
    /* A request past the end fails cleanly. */
    if (plat_block_read(h, bi.capacity, back, bi.block_size) != PLAT_EINVAL)
        ok = false;
}

_Noreturn void mirage_rt_boot(const struct plat_boot *boot)
{
    uint64_t want = 1;
    const char *rest;
    for (int i = 1; i < boot->argc; i++)
        if (guest_prefix("--frames=", boot->argv[i], &rest))
            want = guest_atou(rest);
    disk(0);
    disk(1);
    plat_handle h[2];
    size_t mtu[2];
    for (int i = 0; i < 2; i++) {
        struct plat_net_info ni;
        if (plat_net_acquire(nets[i], &h[i], &ni) != PLAT_OK) {
            guest_print("FAILED acquire\n");
            plat_exit(1);
        }
        mtu[i] = ni.mtu;
        guest_print(nets[i]);
        guest_print(" mac ");
        for (int k = 0; k < 6; k++) {
            hex_byte(ni.mac[k]);
            guest_print(k < 5 ? ":" : "");
        }
        guest_print(" mtu ");
        guest_print_u64(ni.mtu);
        guest_print("\n");
    }
    guest_print("answering\n");
    uint64_t answered[2] = {0, 0};
    uint64_t give_up = plat_clock_monotonic() + WAIT_NS;
    while ((answered[0] < want || answered[1] < want) &&
           plat_clock_monotonic() < give_up) {
        plat_handle_set ready;
        plat_yield(give_up, &ready);
        for (int i = 0; i < 2; i++) {
            if (!(ready & (1ull << h[i])))
                continue;
            size_t n;
            while (plat_net_read(h[i], frame, mtu[i] + 14, &n) == PLAT_OK) {
                if (n < 14 + 4 || (frame[12] << 8 | frame[13]) != ETHERTYPE)
                    continue;
                for (int k = 0; k < 6; k++) {
                    uint8_t t = frame[k];
                    frame[k] = frame[6 + k];
                    frame[6 + k] = t;
                }
                for (int k = 0; k < 4; k++)
                    frame[14 + k] = (uint8_t)nets[i][k];
                if (plat_net_write(h[i], frame, n) != PLAT_OK)
                    ok = false;
                answered[i]++;
            }
        }
    }
    for (int i = 0; i < 2; i++) {
        guest_print(nets[i]);
        guest_print(" answered ");
        guest_print_u64(answered[i]);
        guest_print("\n");
    }
    plat_exit(ok && answered[0] >= want && answered[1] >= want ? 0 : 1);
}
