/* Test guest for MirageC's virtio-net header on spt (MIRAGE_EXT_NET_VHDR).
 * Declares two network devices: "service" (handle 1, a tap) and "extra"
 * (2). By its arguments:
 *   exchange WANTED EXPECTED  test/tender/vhdr_guest.h's exchange with
 *          the peer
 *   send WANTED MIB, receive WANTED MIB  bulk transfer (bench/vhdr.sh)
 *   bad    with every offload switched on, a frame whose header has an
 *          unknown GSO type is refused by the host (PLAT_EUNSPEC) and a
 *          good one still goes; a raw TUNSETOFFLOAD of an offload not
 *          granted (TUN_F_UFO) kills the guest (SIGSYS)
 * Prints "ok WHAT" or "FAILED WHAT" per check; exits 0 if all passed. */
#include "../../../plat/linux/syscall.h"
#include "../../../plat/solo5/manifest.h"
#include "../../tender/vhdr_guest.h"

SOLO5_MANIFEST(2, SOLO5_MFT_NET("service"), SOLO5_MFT_NET("extra"));

static void bad(void)
{
    struct plat_net_info ni;
    plat_handle h = vhdr_acquire_all(&ni);
    struct plat_net_vhdr v = {.flags = PLAT_NET_VHDR_NEEDS_CSUM,
                              .gso_type = 2, /* no such type */
                              .hdr_len = VHDR_HEADERS,
                              .gso_size = 1000,
                              .csum_start = 34,
                              .csum_offset = 16};
    __builtin_memcpy(vhdr_buf, &v, sizeof v);
    guest_check(plat_net_write(h, vhdr_buf, 12 + 3000) == PLAT_EUNSPEC,
                "an unknown GSO type is refused");
    v = (struct plat_net_vhdr){0};
    __builtin_memcpy(vhdr_buf, &v, sizeof v);
    guest_check(plat_net_write(h, vhdr_buf, 12 + 60) == PLAT_OK,
                "a good frame still goes");
    guest_print("ufo\n");
    const struct solo5_mft_entry *e =
        solo5_mft_device(h, SOLO5_MFT_DEV_NET_BASIC);
    linux_syscall3(LINUX_SYS_ioctl, e->b.hostfd, LINUX_TUNSETOFFLOAD, 0x11ul);
    guest_check(false, "TUNSETOFFLOAD of UFO is refused");
}

_Noreturn void mirage_rt_boot(const struct plat_boot *boot)
{
    const char *what = boot->argc > 1 ? boot->argv[1] : "";
    if (!vhdr_shared_test(boot)) {
        if (guest_streq(what, "bad"))
            bad();
        else
            guest_check(false, "known test");
    }
    plat_exit(guest_failures == 0 ? 0 : 1);
}
