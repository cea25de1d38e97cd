/* TCP transfers on the test network, checked byte for byte: both
 * directions, without faults and under each injected fault (loss,
 * duplication, reordering, corruption, delay with a bandwidth limit) and
 * their combination. */
#include "../../lib/tcp/conn.h"
#include "tcp_harness.h"

#include <stdio.h>

static struct testnet_faults faults;
static uint64_t up_bytes, down_bytes;
/* The client offers no window scaling, timestamps or SACK, and grows its
 * window as Reno does: recovery and growth are NewReno's alone. */
static bool plain;

static int transfer_body(void)
{
    NCHECK_INT(tcp_start(), 0);
    uint64_t start = mirage_now();
    if (plain) {
        struct tcp_cfg *cfg = &tcp_direct_engine(tcp_a)->cfg;
        cfg->window_scaling = cfg->timestamps = cfg->sack = false;
        cfg->cubic = false;
    }
    testnet_set_faults(testnet_plat_net, -1, &faults);
    NCHECK_INT(tcp_server_start(down_bytes), 0);
    NCHECK_INT(tcp_exchange(up_bytes, down_bytes, 50000), 0);
    /* The faults happened, and TCP repaired them. */
    const struct testnet_stats *ns = testnet_stats(testnet_plat_net);
    const struct mirage_tcp_stats *sa = mirage_tcp_stats(tcp_a);
    const struct mirage_tcp_stats *sb = mirage_tcp_stats(tcp_b);
    NCHECK(!faults.loss_ppm || ns->lost > 0);
    NCHECK(!faults.dup_ppm || ns->duplicated > 0);
    NCHECK(!faults.reorder_ppm || ns->reordered > 0);
    NCHECK(!faults.corrupt_ppm || sa->rx_bad_csum + sb->rx_bad_csum > 0);
    NCHECK(!(faults.loss_ppm || faults.corrupt_ppm) ||
           sa->retransmits + sb->retransmits > 0);
    printf("  %.3f s virtual, retransmits %llu+%llu, timeouts %llu+%llu, "
           "recoveries %llu+%llu, lost %llu, queue drops %llu\n",
           (double)(mirage_now() - start) / 1e9,
           (unsigned long long)sa->retransmits,
           (unsigned long long)sb->retransmits,
           (unsigned long long)sa->timeouts, (unsigned long long)sb->timeouts,
           (unsigned long long)sa->fast_recoveries,
           (unsigned long long)sb->fast_recoveries,
           (unsigned long long)ns->lost, (unsigned long long)ns->queue_drops);
    tcp_stop();
    return 0;
}

static void run(uint64_t seed, uint64_t up, uint64_t down,
                const struct testnet_faults *f)
{
    plain = false;
    faults = *f;
    up_bytes = up;
    down_bytes = down;
    net_run(seed, tcp_setup, transfer_body);
}

#define MB (1024 * 1024)

TEST(transfer_clean)
{
    run(1, 8 * MB, 2 * MB, &(struct testnet_faults){0});
}

TEST(transfer_small_and_empty)
{
    run(2, 1, 0, &(struct testnet_faults){0});
    run(3, 0, 1, &(struct testnet_faults){0});
}

TEST(transfer_loss)
{
    run(4, 4 * MB, 1 * MB, &(struct testnet_faults){.loss_ppm = 20000});
}

TEST(transfer_heavy_loss)
{
    run(5, 1 * MB, 256 * 1024,
        &(struct testnet_faults){.loss_ppm = 100000,
                                 .delay_ns = MIRAGE_MSEC(5)});
}

TEST(transfer_duplication)
{
    run(6, 4 * MB, 1 * MB, &(struct testnet_faults){.dup_ppm = 50000});
}

TEST(transfer_reordering)
{
    run(7, 4 * MB, 1 * MB,
        &(struct testnet_faults){.reorder_ppm = 50000,
                                 .reorder_ns = MIRAGE_MSEC(3),
                                 .delay_ns = MIRAGE_MSEC(1)});
}

TEST(transfer_corruption)
{
    run(8, 4 * MB, 1 * MB, &(struct testnet_faults){.corrupt_ppm = 20000});
}

TEST(transfer_delay_and_bandwidth)
{
    run(9, 4 * MB, 1 * MB,
        &(struct testnet_faults){.delay_ns = MIRAGE_MSEC(20),
                                 .jitter_ns = MIRAGE_MSEC(2),
                                 .bandwidth_bps = 20000000,
                                 .queue_bytes = 64 * 1024});
}

TEST(transfer_all_faults)
{
    run(10, 4 * MB, 1 * MB,
        &(struct testnet_faults){.loss_ppm = 20000,
                                 .dup_ppm = 20000,
                                 .reorder_ppm = 20000,
                                 .corrupt_ppm = 10000,
                                 .delay_ns = MIRAGE_MSEC(10),
                                 .jitter_ns = MIRAGE_MSEC(1),
                                 .reorder_ns = MIRAGE_MSEC(5),
                                 .bandwidth_bps = 50000000,
                                 .queue_bytes = 128 * 1024});
}

static void run_plain(uint64_t seed, uint64_t up, uint64_t down,
                      const struct testnet_faults *f)
{
    faults = *f;
    up_bytes = up;
    down_bytes = down;
    plain = true;
    net_run(seed, tcp_setup, transfer_body);
}

TEST(transfer_without_options_loss)
{
    run_plain(11, 4 * MB, 1 * MB, &(struct testnet_faults){.loss_ppm = 20000});
}

TEST(transfer_without_options_all_faults)
{
    run_plain(12, 2 * MB, 1 * MB,
              &(struct testnet_faults){.loss_ppm = 20000,
                                       .dup_ppm = 20000,
                                       .reorder_ppm = 20000,
                                       .corrupt_ppm = 10000,
                                       .delay_ns = MIRAGE_MSEC(10),
                                       .reorder_ns = MIRAGE_MSEC(5),
                                       .bandwidth_bps = 50000000,
                                       .queue_bytes = 128 * 1024});
}

int main(void)
{
    return test_main();
}
