/* Solo5's binary ABI, version 2 (x86_64): the ELF notes every hvt/spt image
 * carries and the boot records the tenders pass to the guest. Shared by the
 * configuration tool (which emits the manifest note), the guest platforms
 * and the tenders, so all agree byte for byte with Solo5. */
#ifndef MIRAGE_SOLO5_H
#define MIRAGE_SOLO5_H

#include <stdbool.h>
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
#define SOLO5_HVT_HALT_COOKIE_MAX 512
struct solo5_hvt_halt {
    uint64_t cookie;
    int32_t exit_status;
};

#endif
