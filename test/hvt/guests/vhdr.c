/* Test guest for MirageC's virtio-net header on hvt (MIRAGE_EXT_NET_VHDR).
 * Declares two network devices: "service" (handle 1, a tap) and "extra"
 * (2). By its arguments:
 *   exchange WANTED EXPECTED  test/tender/vhdr_guest.h's exchange with
 *          the peer, through the platform interface (NETV under
 *          mirage-hvt, NET_WRITE and NET_READ under a tender that does
 *          not grant NET_VEC)
 *   send WANTED MIB, receive WANTED MIB  bulk transfer (bench/vhdr.sh)
 *   bad    with every offload switched on, raw hypercalls the tender must
 *          refuse with EINVAL, sending nothing: NET_WRITE of frames with
 *          bad header flags, a GSO type not offered, a plain frame over
 *          the MTU, a GSO frame over 64 KiB, a frame shorter than its
 *          headers, a checksum past the frame, and a NETV batch with
 *          one bad frame among good ones; NET_OFFLOAD asking for TSO
 *          without CSUM or for an offload not offered
 *   extra  NET_OFFLOAD on "extra", whose tap has no header: the guest is
 *          stopped
 * Prints "ok WHAT" or "FAILED WHAT" per check; exits 0 if all passed. */
#include "../../../plat/hvt/hvt.h"
#include "../../../plat/solo5/ext.h"
#include "../../tender/vhdr_guest.h"

SOLO5_MANIFEST(2, SOLO5_MFT_NET("service"), SOLO5_MFT_NET("extra"));

enum { SERVICE = 1, EXTRA = 2 };

static int net_offload(uint64_t handle, uint32_t offloads)
{
    static struct mirage_hvt_net_offload o;
    o = (struct mirage_hvt_net_offload){
        .handle = handle, .offloads = offloads, .ret = -1};
    hvt_hypercall(MIRAGE_HVT_HC_NET_OFFLOAD, &o);
    return o.ret;
}

/* NET_WRITE of len bytes of vhdr_buf behind header v. */
static int write_with(struct mirage_net_vhdr v, uint64_t len)
{
    static struct solo5_hvt_net_io io;
    __builtin_memcpy(vhdr_buf, &v, sizeof v);
    io = (struct solo5_hvt_net_io){.handle = SERVICE,
                                   .data = (uint64_t)(uintptr_t)vhdr_buf,
                                   .len = len,
                                   .ret = -1};
    hvt_hypercall(SOLO5_HVT_HC_NET_WRITE, &io);
    return io.ret;
}

static uint8_t area[4 * 2048] __attribute__((aligned(8)));

/* A NETV batch of three 60-byte frames behind headers, the second one's
 * flags `flags`. */
static int netv_batch(uint8_t flags)
{
    uint64_t at = 0;
    for (unsigned i = 0; i < 3; i++) {
        struct mirage_netv_frame f = {.len = 12 + 60};
        struct mirage_net_vhdr v = {.flags = i == 1 ? flags : 0};
        __builtin_memcpy(area + at, &f, sizeof f);
        __builtin_memcpy(area + at + sizeof f, &v, sizeof v);
        at += sizeof f + 72;
    }
    static struct mirage_hvt_netv n;
    n = (struct mirage_hvt_netv){.handle = SERVICE,
                                 .tx_area = (uint64_t)(uintptr_t)area,
                                 .tx_size = at,
                                 .tx_count = 3,
                                 .ret = -1};
    hvt_hypercall(MIRAGE_HVT_HC_NETV, &n);
    return n.ret;
}

static void bad(void)
{
    struct plat_net_info ni;
    vhdr_acquire_all(&ni);
    guest_check(net_offload(SERVICE, MIRAGE_NET_OFFLOAD_TSO4) == SOLO5_R_EINVAL,
                "NET_OFFLOAD of TSO without CSUM is EINVAL");
    guest_check(net_offload(SERVICE, 8) == SOLO5_R_EINVAL,
                "NET_OFFLOAD of an offload not offered is EINVAL");
    const struct mirage_net_vhdr gso = {.flags = MIRAGE_NET_VHDR_NEEDS_CSUM,
                                        .gso_type = MIRAGE_NET_GSO_TCPV4,
                                        .hdr_len = VHDR_HEADERS,
                                        .gso_size = 1448,
                                        .csum_start = 34,
                                        .csum_offset = 16};
    struct mirage_net_vhdr v = {.flags = MIRAGE_NET_VHDR_DATA_VALID};
    guest_check(write_with(v, 12 + 60) == SOLO5_R_EINVAL,
                "a frame with flags DATA_VALID is EINVAL");
    v = gso;
    v.gso_type = 3;
    guest_check(write_with(v, 12 + 3000) == SOLO5_R_EINVAL,
                "a GSO type not offered is EINVAL");
    guest_check(write_with((struct mirage_net_vhdr){0}, 12 + ni.mtu + 15) ==
                    SOLO5_R_EINVAL,
                "a plain frame over the MTU is EINVAL");
    guest_check(write_with(gso, 12 + PLAT_NET_GSO_MAX + 1) == SOLO5_R_EINVAL,
                "a GSO frame over 64 KiB is EINVAL");
    guest_check(write_with(gso, 12 + 40) == SOLO5_R_EINVAL,
                "a GSO frame shorter than its headers is EINVAL");
    v = gso;
    v.gso_type = 0;
    v.csum_offset = 60;
    guest_check(write_with(v, 12 + 80) == SOLO5_R_EINVAL,
                "a checksum past the frame is EINVAL");
    guest_check(netv_batch(4) == SOLO5_R_EINVAL,
                "a NETV batch with one bad header is EINVAL");
    guest_check(netv_batch(0) == SOLO5_R_OK, "the same batch, good, is sent");
}

_Noreturn void mirage_rt_boot(const struct plat_boot *boot)
{
    const char *what = boot->argc > 1 ? boot->argv[1] : "";
    if (!vhdr_shared_test(boot)) {
        if (guest_streq(what, "bad"))
            bad();
        else if (guest_streq(what, "extra"))
            net_offload(EXTRA, MIRAGE_NET_OFFLOAD_CSUM);
        else
            guest_check(false, "known test");
    }
    plat_exit(guest_failures == 0 ? 0 : 1);
}
