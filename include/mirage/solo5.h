/* Solo5's binary ABI, version 2 (x86_64): the ELF notes every hvt/spt image
 * carries and the boot records the tenders pass to the guest. Shared by the
 * configuration tool (which emits the manifest note), the guest platforms
 * and the tenders, so all agree byte for byte with Solo5. */
#ifndef MIRAGE_SOLO5_H
#define MIRAGE_SOLO5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOLO5_NOTE_NAME     "Solo5"     /* namesz 6, padded to 8 */
#define SOLO5_NOTE_ABI      0x31494241u /* "ABI1" */
#define SOLO5_NOTE_MANIFEST 0x3154464du /* "MFT1" */
#define SOLO5_ABI_VERSION   2
#define SOLO5_INTERP        "/nonexistent/solo5/"

enum solo5_abi_target {
    SOLO5_ABI_TARGET_HVT = 1,
    SOLO5_ABI_TARGET_SPT = 2,
    SOLO5_ABI_TARGET_VIRTIO = 3,
    SOLO5_ABI_TARGET_MUEN = 4,
    SOLO5_ABI_TARGET_GENODE = 5,
    SOLO5_ABI_TARGET_XEN = 6,
};

/* The ABI1 note's descriptor. */
struct solo5_abi_info {
    uint32_t target;
    uint32_t version;
    uint32_t reserved0, reserved1;
};

/* The MFT1 note's descriptor. */
#define SOLO5_MFT_VERSION     1
#define SOLO5_MFT_NAME_SIZE   68 /* 67 alphanumeric characters and a NUL */
#define SOLO5_MFT_MAX_ENTRIES 64 /* including the reserved entry 0 */

enum solo5_mft_type {
    SOLO5_MFT_DEV_BLOCK_BASIC = 1,
    SOLO5_MFT_DEV_NET_BASIC = 2,
    SOLO5_MFT_RESERVED_FIRST = 1u << 30,
};

struct solo5_mft_entry {
    char name[SOLO5_MFT_NAME_SIZE];
    uint32_t type;
    union {
        struct {
            uint64_t capacity;
            uint16_t block_size;
        } block_basic;
        struct {
            uint8_t mac[6];
            uint16_t mtu;
        } net_basic;
    } u;
    union {
        int hostfd;
        void *data;
    } b;
    bool attached;
};
_Static_assert(sizeof(struct solo5_mft_entry) == 104, "mft entry size");

struct solo5_mft {
    uint32_t version;
    uint32_t entries;
    struct solo5_mft_entry e[];
};

/* A note as laid out in the image: header, name padded to 4, descriptor. */
struct solo5_note_header {
    uint32_t namesz, descsz, type;
    char name[8];
};

/* Declaring the manifest. The configuration tool generates, in
 * mirage/manifest.c (linked into the image as an object, so the note is
 * always kept):
 *
 *     #include <mirage/solo5.h>
 *     SOLO5_MANIFEST(2, SOLO5_MFT_NET("service"), SOLO5_MFT_BLOCK("storage"));
 *
 * or `SOLO5_MANIFEST(0);` for an image with no devices. The first argument
 * is the number of devices (0..63) and must equal the number of entries
 * that follow (checked at compile time); names must be 1..67 characters
 * (checked at compile time) and alphanumeric (checked by the tenders).
 * Device handles are 1.. in the order given: entry 0 is always the
 * reserved entry, added by the macro.
 *
 * The result is the MFT1 note exactly as Solo5 lays it out: the 20-byte
 * note header (namesz 6, descsz, type "MFT1", name "Solo5" padded to 8),
 * 4 bytes of padding so the descriptor body is 8-aligned, then struct
 * solo5_mft with entries+1 entries. descsz counts the padding (it is
 * sizeof(note) - 20), and the object is 8-aligned in section
 * .note.solo5.manifest, which the Solo5 link script puts in its own
 * PT_NOTE. */
#define SOLO5_MFT_NAME_CHECK_(s)                                               \
    (0 *                                                                       \
     sizeof(char[sizeof(s) > 1 && sizeof(s) <= SOLO5_MFT_NAME_SIZE ? 1 : -1]))
#define SOLO5_MFT_NET(s)                                                       \
    {                                                                          \
        .name = s, .type = SOLO5_MFT_DEV_NET_BASIC + SOLO5_MFT_NAME_CHECK_(s)  \
    }
