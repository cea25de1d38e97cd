/* Test guest with one network device, "service": it answers ARP requests
 * for the IPv4 address in its first argument and echoes UDP datagrams
 * back to their sender, and exits 0 after echoing as many as its second
 * argument says (default 1), or 1 if 20 s pass first. It prints its MAC
 * address and MTU at start. */
#include "../../tender/guest.h"

#include <mirage/plat.h>
#include <mirage/solo5.h>

SOLO5_MANIFEST(1, SOLO5_MFT_NET("service"));

#define ETH_HLEN       14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP  0x0806
#define IPPROTO_UDP    17
#define NS_PER_SEC     1000000000ull

static uint8_t frame[65536 + ETH_HLEN];
static uint8_t mac[6];
static uint8_t ip[4];

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void copy(uint8_t *d, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = s[i];
}

static void swap(uint8_t *a, uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

static bool equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static bool parse_ip(const char *s, uint8_t out[4])
{
    for (int i = 0; i < 4; i++) {
        unsigned v = 0, digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 3) {
            v = v * 10 + (unsigned)(*s++ - '0');
            digits++;
        }
        if (digits == 0 || v > 255 || *s != (i == 3 ? '\0' : '.'))
            return false;
        out[i] = (uint8_t)v;
        s++;
    }
    return true;
}

/* Turn the frame into the reply in place; returns its length or 0. */
static size_t answer(size_t len)
{
    uint8_t *eth = frame, *p = frame + ETH_HLEN;
    if (len < ETH_HLEN + 28)
        return 0;
    uint16_t type = get16(eth + 12);
    if (type == ETHERTYPE_ARP && get16(p + 6) == 1 && equal(p + 24, ip, 4)) {
        p[7] = 2;                /* reply */
        copy(p + 18, p + 8, 10); /* target = the asker */
        copy(p + 8, mac, 6);
        copy(p + 14, ip, 4);
    } else if (type == ETHERTYPE_IPV4 && p[9] == IPPROTO_UDP &&
               equal(p + 16, ip, 4)) {
        size_t ihl = (size_t)(p[0] & 15) * 4;
        if (len < ETH_HLEN + ihl + 8)
            return 0;
        swap(p + 12, p + 16, 4);
        swap(p + ihl, p + ihl + 2, 2);
        p[ihl + 6] = p[ihl + 7] = 0; /* no UDP checksum */
    } else {
        return 0;
    }
    copy(eth, eth + 6, 6);
    copy(eth + 6, mac, 6);
    return len;
}

_Noreturn void mirage_rt_boot(const struct plat_boot *b)
{
    plat_handle h;
    struct plat_net_info info;
    if (b->argc < 2 || !parse_ip(b->argv[1], ip)) {
        guest_print("net: usage: net.spt IPV4 [COUNT]\n");
        plat_exit(2);
    }
    uint64_t want = b->argc > 2 ? guest_atou(b->argv[2]) : 1;
    if (plat_net_acquire("service", &h, &info) != PLAT_OK) {
        guest_print("net: cannot acquire service\n");
        plat_exit(1);
    }
    copy(mac, info.mac, 6);
    static const char hex[] = "0123456789abcdef";
    char m[18];
    for (int i = 0; i < 6; i++) {
        m[3 * i] = hex[mac[i] >> 4];
        m[3 * i + 1] = hex[mac[i] & 15];
        m[3 * i + 2] = i == 5 ? '\0' : ':';
    }
    guest_print("mac ");
    guest_print(m);
    guest_print(" mtu ");
    guest_print_u64(info.mtu);
    guest_print("\n");
    uint64_t deadline = plat_clock_monotonic() + 20 * NS_PER_SEC;
    uint64_t echoed = 0;
    while (echoed < want) {
        if (plat_clock_monotonic() >= deadline) {
            guest_print("net: timed out\n");
            plat_exit(1);
        }
        plat_handle_set ready;
        plat_yield(deadline, &ready);
        if (!(ready & (1ull << h)))
            continue;
        size_t len;
        while (plat_net_read(h, frame, sizeof frame, &len) == PLAT_OK) {
            bool udp = get16(frame + 12) == ETHERTYPE_IPV4;
            size_t n = answer(len);
            if (n && plat_net_write(h, frame, n) == PLAT_OK && udp)
                echoed++;
        }
    }
    guest_print("net ok\n");
    plat_exit(0);
}
