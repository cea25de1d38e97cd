/* A test network: an in-memory switch connecting several network stacks
 * in one process, with a virtual clock and seeded fault injection (loss,
 * duplication, reordering, corruption, delay, bandwidth limit), so that
 * every run with the same seed replays exactly.
 *
 * It offers the network half of the platform interface (plat.h) under its
 * own names; a test binds them to plat_* (and plat_clock_monotonic to
 * testnet_now) so that the unmodified runtime and stack run on it. Time
 * only moves in testnet_yield, which jumps straight to the next event.
 * Ports may grant offloads (testnet_set_offloads): their frames then
 * move behind a virtio-net header, and the switch finishes checksums
 * and cuts TCP super-segments as a host would, before the faults
 * (testnet_set_pass_gso: or passes them whole to ports that take them).
 * It needs only malloc/free, memcpy, the runtime's min-heap
 * (lib/rt/minheap.c) and lib/net's checksums. Nothing here yields to
 * fibers. */
#ifndef MIRAGE_TESTNET_H
#define MIRAGE_TESTNET_H

#include <mirage/plat.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TESTNET_MAX_PORTS 16

/* Faults applied to each frame a port sends (probabilities in parts per
 * million). A frame is lost, else corrupted (one random bit after the
 * Ethernet header flipped), and duplicated; reordering holds a frame back
 * for an extra random time up to reorder_ns. Every frame takes delay_ns
 * plus a random jitter below jitter_ns, after waiting for the sending
 * port's link, which carries bandwidth_bps (0: unlimited) and queues at
 * most queue_bytes (0: unlimited) beyond which frames are dropped. */
struct testnet_faults {
    uint32_t loss_ppm, dup_ppm, reorder_ppm, corrupt_ppm;
    uint64_t delay_ns, jitter_ns, reorder_ns;
    uint64_t bandwidth_bps;
    size_t queue_bytes;
};

struct testnet_stats {
    uint64_t sent, delivered, lost, duplicated, reordered, corrupted,
        queue_drops; /* receive queue full, link queue full, port down */
    uint64_t reads, empty_reads; /* testnet_read calls, those finding no
                                    frame (PLAT_AGAIN) */
};

/* Called with every frame a port sends, before faults (for tests that
 * check what a stack put on the wire). */
typedef void (*testnet_tap_fn)(void *arg, unsigned port, const uint8_t *frame,
                               size_t len);

struct testnet;
/* A network with no ports; the clock starts at 1 s. NULL when memory is
 * exhausted. */
struct testnet *testnet_create(uint64_t seed);
/* Free the network and every frame in flight. */
void testnet_destroy(struct testnet *tn);
/* Add a port named `name` (copied) with a MAC and an MTU: 0..15 is its
 * number, or MIRAGE_ENOSPC / MIRAGE_EINVAL (empty or duplicate name,
 * MTU below 68 or above 65521) / MIRAGE_ENOMEM. */
int testnet_add_port(struct testnet *tn, const char *name, const uint8_t mac[6],
                     size_t mtu);
/* The offloads (PLAT_NET_OFFLOAD_*) port grants when acquired with
 * testnet_acquire_offload (none by default; without CSUM, none). */
void testnet_set_offloads(struct testnet *tn, unsigned port, uint32_t offloads);
/* With pass, a TCP super-segment reaches the ports it goes to whole,
 * behind its sender's virtio-net header (as Linux passes GSO frames
 * between taps), when they all have the matching TSO granted; it is cut
 * otherwise. Such frames meet loss, duplication, delay and reordering,
 * but not corruption (a host checks before it coalesces). Off by
 * default. */
void testnet_set_pass_gso(struct testnet *tn, bool pass);
/* Faults of the frames port sends (port -1: every port, now and later). */
void testnet_set_faults(struct testnet *tn, int port,
                        const struct testnet_faults *f);
void testnet_set_tap(struct testnet *tn, testnet_tap_fn fn, void *arg);
/* Take port's device down (a host-side failure: acquire and write fail
 * with PLAT_EUNSPEC, each read fails so and loses the frame it would have
 * read, new frames for it are dropped) or up again. */
void testnet_set_down(struct testnet *tn, unsigned port, bool down);
/* Put a frame straight into port's receive queue, as if the switch had
 * delivered it now (no faults); on a port acquired with offloads, the
 * frame starts with its virtio-net header (read as given, so that tests
 * can hand the stack any header). 0, MIRAGE_EINVAL or MIRAGE_ENOMEM. */
int testnet_inject(struct testnet *tn, unsigned port, const void *frame,
                   size_t len);
const struct testnet_stats *testnet_stats(const struct testnet *tn);
/* Frames waiting in port's receive queue, and frames in flight. */
size_t testnet_pending(const struct testnet *tn, unsigned port);
size_t testnet_in_flight(const struct testnet *tn);

/* The virtual clock, in ns. */
uint64_t testnet_now(const struct testnet *tn);

/* The plat_net_* and plat_yield semantics (plat.h). A port is acquired
 * by name once; its handle is its number. */
enum plat_result testnet_acquire(struct testnet *tn, const char *name,
                                 plat_handle *h, struct plat_net_info *info);
/* plat_net_acquire_offload: what port grants of wanted. */
enum plat_result testnet_acquire_offload(struct testnet *tn, const char *name,
                                         uint32_t wanted, plat_handle *h,
                                         struct plat_net_info *info);
enum plat_result testnet_write(struct testnet *tn, plat_handle h,
                               const void *buf, size_t len);
enum plat_result testnet_read(struct testnet *tn, plat_handle h, void *buf,
                              size_t size, size_t *read);
/* Deliver the frames due by now; if an acquired port then has frames,
 * return at once with them in *ready. Otherwise move the clock to the
 * earlier of the deadline and the next arrival, and deliver again. */
void testnet_yield(struct testnet *tn, uint64_t deadline,
                   plat_handle_set *ready);

#endif