#define SOLO5_MFT_BLOCK(s)                                                     \
    {                                                                          \
        .name = s,                                                             \
        .type = SOLO5_MFT_DEV_BLOCK_BASIC + SOLO5_MFT_NAME_CHECK_(s)           \
    }
#define SOLO5_MFT_RESERVED_ENTRY_                                              \
    {                                                                          \
        .name = "", .type = SOLO5_MFT_RESERVED_FIRST                           \
    }
#define SOLO5_MANIFEST(n, ...)                                                 \
    _Static_assert((n) >= 0 && (n) < SOLO5_MFT_MAX_ENTRIES,                    \
                   "SOLO5_MANIFEST: 0 to 63 devices");                         \
    __attribute__((unused)) static const struct solo5_mft_entry                \
        mirage_solo5_manifest_count_[] = {SOLO5_MFT_RESERVED_ENTRY_,           \
                                          __VA_ARGS__};                        \
    _Static_assert(sizeof(mirage_solo5_manifest_count_) ==                     \
                       ((n) + 1) * sizeof(struct solo5_mft_entry),             \
                   "SOLO5_MANIFEST: device count does not match entries");     \
    __attribute__((section(".note.solo5.manifest"), aligned(8), used))         \
    const struct {                                                             \
        struct solo5_note_header h;                                            \
        struct {                                                               \
            uint32_t version;                                                  \
            uint32_t entries;                                                  \
            struct solo5_mft_entry e[(n) + 1];                                 \
        } m;                                                                   \
    } mirage_solo5_manifest = {                                                \
        .h = {.namesz = sizeof(SOLO5_NOTE_NAME),                               \
              .descsz = sizeof(mirage_solo5_manifest) -                        \
                        sizeof(struct solo5_note_header),                      \
              .type = SOLO5_NOTE_MANIFEST,                                     \
              .name = SOLO5_NOTE_NAME},                                        \
        .m = {.version = SOLO5_MFT_VERSION,                                    \
              .entries = (n) + 1,                                              \
              .e = {SOLO5_MFT_RESERVED_ENTRY_, __VA_ARGS__}}}

/* ---- MirageC's extensions of the ABI ----
 * Negotiated, so that MirageC images run under Solo5's tenders and Solo5's
 * images under MirageC's. An image that can use extensions carries, in a
 * PT_NOTE of its own, a note named "MirageC" of type MIRAGE_NOTE_EXT whose
 * descriptor is struct mirage_ext_note: the guest address of a struct
 * mirage_ext in its writable data (zero when the image is loaded) and the
 * features it understands. MirageC's tenders check the address and write
 * into the record, before the guest runs, the features they grant (a
 * subset of those asked for). Solo5's tenders skip the note (it is not a
 * "Solo5" note), so the record stays zero and the guest keeps to the plain
 * ABI. An image without the note is served exactly as Solo5 serves it. */
#define MIRAGE_NOTE_NAME "MirageC"   /* namesz 8 */
#define MIRAGE_NOTE_EXT  0x31545845u /* "EXT1" */

/* The tender reports every guest fault itself in one line (hvt: a HALT
 * with status 255 and a trap cookie; spt: a fault signal), so the guest
 * need not; on spt it first calls the guest's fault_hook. */
#define MIRAGE_EXT_FAULTS 1u
/* spt: the seccomp filter also allows mprotect(PAGE, 4096, PROT_NONE) and
 * mprotect(PAGE, 4096, PROT_READ | PROT_WRITE) for a page-aligned PAGE in
 * guest memory, so that the guest can put guard pages below its stacks.
 * (hvt guests need nothing: they build their own page tables.) */
#define MIRAGE_EXT_SPT_GUARD 2u

/* hvt: the NETV hypercall (MIRAGE_HVT_HC_NETV, below) moves several
 * frames per VM exit on the network devices whose bit is set in the
 * record's net_vec. An image that asks for it has the longer record
 * (MIRAGE_EXT_RECORD_SIZE(features)); a tender that does not grant it
 * leaves net_vec zero and the guest uses NET_WRITE and NET_READ. */
#define MIRAGE_EXT_NET_VEC 4u

