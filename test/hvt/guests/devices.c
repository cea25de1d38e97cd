/* Test guest for the hvt devices. Declares the network device "service"
 * and the block device "storage" and, by its first argument:
 *   block  writes a pattern to the last block, reads it back, and checks
 *          that bad requests are refused;
 *   net    prints its MAC and MTU, sends an ARP request for 10.0.0.1 (the
 *          host's side of the tap) from 10.0.0.2 and waits up to 10 s for
 *          an ARP frame back.
 * Prints "ok WHAT" or "FAILED WHAT" per check; exits 0 if all passed. */
#include <mirage/plat.h>
#include <mirage/solo5.h>
#include <stdint.h>

#include "../../tender/guest.h"

SOLO5_MANIFEST(2, SOLO5_MFT_NET("service"), SOLO5_MFT_BLOCK("storage"));

#define WAIT_NS   10000000000ull
#define MAX_BLOCK 32768

static void print_hex(const uint8_t *p, int n, char sep)
{
    char s[3] = {0};
    for (int i = 0; i < n; i++) {
        s[0] = "0123456789abcdef"[p[i] >> 4];
        s[1] = "0123456789abcdef"[p[i] & 15];
        guest_print(s);
        if (sep && i + 1 < n)
            guest_print((char[]){sep, 0});
    }
}

static void block_test(void)
{
    static uint8_t out[MAX_BLOCK], in[MAX_BLOCK];
    plat_handle h;
    struct plat_block_info bi;
    guest_check(plat_block_acquire("storage", &h, &bi) == PLAT_OK,
                "block acquire");
    guest_check(plat_block_acquire("storage", &h, &bi) == PLAT_EINVAL,
                "block acquired twice refused");
    guest_print("block capacity ");
    guest_print_u64(bi.capacity);
    guest_print(" block size ");
    guest_print_u64(bi.block_size);
    guest_print("\n");
    if (bi.block_size > MAX_BLOCK || bi.capacity < bi.block_size)
        plat_exit(1);
    size_t bs = bi.block_size;
    uint64_t last = bi.capacity - bs;
    for (size_t i = 0; i < bs; i++)
        out[i] = (uint8_t)(i * 7 + 1);
    guest_check(plat_block_write(h, last, out, bs) == PLAT_OK, "block write");
    guest_check(plat_block_read(h, last, in, bs) == PLAT_OK, "block read");
    bool same = true;
    for (size_t i = 0; i < bs; i++)
        same = same && in[i] == out[i];
    guest_check(same, "block read returns what was written");
    guest_check(plat_block_read(h, 1, in, bs) == PLAT_EINVAL,
                "misaligned offset refused");
    guest_check(plat_block_read(h, 0, in, bs / 2) == PLAT_EINVAL,
                "partial block refused");
    guest_check(plat_block_read(h, bi.capacity, in, bs) == PLAT_EINVAL,
                "offset at capacity refused");
    guest_check(plat_block_write(h + 1, 0, out, bs) == PLAT_EINVAL,
                "unacquired handle refused");
}

static void net_test(void)
{
    static uint8_t frame[1514 + 64], in[65536 + 64];
    plat_handle h;
    struct plat_net_info ni;
    guest_check(plat_net_acquire("service", &h, &ni) == PLAT_OK, "net acquire");
    guest_print("net mac ");
    print_hex(ni.mac, 6, ':');
    guest_print(" mtu ");
    guest_print_u64(ni.mtu);
    guest_print("\n");
    static const uint8_t host_ip[4] = {10, 0, 0, 1}, my_ip[4] = {10, 0, 0, 2};
    uint8_t *f = frame;
    for (int i = 0; i < 6; i++)
        *f++ = 0xff; /* broadcast */
    for (int i = 0; i < 6; i++)
        *f++ = ni.mac[i];
    *f++ = 0x08; /* ARP */
    *f++ = 0x06;
    static const uint8_t arp_head[8] = {0, 1, 8, 0, 6, 4, 0, 1};
    for (int i = 0; i < 8; i++)
        *f++ = arp_head[i];
    for (int i = 0; i < 6; i++)
        *f++ = ni.mac[i];
    for (int i = 0; i < 4; i++)
        *f++ = my_ip[i];
    for (int i = 0; i < 6; i++)
        *f++ = 0;
    for (int i = 0; i < 4; i++)
        *f++ = host_ip[i];
    guest_check(plat_net_write(h, frame, (size_t)(f - frame)) == PLAT_OK,
                "net write");
    guest_check(plat_net_write(h, frame, ni.mtu + 15) == PLAT_EINVAL,
                "oversized frame refused");
    size_t got = 0;
    guest_check(plat_net_read(h, in, 16, &got) == PLAT_EINVAL,
                "small read buffer refused");
    uint64_t deadline = plat_clock_monotonic() + WAIT_NS;
    bool arp = false;
    while (!arp && plat_clock_monotonic() < deadline) {
        plat_handle_set ready;
        plat_yield(deadline, &ready);
        if (!(ready & (1ull << h)))
            continue;
        enum plat_result r;
        while ((r = plat_net_read(h, in, sizeof(in), &got)) == PLAT_OK)
            arp = arp || (got >= 14 && in[12] == 0x08 && in[13] == 0x06);
        guest_check(r == PLAT_AGAIN, "net read drains to AGAIN");
    }
    guest_check(arp, "net received an ARP frame");
}

_Noreturn void mirage_rt_boot(const struct plat_boot *boot)
{
    const char *what = boot->argc > 1 ? boot->argv[1] : "";
    if (guest_streq(what, "block"))
        block_test();
    else if (guest_streq(what, "net"))
        net_test();
    else
        guest_check(false, "known test");
    plat_exit(guest_failures == 0 ? 0 : 1);
}
