/* A reference for bench/net_ping.sh: the least a user-space program can do
 * to answer pings on a tap. It opens the tap named by its first argument
 * (IFF_TAP | IFF_NO_PI), claims the IPv4 address and MAC given next, and
 * answers ARP requests for the address and ICMP echo requests to it, in
 * place (addresses swapped, the checksum adjusted), one read and one write
 * per frame. With "spin" as the fourth argument it reads without ever
 * blocking (a busy loop, as --busy-poll does); otherwise it blocks in
 * read. It runs until killed.
 *   tap_pong TAP IPV4 MAC [spin] */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Answer frame f (n bytes) in place: the length of the answer, or 0. */
static size_t answer(uint8_t *f, size_t n, const uint8_t ip[4],
                     const uint8_t mac[6])
{
    if (n < 42)
        return 0;
    uint16_t type = get16(f + 12);
    uint8_t *p = f + 14;
    if (type == 0x0806 && get16(p + 6) == 1 && memcmp(p + 24, ip, 4) == 0) {
        put16(p + 6, 2); /* ARP reply: sender becomes target */
        memcpy(p + 18, p + 8, 10);
        memcpy(p + 8, mac, 6);
        memcpy(p + 14, ip, 4);
        memcpy(f, f + 6, 6);
        memcpy(f + 6, mac, 6);
        return n;
    }
    size_t hl = (size_t)(p[0] & 15) * 4;
    if (type != 0x0800 || p[0] >> 4 != 4 || p[9] != 1 || n < 14 + hl + 8 ||
        memcmp(p + 16, ip, 4) != 0 || p[hl] != 8)
        return 0;
    uint8_t tmp[6];
    memcpy(p + 16, p + 12, 4); /* IPv4 header checksum is unchanged */
    memcpy(p + 12, ip, 4);
    p[hl] = 0; /* echo reply: the checksum gains 0x0800 (RFC 1624) */
    uint32_t sum = (uint32_t)get16(p + hl + 2) + 0x0800;
    put16(p + hl + 2, (uint16_t)(sum + (sum >> 16)));
    memcpy(tmp, f + 6, 6);
    memcpy(f, tmp, 6);
    memcpy(f + 6, mac, 6);
    return n;
}

int main(int argc, char **argv)
{
    uint8_t ip[4], mac[6], f[2048];
    unsigned m[6];
    if ((argc != 4 && argc != 5) || inet_pton(AF_INET, argv[2], ip) != 1 ||
        sscanf(argv[3], "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4],
               &m[5]) != 6) {
        fprintf(stderr, "usage: tap_pong TAP IPV4 MAC [spin]\n");
        return 2;
    }
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)m[i];
    bool spin = argc == 5 && strcmp(argv[4], "spin") == 0;
    int fd = open("/dev/net/tun", O_RDWR | (spin ? O_NONBLOCK : 0));
    struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI};
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", argv[1]);
    if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
        perror("tap_pong: /dev/net/tun");
        return 1;
    }
    printf("tap_pong: ready\n");
    fflush(stdout);
    for (;;) {
        ssize_t n = read(fd, f, sizeof f);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n < 0) {
            perror("tap_pong: read");
            return 1;
        }
        size_t r = answer(f, (size_t)n, ip, mac);
        if (r && write(fd, f, r) < 0)
            perror("tap_pong: write");
    }
}
