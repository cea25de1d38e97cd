/* The platform interface: the whole contract between a unikernel and the
 * machine under it (Solo5 semantics: narrow, polling, no interrupts, no
 * threads). Each target implements it in plat/<target>/; nothing above
 * plat/ knows which target it runs on.
 *
 * None of these calls yields to other fibers: they are the primitives the
 * runtime's event loop is built on. plat_yield() is the only one that may
 * block the whole unikernel, and only the event loop calls it. */
#ifndef MIRAGE_PLAT_H
#define MIRAGE_PLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Results of the device calls (Solo5's solo5_result_t). */
enum plat_result {
    PLAT_OK = 0,
    PLAT_AGAIN = 1,   /* nothing to read now (net only) */
    PLAT_EINVAL = 2,  /* bad handle, size, alignment or offset */
    PLAT_EUNSPEC = 3, /* host-side failure */
};

/* A device handle is its index in the target's manifest; bit N of a
 * plat_handle_set means handle N is ready. */
typedef uint64_t plat_handle;
typedef uint64_t plat_handle_set;
#define PLAT_MAX_DEVICES 63

/* What the platform hands the runtime at boot. The strings and the heap
 * stay valid until exit; the runtime owns the heap region. */
struct plat_boot {
    int argc;
    char **argv; /* argv[0] is the unikernel's name; argv[argc] == NULL */
    void *heap;  /* start of free memory for the allocator */
    size_t heap_size;
    const char *target; /* "unix", "hvt", "spt", ... */
    /* The inaccessible page just below the boot stack (the stack the
     * runtime's event loop runs on), or NULL when the platform put no
     * guard page there. */
    const void *boot_stack_guard;
};

/* The platform's entry code calls this once with the boot record, after it
 * has set the thread pointer (FS base) to a TCB with the stack-protector
 * canary at %fs:0x28. Implemented by lib/rt; never returns. */
_Noreturn void mirage_rt_boot(const struct plat_boot *boot);

/* Console: write len bytes; never fails, never yields. */
void plat_console_write(const char *buf, size_t len);

/* Clocks in nanoseconds. Monotonic: since an arbitrary point, never goes
 * backwards. Wall: since the Unix epoch (UTC). */
uint64_t plat_clock_monotonic(void);
uint64_t plat_clock_wall(void);

/* Block the unikernel until the monotonic clock reaches `deadline` or until
 * one of the acquired network devices has a frame to read. On return
 * *ready holds the set of readable handles (0 on time-out). */
void plat_yield(uint64_t deadline, plat_handle_set *ready);

/* Fill buf with len bytes of host entropy if the platform has a source.
 * Returns PLAT_OK, or PLAT_EUNSPEC when the platform has none (the runtime
 * then seeds its generator from clock jitter alone). */
enum plat_result plat_entropy(void *buf, size_t len);

/* Network devices. */
struct plat_net_info {
    uint8_t mac[6];
    size_t mtu;        /* of the payload: a frame is at most mtu + 14 bytes */
    uint32_t offloads; /* PLAT_NET_OFFLOAD_* granted (see below) */
};
/* Acquire the network device `name` (on unix a tap interface name, on the
 * Solo5-style targets the manifest name). PLAT_EINVAL: no such device or
 * already acquired; PLAT_EUNSPEC: host failure. */
enum plat_result plat_net_acquire(const char *name, plat_handle *h,
                                  struct plat_net_info *info);
/* Send one Ethernet frame; PLAT_EINVAL if len exceeds mtu + 14. PLAT_OK
 * means the platform took the frame: a target that batches frames (hvt
 * under a tender granting MIRAGE_EXT_NET_VEC) sends it at the latest
 * when the unikernel next blocks in plat_yield or exits, and reports a
 * host failure to send it on a later write. */
enum plat_result plat_net_write(plat_handle h, const void *buf, size_t len);
/* Receive one frame without blocking: PLAT_OK with *read set, PLAT_AGAIN
 * when none is waiting, PLAT_EINVAL if the buffer is too small. */
enum plat_result plat_net_read(plat_handle h, void *buf, size_t size,
                               size_t *read);