/* The virtio-net header on the network devices whose entry in the
 * record's net_vhdr is not zero (MIRAGE_NET_OFFLOAD_*: the offloads the
 * device can take). Negotiated in two steps:
 * - At load, for an image asking for it, the tender opens each tap with
 *   IFF_VNET_HDR and a 12-byte header (TUNSETVNETHDRSZ) and asks the
 *   kernel for checksum and TSO offloads (TUNSETOFFLOAD): the largest of
 *   CSUM|TSO4|TSO6, CSUM|TSO4 and CSUM the kernel accepts is written in
 *   net_vhdr[handle]; then it turns the offloads off again. A device
 *   whose tap refuses all of them (or a "@FD" device, whose descriptor
 *   the tender did not open) is opened as before and gets 0.
 * - At run time the device starts bare: every frame crosses the guest's
 *   boundary without a header, as under Solo5. The guest switches it to
 *   a set S of offloads (S a subset of net_vhdr[handle]; TSO needs CSUM),
 *   or back to bare with S = 0: on hvt with the NET_OFFLOAD hypercall
 *   (below), on spt with ioctl(fd, TUNSETOFFLOAD, S) on the device's
 *   descriptor (the seccomp filter allows exactly the subsets). With S
 *   not 0, every frame of NET_WRITE, NET_READ and NETV, and every read
 *   and write of the spt descriptor, is the 12-byte header (struct
 *   virtio_net_hdr with num_buffers, little-endian: flags, gso_type,
 *   hdr_len, gso_size, csum_start, csum_offset, num_buffers) then the
 *   Ethernet frame, of up to MIRAGE_NET_GSO_MAX bytes with TSO in S (else
 *   MTU + 14).
 * Bare on spt, the guest itself reads and writes the descriptor with
 * readv and writev, the header in its own 12-byte iovec (allowed with
 * exactly 2 iovecs); on hvt the tender adds a zero header to what the
 * guest sends and drops the one of what it receives.
 * Sending with a header, the tender (hvt) checks it before the kernel
 * does: flags 0 or NEEDS_CSUM, which needs CSUM in S and csum_start +
 * csum_offset + 2 within the frame; gso_type NONE (frame at most MTU +
 * 14), or TCPV4/TCPV6 with TSO4/TSO6 in S, NEEDS_CSUM, gso_size not 0 and
 * hdr_len within the frame; anything else is EINVAL and nothing is sent
 * (on spt the kernel refuses such a write with EINVAL).
 * An image asking for it has the longest record (net_vec included, zero
 * unless NET_VEC is granted too). Under a tender that does not grant it
 * (Solo5's), net_vhdr stays zero: every device is bare, and the guest
 * makes neither NET_OFFLOAD nor TUNSETOFFLOAD. */
#define MIRAGE_EXT_NET_VHDR     8u
#define MIRAGE_NET_OFFLOAD_CSUM 1u /* = TUN_F_CSUM, PLAT_NET_OFFLOAD_CSUM */
#define MIRAGE_NET_OFFLOAD_TSO4 2u /* = TUN_F_TSO4 */
#define MIRAGE_NET_OFFLOAD_TSO6 4u /* = TUN_F_TSO6 */
#define MIRAGE_NET_VHDR_SIZE    12u
#define MIRAGE_NET_GSO_MAX      65550u /* Ethernet frame, header excluded */
struct mirage_net_vhdr {
    uint8_t flags;    /* MIRAGE_NET_VHDR_* */
    uint8_t gso_type; /* MIRAGE_NET_GSO_* */
    uint16_t hdr_len, gso_size, csum_start, csum_offset, num_buffers;
};
_Static_assert(sizeof(struct mirage_net_vhdr) == MIRAGE_NET_VHDR_SIZE,
               "virtio-net header");
/* The largest frame (L), header included, of a device of this MTU
 * switched to offloads S (0: bare, MTU + 14). */
static inline uint64_t mirage_net_frame_max(uint64_t mtu, uint32_t offloads)
{
    if (offloads == 0)
        return mtu + 14;
    if (offloads & (MIRAGE_NET_OFFLOAD_TSO4 | MIRAGE_NET_OFFLOAD_TSO6))
        return MIRAGE_NET_VHDR_SIZE + MIRAGE_NET_GSO_MAX;
    return MIRAGE_NET_VHDR_SIZE + mtu + 14;
}
#define MIRAGE_NET_VHDR_NEEDS_CSUM 1u
#define MIRAGE_NET_VHDR_DATA_VALID 2u
#define MIRAGE_NET_GSO_NONE        0u
#define MIRAGE_NET_GSO_TCPV4       1u
#define MIRAGE_NET_GSO_TCPV6       4u

