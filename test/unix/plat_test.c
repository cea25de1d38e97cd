/* A unikernel that exercises the unix platform directly, linked like any
 * unikernel (start.o, the runtime, the device libraries, libplat.a).
 * test/unix/plat.sh runs it as `plat_unix COMMAND ARGS...`; each check
 * prints "ok WHAT" or "FAILED WHAT", and the status is 1 if any failed. */
#include <mirage/clock.h>
#include <mirage/plat.h>
#include <mirage/random.h>
#include <mirage/rt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../plat/linux/syscall.h"

static int failures;

static void check(const char *what, int ok)
{
    printf("%s %s\n", ok ? "ok" : "FAILED", what);
    if (!ok)
        failures++;
}

static uint64_t arg_u64(const char *s)
{
    return strtoull(s, NULL, 10);
}

/* One write of n bytes of a recognisable pattern. */
static void cmd_console(uint64_t n)
{
    char *buf = malloc(n);
    check("console buffer", buf != NULL);
    if (!buf)
        return;
    for (uint64_t i = 0; i < n; i++)
        buf[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
    plat_console_write(buf, n);
    free(buf);
}

static void cmd_clocks(void)
{
    uint64_t prev = plat_clock_monotonic(), first = prev;
    int backwards = 0;
    for (int i = 0; i < 200000; i++) {
        uint64_t now = plat_clock_monotonic();
        if (now < prev)
            backwards++;
        prev = now;
    }
    check("monotonic never goes backwards", backwards == 0);
    check("monotonic advances", prev > first);

    struct mirage_mclock *m;
    struct mirage_pclock *p;
    check("mclock connects", mirage_mclock_connect_default(&m) == 0);
    uint64_t e1 = mirage_mclock_elapsed_ns(m);
    uint64_t t0 = plat_clock_monotonic();
    while (plat_clock_monotonic() - t0 < 2000000)
        ;
    uint64_t e2 = mirage_mclock_elapsed_ns(m);
    check("mclock elapsed grows", e2 >= e1 + 2000000);
    check("pclock connects", mirage_pclock_connect_default(&p) == 0);
    uint64_t wall = mirage_pclock_now_ns(p);
    uint64_t diff = wall > plat_clock_wall() ? wall - plat_clock_wall()
                                             : plat_clock_wall() - wall;
    check("pclock is the wall clock", diff < 1000000000u);
    printf("wall %llu\n", (unsigned long long)(wall / 1000000000u));
}

static void cmd_heap(uint64_t mib)
{
    size_t len = (size_t)mib << 20;
    unsigned char *p = malloc(len);
    check("large allocation", p != NULL);
    if (!p)
        return;
    memset(p, 0x5a, len);
    int intact = 1;
    for (size_t i = 0; i < len; i += 4096)
        intact &= p[i] == 0x5a;
    check("large allocation is usable", intact && p[len - 1] == 0x5a);
    free(p);
}

static void cmd_canary(void)
{
    uint64_t canary, self, base = 0;
    __asm__ volatile("movq %%fs:0x28, %0" : "=r"(canary));
    __asm__ volatile("movq %%fs:0, %0" : "=r"(self));
    linux_syscall2(LINUX_SYS_arch_prctl, LINUX_ARCH_GET_FS, &base);
    check("stack canary is set", canary != 0);
    check("TCB self pointer", self == base && base != 0);
}

/* Overrun a local array by the length of s: the stack protector must
 * stop the unikernel before this returns. */
static void __attribute__((noinline)) cmd_smash(const char *s)
{
    char buf[8];
    volatile size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        buf[i] = s[i];
    printf("copied %.4s\n", buf);
}

static void cmd_yield(uint64_t ms)
{
    plat_handle_set ready = 1;
    uint64_t start = plat_clock_monotonic();
    plat_yield(start + ms * 1000000u, &ready);
    uint64_t took = (plat_clock_monotonic() - start) / 1000000u;
    printf("yield took %llu ms\n", (unsigned long long)took);
    check("yield reports nothing ready", ready == 0);
    check("yield waits for the deadline", took >= ms);
    /* Late by at most a busy machine's delay, not by a unit's factor. */
    check("yield returns near the deadline", took < ms + 10000);
    ready = 1;
    start = plat_clock_monotonic();
    plat_yield(start - 1, &ready);
    took = (plat_clock_monotonic() - start) / 1000000u;
    check("yield with a past deadline returns without waiting for an event",
          ready == 0 && took < 10000);
}

static void cmd_block(const char *path)
{
    plat_handle h, h2;
    struct plat_block_info info;
    static unsigned char out[512], in[512];
    check("block acquire", plat_block_acquire(path, &h, &info) == PLAT_OK);
    printf("capacity %llu block %llu ro %d\n",
           (unsigned long long)info.capacity,
           (unsigned long long)info.block_size, info.read_only);
    check("block acquired twice",
          plat_block_acquire(path, &h2, &info) == PLAT_EINVAL);
    for (int i = 0; i < 512; i++)
        out[i] = (unsigned char)(i * 7 + 1);
    uint64_t last = info.capacity - 512;
    check("write the last block", plat_block_write(h, last, out, 512) == 0);
    check("read the last block", plat_block_read(h, last, in, 512) == 0);
    check("read back what was written", memcmp(in, out, 512) == 0);
    check("write block 1", plat_block_write(h, 512, out, 512) == 0);
    check("misaligned read", plat_block_read(h, 100, in, 512) == PLAT_EINVAL);
    check("misaligned write",
          plat_block_write(h, 513, out, 512) == PLAT_EINVAL);
    check("read past the end",
          plat_block_read(h, info.capacity, in, 512) == PLAT_EINVAL);
    check("write past the end",
          plat_block_write(h, info.capacity, out, 512) == PLAT_EINVAL);
    check("huge offset",
          plat_block_read(h, UINT64_MAX - 511, in, 512) == PLAT_EINVAL);
    check("short read", plat_block_read(h, 0, in, 256) == PLAT_EINVAL);
    check("long write", plat_block_write(h, 0, out, 1024) == PLAT_EINVAL);
    check("NULL buffer", plat_block_read(h, 0, NULL, 512) == PLAT_EINVAL);
    check("bad handle", plat_block_read(h + 1, 0, in, 512) == PLAT_EINVAL);
    check("handle out of range",
          plat_block_read(PLAT_MAX_DEVICES, 0, in, 512) == PLAT_EINVAL);
}

/* A write to address 16, where nothing is mapped. */
static void cmd_fault(void)
{
    int *volatile p = (int *)16;
    *p = 1;
}

/* A block at 5 GiB of a (sparse) file larger than that. */
static void cmd_block_high(const char *path)
{
    plat_handle h;
    struct plat_block_info info;
    static unsigned char out[512], in[512];
    check("block acquire", plat_block_acquire(path, &h, &info) == PLAT_OK);
    uint64_t at = 5ull << 30;
    memset(out, 0x52, sizeof out);
    check("capacity above 5 GiB", info.capacity > at);
    check("write at 5 GiB", plat_block_write(h, at, out, 512) == PLAT_OK);
    check("read at 5 GiB", plat_block_read(h, at, in, 512) == PLAT_OK &&
                               memcmp(in, out, 512) == 0);
}

/* Write blocks until the host fails one (a full file system). */
static void cmd_block_full(const char *path)
{
    plat_handle h;
    struct plat_block_info info;
    static unsigned char out[512], in[512];
    check("block acquire", plat_block_acquire(path, &h, &info) == PLAT_OK);
    memset(out, 7, sizeof out);
    uint64_t n = 0;
    enum plat_result r = PLAT_OK;
    while (n * 512 < info.capacity &&
           (r = plat_block_write(h, n * 512, out, 512)) == PLAT_OK)
        n++;
    printf("wrote %llu blocks, then %s\n", (unsigned long long)n,
           r == PLAT_EUNSPEC ? "EUNSPEC" : "no error");
    check("still reads after the failed write",
          n > 0 && plat_block_read(h, 0, in, 512) == PLAT_OK &&
              memcmp(in, out, 512) == 0);
}

static void cmd_block_ro(const char *path)
{
    plat_handle h;
    struct plat_block_info info;
    static unsigned char buf[512];
    check("read-only acquire", plat_block_acquire(path, &h, &info) == 0);
    check("reported read-only", info.read_only);
    check("read works", plat_block_read(h, 0, buf, 512) == PLAT_OK);
    check("write refused", plat_block_write(h, 0, buf, 512) == PLAT_EINVAL);
}

static void cmd_block_bad(const char *missing, const char *dir)
{
    plat_handle h;
    struct plat_block_info info;
    check("missing file",
          plat_block_acquire(missing, &h, &info) == PLAT_EINVAL);
    check("directory", plat_block_acquire(dir, &h, &info) == PLAT_EINVAL);
    check("empty name", plat_block_acquire("", &h, &info) == PLAT_EINVAL);
}

static void cmd_random(void)
{
    struct mirage_random *r;
    uint8_t a[32], b[32];
    check("random connects", mirage_random_connect_default(&r) == 0);
    check("generate", mirage_random_generate(r, a, sizeof a) == 0 &&
                          mirage_random_generate(r, b, sizeof b) == 0);
    check("outputs differ", memcmp(a, b, sizeof a) != 0);
    check("uniform in range", mirage_random_uniform(r, 3) < 3);
}

static void cmd_net_bad(void)
{
    plat_handle h;
    struct plat_net_info info;
    check("missing tap",
          plat_net_acquire("mirage-none0", &h, &info) == PLAT_EINVAL);
    check("name too long",
          plat_net_acquire("a-very-long-ifname-0", &h, &info) == PLAT_EINVAL);
    check("empty name", plat_net_acquire("", &h, &info) == PLAT_EINVAL);
    check("write on a bad handle", plat_net_write(5, "x", 1) == PLAT_EINVAL);
}

/* Send frames on the tap until the host fails one (the tap deleted),
 * then read until a read fails. */
static void cmd_net_down(const char *tap)
{
    plat_handle h;
    struct plat_net_info info;
    static uint8_t frame[65536];
    if (plat_net_acquire(tap, &h, &info) != PLAT_OK) {
        check("tap acquire", 0);
        return;
    }
    memset(frame, 0xff, 60);
    printf("sending\n");
    fflush(stdout);
    uint64_t deadline = plat_clock_monotonic() + 20000000000ull;
    enum plat_result r = PLAT_OK;
    while (r == PLAT_OK && plat_clock_monotonic() < deadline) {
        plat_handle_set ready;
        r = plat_net_write(h, frame, 60);
        plat_yield(plat_clock_monotonic() + 1000000, &ready);
    }
    /* Reads fail too once the interface is gone (it may still be going
     * down when the first write fails). */
    enum plat_result rr;
    do {
        size_t got;
        plat_handle_set ready;
        rr = plat_net_read(h, frame, sizeof frame, &got);
        plat_yield(plat_clock_monotonic() + 1000000, &ready);
    } while ((rr == PLAT_AGAIN || rr == PLAT_OK) &&
             plat_clock_monotonic() < deadline);
    printf("write %s, read %s\n", r == PLAT_EUNSPEC ? "EUNSPEC" : "ok",
           rr == PLAT_EUNSPEC ? "EUNSPEC" : "ok");
}

/* Acquire the tap asking for the offloads `wanted`, send one frame, then
 * wait (up to 20 s) for one. With offloads granted, frames move behind a
 * virtio-net header: a zero one on the frame sent, and the one read must
 * say it is a plain frame (no GSO). */
static void cmd_net(const char *tap, uint32_t wanted)
{
    plat_handle h, h2;
    struct plat_net_info info;
    static uint8_t buf[PLAT_NET_GSO_MAX + 64];
    size_t got = 0;
    if (plat_net_acquire_offload(tap, wanted, &h, &info) != PLAT_OK) {
        check("tap acquire", 0);
        return;
    }
    printf("mtu %zu mac %02x:%02x:%02x:%02x:%02x:%02x offloads %u\n", info.mtu,
           info.mac[0], info.mac[1], info.mac[2], info.mac[3], info.mac[4],
           info.mac[5], (unsigned)info.offloads);
    check("MAC is unicast and locally administered", (info.mac[0] & 3) == 2);
    check("tap acquired twice",
          plat_net_acquire(tap, &h2, &info) == PLAT_EINVAL);
    size_t hdr = info.offloads ? sizeof(struct plat_net_vhdr) : 0;
    size_t max = hdr + (info.offloads & PLAT_NET_OFFLOAD_TSO4 ? PLAT_NET_GSO_MAX
                                                              : info.mtu + 14);
    uint8_t *frame = buf + hdr;
    check("oversized frame", plat_net_write(h, buf, max + 1) == PLAT_EINVAL);
    check("read buffer too small",
          plat_net_read(h, buf, max - 1, &got) == PLAT_EINVAL);

    /* A broadcast frame with a local experimental EtherType. */
    memset(buf, 0, hdr);
    memset(frame, 0xff, 6);
    memcpy(frame + 6, info.mac, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    memset(frame + 14, 0, 46);
    check("send a frame", plat_net_write(h, buf, hdr + 60) == PLAT_OK);
    printf("net ready\n");
    fflush(stdout);

    uint64_t deadline = plat_clock_monotonic() + 20000000000ull;
    while (plat_clock_monotonic() < deadline) {
        plat_handle_set ready;
        plat_yield(deadline, &ready);
        if (!(ready & ((plat_handle_set)1 << h)))
            continue;
        enum plat_result r = plat_net_read(h, buf, sizeof buf, &got);
        if (r == PLAT_AGAIN)
            continue;
        check("read a frame", r == PLAT_OK && got >= hdr + 14);
        if (hdr) {
            struct plat_net_vhdr v;
            memcpy(&v, buf, sizeof v);
            check("virtio-net header of a plain frame",
                  v.gso_type == PLAT_NET_GSO_NONE && v.gso_size == 0 &&
                      !(v.flags & PLAT_NET_VHDR_NEEDS_CSUM));
        }
        printf("frame ethertype %02x%02x len %zu\n", frame[12], frame[13],
               got - hdr);
        check("nothing more to read",
              plat_net_read(h, buf, sizeof buf, &got) == PLAT_AGAIN);
        return;
    }
    check("a frame arrived in time", 0);
}

int mirage_app_main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: %s COMMAND [ARGS]\n", argv[0]);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "hello"))
        printf("hello from %s\n", mirage_target());
    else if (!strcmp(cmd, "console") && argc == 3)
        cmd_console(arg_u64(argv[2]));
    else if (!strcmp(cmd, "clocks"))
        cmd_clocks();
    else if (!strcmp(cmd, "heap") && argc == 3)
        cmd_heap(arg_u64(argv[2]));
    else if (!strcmp(cmd, "canary"))
        cmd_canary();
    else if (!strcmp(cmd, "smash") && argc == 3)
        cmd_smash(argv[2]);
    else if (!strcmp(cmd, "yield") && argc == 3)
        cmd_yield(arg_u64(argv[2]));
    else if (!strcmp(cmd, "block") && argc == 3)
        cmd_block(argv[2]);
    else if (!strcmp(cmd, "block-high") && argc == 3)
        cmd_block_high(argv[2]);
    else if (!strcmp(cmd, "block-full") && argc == 3)
        cmd_block_full(argv[2]);
    else if (!strcmp(cmd, "net-down") && argc == 3)
        cmd_net_down(argv[2]);
    else if (!strcmp(cmd, "fault"))
        cmd_fault();
    else if (!strcmp(cmd, "block-ro") && argc == 3)
        cmd_block_ro(argv[2]);
    else if (!strcmp(cmd, "block-bad") && argc == 4)
        cmd_block_bad(argv[2], argv[3]);
    else if (!strcmp(cmd, "random"))
        cmd_random();
    else if (!strcmp(cmd, "net-bad"))
        cmd_net_bad();
    else if (!strcmp(cmd, "net") && argc == 4)
        cmd_net(argv[2], (uint32_t)arg_u64(argv[3]));
    else if (!strcmp(cmd, "exit") && argc == 3)
        return (int)arg_u64(argv[2]);
    else if (!strcmp(cmd, "abort"))
        plat_abort();
    else if (!strcmp(cmd, "argv")) {
        for (int i = 2; i < argc; i++)
            printf("[%s]\n", argv[i]);
    } else {
        printf("unknown command or arguments: %s\n", cmd);
        return 2;
    }
    return failures ? 1 : 0;
}
