/* The body both "vhdr" test guests (test/hvt/guests/vhdr.c,
 * test/spt/guests/vhdr.c) share: MIRAGE_EXT_NET_VHDR through the
 * platform interface, against test/tender/vhdr_peer.py on the tap that
 * is network device "service" (the peer's address 10.0.0.1, ours
 * 10.0.0.2).
 *
 * vhdr_exchange(wanted, expected): acquire "service" asking for the
 * offloads `wanted`; the device must grant exactly `expected` (all three
 * where the tender grants the extension and the tap takes them, 0 under a
 * tender that does not). Print "ready", then wait for the peer's TCP
 * frame: with TSO granted, a 64 KiB-capable super-frame (3000 bytes of
 * payload, gso_size 1000) behind its header; bare, 1000 bytes. Check it,
 * then answer with a TCP frame to port 7778: with TSO a super-frame of
 * 4344 bytes of payload, gso_size 1448, whose checksum the host completes
 * (NEEDS_CSUM); bare, 1000 bytes with the checksum computed here. The
 * peer checks what Linux received. Payload byte i is (i * 7 + 3) & 255
 * both ways. */
#ifndef MIRAGE_TEST_TENDER_VHDR_GUEST_H
#define MIRAGE_TEST_TENDER_VHDR_GUEST_H

#include <mirage/plat.h>
#include <mirage/solo5.h>

#include "guest.h"

#define VHDR_WAIT_NS 20000000000ull
#define VHDR_ETH     14
#define VHDR_IP      20
#define VHDR_TCP     20
#define VHDR_HEADERS (VHDR_ETH + VHDR_IP + VHDR_TCP)
#define VHDR_ALL                                                               \
    (PLAT_NET_OFFLOAD_CSUM | PLAT_NET_OFFLOAD_TSO4 | PLAT_NET_OFFLOAD_TSO6)

static uint8_t vhdr_buf[sizeof(struct plat_net_vhdr) + PLAT_NET_GSO_MAX];