/* hvt: the waiting NETV (MIRAGE_HVT_HC_NETV_WAIT, below): one VM exit
 * sends and receives on every device of net_vec, like one NETV each, and,
 * when nothing came, waits like POLL; a ping-pong is then one exit per
 * round. Only a bit in granted: it serves the devices of net_vec (so it is
 * of use with MIRAGE_EXT_NET_VEC granted too) and adds nothing to the
 * record. A tender that does not grant it (an older MirageC tender, or
 * Solo5's, which grant nothing) leaves the bit clear and the guest
 * flushes with NETV and waits with POLL; an image that does not ask for
 * it is served as before. */
#define MIRAGE_EXT_NETV_WAIT 16u

struct mirage_ext_note {
    struct solo5_note_header h; /* name "MirageC", type MIRAGE_NOTE_EXT */
    uint64_t record;            /* guest address of struct mirage_ext */
    uint32_t features;          /* MIRAGE_EXT_* the image can use */
    uint32_t reserved;
} __attribute__((packed, aligned(4)));
_Static_assert(sizeof(struct mirage_ext_note) == 36, "EXT1 note size");

/* The record, 8-aligned in the guest's writable data. */
struct mirage_ext {
    uint32_t granted; /* written by the tender: MIRAGE_EXT_* */
    uint32_t reserved;
    /* Written by the guest (spt, MIRAGE_EXT_FAULTS): 0, or the address of
     * a function void hook(uint64_t fault_address) that the tender calls,
     * on a stack of its own, before reporting a fault. */
    uint64_t fault_hook;
    /* Present when the image asks for MIRAGE_EXT_NET_VEC; written by the
     * tender: bit N set when network device N (a manifest handle) takes
     * NETV. Per device, so that a tender may serve some devices on the
     * plain path only. */
    uint64_t net_vec;
    /* Present when the image asks for MIRAGE_EXT_NET_VHDR; written by the
     * tender: for network device N, the MIRAGE_NET_OFFLOAD_* it may be
     * switched to (0: it stays bare). */
    uint8_t net_vhdr[64];
};
/* The bytes of the record the tender may write for an image asking for
 * `features` (so that images built before a field existed keep their
 * shorter record). */
#define MIRAGE_EXT_RECORD_SIZE(features)                                       \
    ((features)&MIRAGE_EXT_NET_VHDR  ? sizeof(struct mirage_ext)               \
     : (features)&MIRAGE_EXT_NET_VEC ? offsetof(struct mirage_ext, net_vhdr)   \
                                     : offsetof(struct mirage_ext, net_vec))

/* hvt boot info, at guest-physical 0x10000 (the fields after mft exist
 * from Solo5 0.11 on; a 0.9 tender writes only the first 40 bytes). */
#define SOLO5_HVT_BOOT_INFO_BASE 0x10000
struct solo5_hvt_boot_info {
    uint64_t mem_size;
    uint64_t kernel_end;
    uint64_t cpu_cycle_freq;
    uint64_t cmdline;
    uint64_t mft;
    uint32_t host_features;
    uint32_t guest_features;
    uint64_t net_ring;
};
#define SOLO5_CMDLINE_SIZE 8192

/* spt boot info, at 0x11000 in the guest's address space. */
#define SOLO5_SPT_BOOT_INFO_BASE 0x11000
struct solo5_spt_boot_info {
    uint64_t mem_size;
    uint64_t kernel_end;
    uint64_t cmdline;
    uint64_t mft;
    int32_t epollfd;
    int32_t timerfd;
};

/* hvt hypercalls: `out` of the argument struct's guest-physical address
 * (32 bits) to port SOLO5_HVT_PIO_BASE + number. */
