/* TCP over interfaces with checksum and segmentation offloads, on the
 * test network (whose ports then cut super-segments as a host would):
 * transfers both ways checked byte for byte while super-segments are in
 * flight, under loss and reordering of the segments they are cut into
 * (SACK recovery and retransmission in MSS pieces), with one side
 * offloading and the other not, and the path taken checked from the
 * interfaces' counters. */
#include "../../lib/tcp/conn.h"
#include "tcp_harness.h"

#include <stdio.h>

#define MB  (1024 * 1024)
#define TSO (PLAT_NET_OFFLOAD_TSO4 | PLAT_NET_OFFLOAD_TSO6)
#define ALL (PLAT_NET_OFFLOAD_CSUM | TSO)

static struct testnet_faults faults;
static uint64_t up_bytes, down_bytes;
static uint32_t offloads_a, offloads_b; /* what each port grants */
static bool whole; /* super-segments reach the receiver whole, read by
                      views (testnet_set_pass_gso, tcp_read_views) */

static void setup(void)
{
    tcp_setup();
    testnet_set_offloads(testnet_plat_net, node_get(0)->port, offloads_a);
    testnet_set_offloads(testnet_plat_net, node_get(1)->port, offloads_b);
    testnet_set_pass_gso(testnet_plat_net, whole);
    tcp_read_views = whole;
}

static int body(void)
{
    NCHECK_INT(tcp_start(), 0);
    struct mirage_net *na = node_get(0)->net, *nb = node_get(1)->net;
    NCHECK_INT(na->offloads, offloads_a);
    NCHECK_INT(nb->offloads, offloads_b);
    testnet_set_faults(testnet_plat_net, -1, &faults);
    NCHECK_INT(tcp_server_start(down_bytes), 0);
    NCHECK_INT(tcp_exchange(up_bytes, down_bytes, 100000), 0);
    /* Super-segments went exactly from the sides that may send them,
     * and nothing was refused. */
    NCHECK((offloads_a & TSO) ? na->stats.tx_gso > 0 : na->stats.tx_gso == 0);
    NCHECK((offloads_b & TSO) ? nb->stats.tx_gso > 0 : nb->stats.tx_gso == 0);
    NCHECK_INT(na->stats.tx_errors + nb->stats.tx_errors, 0);
    NCHECK_INT(na->stats.rx_bad_vhdr + nb->stats.rx_bad_vhdr, 0);
    /* The faults happened to the pieces, and TCP repaired them. */
    const struct testnet_stats *ns = testnet_stats(testnet_plat_net);
    const struct mirage_tcp_stats *sa = mirage_tcp_stats(tcp_a);
    const struct mirage_tcp_stats *sb = mirage_tcp_stats(tcp_b);
    NCHECK(!faults.loss_ppm || ns->lost > 0);
    NCHECK(!faults.reorder_ppm || ns->reordered > 0);
    NCHECK(!faults.loss_ppm || sa->retransmits + sb->retransmits > 0);
    /* Super-frames that arrive whole are kept, not copied, both ways. */
    NCHECK(!whole || (sa->rx_kept > 0 && sb->rx_kept > 0));
    NCHECK(whole || sa->rx_kept + sb->rx_kept == 0);
    printf("  super-segments %llu+%llu, kept %llu+%llu, retransmits "
           "%llu+%llu, recoveries %llu+%llu, timeouts %llu+%llu, lost %llu, "
           "reordered %llu\n",
           (unsigned long long)na->stats.tx_gso,
           (unsigned long long)nb->stats.tx_gso,
           (unsigned long long)sa->rx_kept, (unsigned long long)sb->rx_kept,
           (unsigned long long)sa->retransmits,
           (unsigned long long)sb->retransmits,
           (unsigned long long)sa->fast_recoveries,
           (unsigned long long)sb->fast_recoveries,
           (unsigned long long)sa->timeouts, (unsigned long long)sb->timeouts,
           (unsigned long long)ns->lost, (unsigned long long)ns->reordered);
    tcp_stop();
    return 0;
}

static void run(uint64_t seed, uint32_t a, uint32_t b, uint64_t up,
                uint64_t down, const struct testnet_faults *f)
{
    whole = false;
    offloads_a = a;
    offloads_b = b;
    faults = *f;
    up_bytes = up;
    down_bytes = down;
    net_run(seed, setup, body);
}

TEST(offload_transfer_clean)
{
    run(1, ALL, ALL, 8 * MB, 2 * MB, &(struct testnet_faults){0});
}

TEST(offload_one_side_only)
{
    run(2, ALL, 0, 4 * MB, 4 * MB, &(struct testnet_faults){0});
    run(3, 0, ALL, 4 * MB, 4 * MB, &(struct testnet_faults){0});
}

TEST(offload_checksum_only)
{
    run(4, PLAT_NET_OFFLOAD_CSUM, ALL, 2 * MB, 2 * MB,
        &(struct testnet_faults){0});
}

TEST(offload_loss_and_reordering)
{
    run(5, ALL, ALL, 8 * MB, 2 * MB,
        &(struct testnet_faults){.loss_ppm = 10000,
                                 .reorder_ppm = 50000,
                                 .reorder_ns = MIRAGE_MSEC(3),
                                 .delay_ns = MIRAGE_MSEC(2)});
}

/* Corruption, duplication and a bandwidth limit besides: the pieces of a
 * super-segment are checked one by one on arrival. */
TEST(offload_more_faults)
{
    struct testnet_faults f = {.loss_ppm = 20000, .corrupt_ppm = 10000};
    f.dup_ppm = f.reorder_ppm = 20000;
    f.delay_ns = f.reorder_ns = MIRAGE_MSEC(5);
    f.bandwidth_bps = 50000000;
    f.queue_bytes = 128 * 1024;
    run(6, ALL, ALL, 4 * MB, 1 * MB, &f);
}

/* Super-segments passed whole between the ports (as between Linux taps),
 * kept by the receiver and read in place by views, both ways, clean and
 * under loss, duplication and reordering of whole super-frames; then
 * with one side unable to take them (cut for it). */
static void run_whole(uint64_t seed, uint32_t b, const struct testnet_faults *f)
{
    offloads_a = ALL;
    offloads_b = b;
    faults = *f;
    up_bytes = 8 * MB;
    down_bytes = 4 * MB;
    whole = b == ALL;
    net_run(seed, setup, body);
}

TEST(offload_super_frames_kept_whole)
{
    run_whole(7, ALL, &(struct testnet_faults){0});
    struct testnet_faults f = {.loss_ppm = 20000, .dup_ppm = 20000};
    f.reorder_ppm = 50000;
    f.delay_ns = f.reorder_ns = MIRAGE_MSEC(3);
    run_whole(8, ALL, &f);
    run_whole(9, PLAT_NET_OFFLOAD_CSUM, &f);
}

int main(void)
{
    return test_main();
}