/* Offloads. A device acquired with some moves every frame, both ways,
 * behind a virtio-net header (struct plat_net_vhdr, the layout of the
 * virtio specification's struct virtio_net_hdr with num_buffers, 12
 * bytes, little-endian): buf starts with the header, len and size count
 * it. With TSO4 or TSO6, a TCP frame may be up to PLAT_NET_GSO_MAX bytes
 * (header excluded) both ways: the host segments what we send (gso_type,
 * gso_size, hdr_len) and may hand us unsegmented frames of that size, so
 * read buffers must have room for it. With CSUM, a frame we send may
 * leave its TCP or UDP checksum to the host (flags NEEDS_CSUM,
 * csum_start, csum_offset: the field holds the pseudo-header sum), and a
 * received one may come with DATA_VALID or NEEDS_CSUM instead of a
 * checked checksum. */
#define PLAT_NET_OFFLOAD_CSUM    1u
#define PLAT_NET_OFFLOAD_TSO4    2u
#define PLAT_NET_OFFLOAD_TSO6    4u
#define PLAT_NET_GSO_MAX         65550u /* 64 KiB of IP packet + Ethernet */
#define PLAT_NET_VHDR_NEEDS_CSUM 1u
#define PLAT_NET_VHDR_DATA_VALID 2u
#define PLAT_NET_GSO_NONE        0u
#define PLAT_NET_GSO_TCPV4       1u
#define PLAT_NET_GSO_TCPV6       4u
struct plat_net_vhdr {
    uint8_t flags;     /* PLAT_NET_VHDR_* */
    uint8_t gso_type;  /* PLAT_NET_GSO_* */
    uint16_t hdr_len;  /* Ethernet + IP + TCP headers of a GSO frame */
    uint16_t gso_size; /* payload bytes per segment */
    uint16_t csum_start, csum_offset; /* from the frame's start */
    uint16_t num_buffers;             /* 0 */
};
_Static_assert(sizeof(struct plat_net_vhdr) == 12, "virtio-net header");
/* plat_net_acquire asking for the offloads in `wanted` (PLAT_NET_OFFLOAD_*;
 * TSO needs CSUM). info->offloads is what the device granted: a subset,
 * possibly empty, in which case frames move bare as with
 * plat_net_acquire. Where the host cannot offload (it refuses the
 * combination; on hvt and spt, a tender that does not grant
 * MIRAGE_EXT_NET_VHDR for the device, such as Solo5's; on virtio, a
 * device that does not offer them) the device falls back to bare
 * frames; acquiring never fails for want of offloads. Same errors as
 * plat_net_acquire. */
enum plat_result plat_net_acquire_offload(const char *name, uint32_t wanted,
                                          plat_handle *h,
                                          struct plat_net_info *info);

/* Block devices. */
struct plat_block_info {
    uint64_t capacity;   /* bytes */
    uint64_t block_size; /* bytes; a power of two >= 512 */
    bool read_only;
};
/* Acquire the block device `name` (on unix a file path). */
enum plat_result plat_block_acquire(const char *name, plat_handle *h,
                                    struct plat_block_info *info);
/* Read or write exactly one block at a block-aligned byte offset within the
 * capacity; anything else is PLAT_EINVAL and transfers nothing. */
enum plat_result plat_block_write(plat_handle h, uint64_t offset,
                                  const void *buf, size_t size);
enum plat_result plat_block_read(plat_handle h, uint64_t offset, void *buf,
                                 size_t size);

/* Stack guard pages. A guard is one PLAT_PAGE_SIZE page, aligned, inside
 * the heap: plat_stack_guard(page, true) makes it inaccessible, so that a
 * stack growing into it faults at once; plat_stack_guard(page, false)
 * makes it ordinary memory again (before it is freed). PLAT_OK, or
 * PLAT_EUNSPEC when the platform cannot here (spt under a tender that did
 * not grant the extension, or the host refused): the runtime then relies
 * on its stack canary alone. Never yields. */
#define PLAT_PAGE_SIZE 4096u
enum plat_result plat_stack_guard(void *page, bool guard);

/* Implemented by lib/rt. The platform's fault handler calls it, on a
 * stack of its own, with the address of the data access that faulted. If
 * the address is in a guard page (below a fiber's stack or below the boot
 * stack), it writes "fiber stack overflow in fiber N "NAME" (entry 0x...,
 * stack size S)" (or "stack overflow on the boot stack") on the console
 * and returns true; otherwise it returns false. Either way the platform
 * then reports the fault and stops with status 255. */
bool mirage_rt_stack_fault(uint64_t addr);

/* Leave the unikernel with this status (0..255). */
_Noreturn void plat_exit(int status);
/* Leave after a fatal error (status 255 where the target has statuses). */
_Noreturn void plat_abort(void);

#endif