#define SOLO5_HVT_PIO_BASE 0x500
enum solo5_hvt_hypercall {
    SOLO5_HVT_HC_WALLTIME = 1,
    SOLO5_HVT_HC_PUTS = 2,
    SOLO5_HVT_HC_POLL = 3,
    SOLO5_HVT_HC_BLOCK_WRITE = 4,
    SOLO5_HVT_HC_BLOCK_READ = 5,
    SOLO5_HVT_HC_NET_WRITE = 6,
    SOLO5_HVT_HC_NET_READ = 7,
    SOLO5_HVT_HC_HALT = 8,
    SOLO5_HVT_HC_MAX = 9,
};
/* The `ret` of the device hypercalls (the values of enum plat_result). */
enum solo5_result {
    SOLO5_R_OK = 0,
    SOLO5_R_AGAIN = 1, /* no frame to read */
    SOLO5_R_EINVAL = 2,
    SOLO5_R_EUNSPEC = 3,
};
struct solo5_hvt_walltime {
    uint64_t nsecs;
};
struct solo5_hvt_puts {
    uint64_t data;
    uint64_t len;
};
struct solo5_hvt_poll {
    uint64_t timeout_nsecs;
    uint64_t ready_set;
    int32_t ret;
};
struct solo5_hvt_block_io { /* BLOCK_WRITE and BLOCK_READ */
    uint64_t handle;
    uint64_t offset;
    uint64_t data;
    uint64_t len;
    int32_t ret;
};
struct solo5_hvt_net_io { /* NET_WRITE and NET_READ */
    uint64_t handle;
    uint64_t data;
    uint64_t len;
    int32_t ret;
};
/* MirageC's hvt hypercall, past Solo5's numbers (port SOLO5_HVT_PIO_BASE
 * + MIRAGE_HVT_HC_NETV), for the devices the record's net_vec names
 * (MIRAGE_EXT_NET_VEC); for any other handle it is a bad hypercall, as
 * an unknown port is under Solo5's tenders.
 *
 * One call first sends the tx_count frames of the transmit area, then
 * receives into the receive area as many frames as are waiting and fit.
 * An area holds frames back to back, each a struct mirage_netv_frame
 * header then len bytes of frame, padded to MIRAGE_NETV_ALIGN. Either
 * part may be empty (tx_count 0; rx_size 0).
 *
 * A frame has at most L bytes: MTU + 14, or, on a device switched to
 * offloads S (MIRAGE_EXT_NET_VHDR), MIRAGE_NET_VHDR_SIZE + MTU + 14, or
 * MIRAGE_NET_VHDR_SIZE + MIRAGE_NET_GSO_MAX with TSO in S.
 * Send: every frame must have 1 .. L bytes (and a valid header, if any)
 * and the frames must lie within tx_size, else ret is EINVAL and nothing
 * is sent; a host failure is EUNSPEC, with tx_count set to the frames
 * sent before it.
 * Receive: the tender reads frames while at least
 * MIRAGE_NETV_FRAME_SPACE(L - 14) bytes are left; on return rx_count
 * frames fill rx_used bytes,
 * and rx_empty is 1 if it stopped because no frame was waiting (0: the
 * area was full, more may be waiting). rx_ret is OK (even with no frame:
 * rx_count 0 says so) or EUNSPEC on a host failure.
 * Areas and the argument must be in writable guest memory (the receive
 * area) or guest memory (the transmit area), else the guest is stopped,
 * as for Solo5's hypercalls. */
#define MIRAGE_HVT_HC_NETV 16
/* MirageC's NET_OFFLOAD (port SOLO5_HVT_PIO_BASE + 17, struct
 * mirage_hvt_net_offload): switch a device whose net_vhdr is not zero to
 * the offloads S (MIRAGE_EXT_NET_VHDR above). ret is OK, EINVAL if S is
 * not a subset of net_vhdr[handle] or has TSO without CSUM (nothing
 * changes), or EUNSPEC if the host refused. Any other handle is a bad
 * hypercall. */
#define MIRAGE_HVT_HC_NET_OFFLOAD 17
struct mirage_hvt_net_offload {
    uint64_t handle;
    uint32_t offloads; /* in: MIRAGE_NET_OFFLOAD_* */
    int32_t ret;       /* out */
};
#define MIRAGE_NETV_ALIGN 8
struct mirage_netv_frame {
    uint32_t len; /* bytes of frame that follow */
    uint32_t reserved;
};
/* The most bytes one frame of a device with this MTU takes in an area. */
#define MIRAGE_NETV_FRAME_SPACE(mtu)                                           \
    (sizeof(struct mirage_netv_frame) +                                        \
     (((mtu) + 14 + MIRAGE_NETV_ALIGN - 1) & ~(MIRAGE_NETV_ALIGN - 1)))