static uint8_t vhdr_pattern(size_t i)
{
    return (uint8_t)((i * 7 + 3) & 0xff);
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* The one's complement sum of n bytes, folded, added to sum. */
static uint32_t vhdr_sum(const uint8_t *p, size_t n, uint32_t sum)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += get16(p + i);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

/* Wait for an IPv4 TCP frame on h (skipping any other): its length,
 * header included if hdr, or 0 at the deadline. */
static size_t vhdr_wait_tcp(plat_handle h, size_t hdr)
{
    uint64_t deadline = plat_clock_monotonic() + VHDR_WAIT_NS;
    while (plat_clock_monotonic() < deadline) {
        plat_handle_set ready;
        plat_yield(deadline, &ready);
        size_t n;
        while (plat_net_read(h, vhdr_buf, sizeof vhdr_buf, &n) == PLAT_OK) {
            const uint8_t *f = vhdr_buf + hdr;
            if (n >= hdr + VHDR_HEADERS && get16(f + 12) == 0x0800 &&
                f[VHDR_ETH + 9] == 6)
                return n;
        }
    }
    return 0;
}

/* Check the peer's frame (n bytes, header included if hdr). */
static void vhdr_check_received(size_t n, size_t hdr, bool tso, uint8_t *peer)
{
    struct plat_net_vhdr v = {0};
    if (hdr)
        __builtin_memcpy(&v, vhdr_buf, sizeof v);
    size_t payload = tso ? 3000 : 1000;
    guest_check(n == hdr + VHDR_HEADERS + payload,
                tso ? "the peer's super-frame arrives whole"
                    : "the peer's frame arrives");
    if (tso)
        guest_check(v.gso_type == PLAT_NET_GSO_TCPV4 && v.gso_size == 1000,
                    "its header says TCPV4, gso_size 1000");
    bool same = n == hdr + VHDR_HEADERS + payload;
    const uint8_t *data = vhdr_buf + hdr + VHDR_HEADERS;
    for (size_t i = 0; same && i < payload; i++)
        same = data[i] == vhdr_pattern(i);
    guest_check(same, "its payload is the peer's");
    __builtin_memcpy(peer, vhdr_buf + hdr + 6, 6);
}

/* Build and send a TCP frame of `payload` bytes to the peer at MAC peer
 * (with TSO a super-frame of 1448-byte segments). */
static enum plat_result vhdr_send_payload(plat_handle h, const uint8_t mac[6],
                                          const uint8_t peer[6], size_t hdr,
                                          bool tso, size_t payload)
{
    uint8_t *f = vhdr_buf + hdr;
    __builtin_memcpy(f, peer, 6);
    __builtin_memcpy(f + 6, mac, 6);
    put16(f + 12, 0x0800);
    uint8_t *ip = f + VHDR_ETH, *tcp = ip + VHDR_IP;
    static const uint8_t ip_head[12] = {0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 6};
    __builtin_memcpy(ip, ip_head, sizeof ip_head);
    put16(ip + 2, VHDR_IP + VHDR_TCP + payload);
    static const uint8_t addrs[8] = {10, 0, 0, 2, 10, 0, 0, 1};
    __builtin_memcpy(ip + 12, addrs, 8);
    put16(ip + 10, ~vhdr_sum(ip, VHDR_IP, 0) & 0xffff);
    static const uint8_t tcp_head[20] = {
        0x1e, 0x61, 0x1e, 0x62, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff};
    __builtin_memcpy(tcp, tcp_head, sizeof tcp_head);
    for (size_t i = 0; i < payload; i++)
        tcp[VHDR_TCP + i] = vhdr_pattern(i);
    /* The pseudo-header's sum: all of the checksum with NEEDS_CSUM. */
    uint32_t pseudo = vhdr_sum(addrs, 8, 6 + VHDR_TCP + payload);
    if (hdr) {
        struct plat_net_vhdr v = {.flags = PLAT_NET_VHDR_NEEDS_CSUM,
                                  .csum_start = VHDR_ETH + VHDR_IP,
                                  .csum_offset = 16};
        if (tso) {
            v.gso_type = PLAT_NET_GSO_TCPV4;
            v.gso_size = 1448;
            v.hdr_len = VHDR_HEADERS;
        }
        __builtin_memcpy(vhdr_buf, &v, sizeof v);
        put16(tcp + 16, pseudo);
    } else {
        put16(tcp + 16, ~vhdr_sum(tcp, VHDR_TCP + payload, pseudo) & 0xffff);
    }
    return plat_net_write(h, vhdr_buf, hdr + VHDR_HEADERS + payload);
}

/* Acquire "service" with `wanted` and say what it got: its handle and
 * info. */
static plat_handle vhdr_acquire(uint32_t wanted, struct plat_net_info *ni)
{
    plat_handle h = 0;
    if (plat_net_acquire_offload("service", wanted, &h, ni) != PLAT_OK)
        plat_exit(2);
    guest_print("offloads ");
    guest_print_u64(ni->offloads);
    guest_print("\n");
    return h;
}

static void vhdr_exchange(uint32_t wanted, uint32_t expected)
{
    struct plat_net_info ni;
    plat_handle h = vhdr_acquire(wanted, &ni);
    guest_check(ni.offloads == expected, "offloads as expected");
    size_t hdr = ni.offloads ? sizeof(struct plat_net_vhdr) : 0;
    bool tso = (ni.offloads & PLAT_NET_OFFLOAD_TSO4) != 0;
    guest_print("ready\n");
    size_t n = vhdr_wait_tcp(h, hdr);
    guest_check(n > 0, "a TCP frame from the peer");
    if (n == 0)
        return;
    uint8_t peer[6];
    vhdr_check_received(n, hdr, tso, peer);
    guest_check(vhdr_send_payload(h, ni.mac, peer, hdr, tso,
                                  tso ? 4344 : 1000) == PLAT_OK,
                tso ? "a super-frame sent" : "a frame sent");
}

/* ---- Bulk transfer, for bench/vhdr.sh ---- */

#define VHDR_MIB (1ull << 20)

/* Send mib MiB of TCP payload to the broadcast address (Linux counts and
 * drops it): 64000 bytes per super-frame with TSO, else MTU-sized frames. */
static void vhdr_blast_send(uint32_t wanted, uint64_t mib)
{
    struct plat_net_info ni;
    plat_handle h = vhdr_acquire(wanted, &ni);
    size_t hdr = ni.offloads ? sizeof(struct plat_net_vhdr) : 0;
    bool tso = (ni.offloads & PLAT_NET_OFFLOAD_TSO4) != 0;
    size_t payload = tso ? 64000 : ni.mtu - VHDR_IP - VHDR_TCP;
    static const uint8_t all[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    uint64_t sent = 0, frames = 0;
    /* The frame is built once: where guest instructions are emulated,
     * building it each time would be most of the cost. */
    enum plat_result r = vhdr_send_payload(h, ni.mac, all, hdr, tso, payload);
    while (r == PLAT_OK) {
        sent += payload;
        frames++;
        if (sent >= mib * VHDR_MIB)
            break;
        r = plat_net_write(h, vhdr_buf, hdr + VHDR_HEADERS + payload);
    }
    guest_print("sent ");
    guest_print_u64(sent);
    guest_print(" bytes in ");
    guest_print_u64(frames);
    guest_print(" frames\n");
}

/* Receive TCP frames until mib MiB of payload came or none came for 2 s. */
static void vhdr_blast_receive(uint32_t wanted, uint64_t mib)
{
    struct plat_net_info ni;
    plat_handle h = vhdr_acquire(wanted, &ni);
    size_t hdr = ni.offloads ? sizeof(struct plat_net_vhdr) : 0;
    uint64_t got = 0, frames = 0;
    guest_print("ready\n");
    uint64_t idle = plat_clock_monotonic() + 20000000000ull;
    while (got < mib * VHDR_MIB && plat_clock_monotonic() < idle) {
        plat_handle_set ready;
        plat_yield(idle, &ready);
        size_t n;
        while (plat_net_read(h, vhdr_buf, sizeof vhdr_buf, &n) == PLAT_OK) {
            if (n < hdr + VHDR_HEADERS)
                continue;
            got += n - hdr - VHDR_HEADERS;
            frames++;
            idle = plat_clock_monotonic() + 2000000000ull;
        }
    }
    guest_print("received ");
    guest_print_u64(got);
    guest_print(" bytes in ");
    guest_print_u64(frames);
    guest_print(" frames\n");
}

/* "bad" tests: acquire "service" with every offload, which it must get. */
static plat_handle vhdr_acquire_all(struct plat_net_info *ni)
{
    plat_handle h = 0;
    guest_check(plat_net_acquire_offload("service", VHDR_ALL, &h, ni) ==
                        PLAT_OK &&
                    ni->offloads == VHDR_ALL,
                "every offload switched on");
    return h;
}

/* Run the test the guest's arguments name if it is one of these:
 * "exchange WANTED EXPECTED", "send WANTED MIB", "receive WANTED MIB". */
static bool vhdr_shared_test(const struct plat_boot *boot)
{
    if (boot->argc != 4)
        return false;
    const char *what = boot->argv[1];
    uint32_t wanted = (uint32_t)guest_atou(boot->argv[2]);
    uint64_t n = guest_atou(boot->argv[3]);
    if (guest_streq(what, "exchange"))
        vhdr_exchange(wanted, (uint32_t)n);
    else if (guest_streq(what, "send"))
        vhdr_blast_send(wanted, n);
    else if (guest_streq(what, "receive"))
        vhdr_blast_receive(wanted, n);
    else
        return false;
    return true;
}

#endif