struct mirage_hvt_netv {
    uint64_t handle;
    uint64_t tx_area, tx_size; /* in */
    uint64_t rx_area, rx_size; /* in */
    uint32_t tx_count;         /* in; out on EUNSPEC: frames sent */
    uint32_t rx_count;         /* out */
    uint64_t rx_used;          /* out */
    uint32_t rx_empty;         /* out */
    int32_t ret;               /* out: the send's result */
    int32_t rx_ret;            /* out: the receive's result */
    uint32_t reserved;
};
/* MirageC's waiting NETV (port SOLO5_HVT_PIO_BASE + 18, struct
 * mirage_hvt_netv_wait), for an image granted MIRAGE_EXT_NETV_WAIT; for
 * any other it is a bad hypercall, as an unknown port is under Solo5's
 * tenders. In one VM exit:
 * 1. For each of the `count` records at `netv` (struct mirage_hvt_netv,
 *    each for another device of net_vec), what NETV does: send its
 *    transmit area, then receive into its receive area (rx_size 0: none);
 *    the results are in the record as NETV leaves them.
 * 2. If no record received a frame and timeout_nsecs is not 0, block
 *    until timeout_nsecs pass or a network device has a frame waiting, as
 *    POLL does; then receive into the receive area of each record that got
 *    nothing in step 1 and whose device now has frames.
 * 3. ready_set: POLL's, the network devices with a frame waiting at the
 *    host (all of them, in a record or not), and also those whose record
 *    received frames (their frames are in the area now).
 * count 0 makes it a POLL that takes the limit below.
 * ret is OK (also on time-out: ready_set 0); EINVAL if timeout_nsecs is
 * above MIRAGE_NETV_WAIT_MAX: nothing is sent, received or waited for and
 * the records are not written; EUNSPEC if waiting failed on the host
 * (ready_set holds only the devices whose record received frames, and the
 * records step 1's results).
 * The guest is stopped, with one line naming the problem, if: the
 * feature was not granted; the argument is not in writable guest memory;
 * count is above 63; the records are not in writable guest memory; a
 * record's handle is not in net_vec or is another record's; or a
 * record's areas are not where NETV needs them. Nothing is sent then. */
#define MIRAGE_HVT_HC_NETV_WAIT  18
#define MIRAGE_HVT_HC_MAX        19
#define MIRAGE_NETV_WAIT_MAX     3600000000000ull /* one hour, in ns */
#define MIRAGE_NETV_WAIT_RECORDS 63
struct mirage_hvt_netv_wait {
    uint64_t netv;          /* in: guest address of the records */
    uint32_t count;         /* in: records, 0 .. MIRAGE_NETV_WAIT_RECORDS */
    int32_t ret;            /* out */
    uint64_t timeout_nsecs; /* in: 0 .. MIRAGE_NETV_WAIT_MAX */
    uint64_t ready_set;     /* out */
};

#define SOLO5_HVT_HALT_COOKIE_MAX 512
struct solo5_hvt_halt {
    uint64_t cookie;
    int32_t exit_status;
};

/* The cookie of the HALT (status 255) a guest makes after a CPU
 * exception: Solo5's layout first (the registers Solo5's tenders dump),
 * then MirageC's additions, valid when magic is MIRAGE_TRAP_MAGIC and
 * ignored by Solo5's tenders: the vector and the other registers. */
#define SOLO5_TRAP_COOKIE_SOLO5_SIZE 56                    /* cr2 .. ss */
#define MIRAGE_TRAP_MAGIC            0x505445474152494dull /* "MIRAGETP" */
struct solo5_hvt_trap_cookie {
    uint64_t cr2, error, rip, cs, rflags, rsp, ss;
    uint64_t magic;
    uint64_t vector;
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t fs_base;
};
_Static_assert(sizeof(struct solo5_hvt_trap_cookie) <=
                   SOLO5_HVT_HALT_COOKIE_MAX,
               "trap cookie size");

/* "#PF page fault" for x86 exception vector v (0..31). */
static inline const char *solo5_x86_exception_name(uint64_t v)
{
    static const char *const names[22] = {
        "#DE divide error",
        "#DB debug",
        "NMI",
        "#BP breakpoint",
        "#OF overflow",
        "#BR bound range exceeded",
        "#UD invalid opcode",
        "#NM device not available",
        "#DF double fault",
        "coprocessor segment overrun",
        "#TS invalid TSS",
        "#NP segment not present",
        "#SS stack-segment fault",
        "#GP general protection fault",
        "#PF page fault",
        "reserved exception 15",
        "#MF x87 floating-point error",
        "#AC alignment check",
        "#MC machine check",
        "#XM SIMD floating-point exception",
        "#VE virtualization exception",
        "#CP control protection exception",
    };
    return v < 22 ? names[v] : "reserved exception";
}

#endif
