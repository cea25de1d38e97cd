/* Hosted tests of plat/virtio's split virtqueue and its virtio-net and
 * virtio-blk drivers against a fake device (fake_device.h), hostile
 * devices first: impossible queue sizes, a used index running ahead, a
 * used entry naming a buffer not in flight, a length beyond the buffer,
 * frames too short or too long, a request that never completes. Each
 * must be a clean error that writes nothing outside the buffers. */
#include "../../plat/virtio/blk.h"
#include "../../plat/virtio/net.h"
#include "../../plat/virtio/virtio.h"
#include "../unit/test.h"
#include "fake_device.h"

#include <stdlib.h>

static uint8_t *slot(const struct vq *q, int head)
{
    return (uint8_t *)(uintptr_t)q->desc[head].addr;
}

TEST(queue_sizes_checked)
{
    CHECK(!vq_size_valid(0));
    CHECK(!vq_size_valid(3));
    CHECK(!vq_size_valid(65535));
    CHECK(!vq_size_valid(65536));
    CHECK(!vq_size_valid(0xffffffffu));
    CHECK(vq_size_valid(1));
    CHECK(vq_size_valid(256));
    CHECK(vq_size_valid(32768));
}

/* Set up queue 0 of a fake whose maximum is qmax; returns virtio_queue's
 * result and the reason in *why. */
static int queue_with_max(uint32_t qmax, struct vq *q, const char **why)
{
    struct fake f;
    fake_init(&f, VIRTIO_ID_NET, 0, qmax);
    *why = "";
    return virtio_queue(&f.dev, 0, 128, q, why);
}

TEST(absurd_queue_sizes_refused)
{
    struct vq q;
    const char *why;
    CHECK_INT(queue_with_max(0, &q, &why), -1);
    CHECK_STR(why, "a queue the device must have is missing");
    CHECK_INT(queue_with_max(3, &q, &why), -1);
    CHECK(strstr(why, "impossible queue size") != NULL);
    CHECK_INT(queue_with_max(65535, &q, &why), -1);
    CHECK_INT(queue_with_max(65536, &q, &why), -1);
    CHECK_INT(queue_with_max(0x80000000u, &q, &why), -1);
    CHECK_INT(queue_with_max(1024, &q, &why), 0);
    CHECK_INT(q.size, 128); /* the driver's cap */
    CHECK_INT(queue_with_max(4, &q, &why), 0);
    CHECK_INT(q.size, 4);
    fake_reset();
}

/* A queue of 8 in plain memory. */
static struct vq *new_queue(void)
{
    static struct vq q;
    vq_init(&q, 8, virtio_dma_alloc(vq_memory(8), 4096));
    return &q;
}

TEST(chains_come_back_with_their_lengths)
{
    struct vq *q = new_queue();
    uint8_t a[16], b[32];
    struct vq_seg s[2] = {{(uintptr_t)a, sizeof a, false},
                          {(uintptr_t)b, sizeof b, true}};
    uint16_t h1, h2, head;
    uint32_t len;
    CHECK_INT(vq_add(q, s, 2, &h1), VQ_OK);
    CHECK_INT(vq_add(q, s, 2, &h2), VQ_OK);
    CHECK_INT(q->avail->idx, 2);
    CHECK(q->desc[h1].flags == VQ_DESC_F_NEXT);
    CHECK(q->desc[q->desc[h1].next].flags == VQ_DESC_F_WRITE);
    CHECK_INT(vq_get(q, &head, &len), VQ_EMPTY);
    q->used->ring[0] = (struct vq_used_elem){h2, 32};
    q->used->idx = 1;
    CHECK(vq_pending(q));
    CHECK_INT(vq_get(q, &head, &len), VQ_OK);
    CHECK_INT(head, h2);
    CHECK_INT(len, 32);
    CHECK_INT(q->num_free, 6);
    /* The freed chain is reused; the queue fills and says so. */
    for (int i = 0; i < 3; i++)
        CHECK_INT(vq_add(q, s, 2, &head), VQ_OK);
    CHECK_INT(vq_add(q, s, 2, &head), VQ_EFULL);
    CHECK_INT(vq_add(q, s, 1, &head), VQ_EFULL);
    fake_reset();
}

TEST(used_index_running_ahead_breaks_the_queue)
{
    struct vq *q = new_queue();
    uint8_t b[64];
    struct vq_seg s = {(uintptr_t)b, sizeof b, true};
    uint16_t head;
    uint32_t len;
    CHECK_INT(vq_add(q, &s, 1, &head), VQ_OK);
    q->used->ring[0] = (struct vq_used_elem){head, 8};
    q->used->idx = 2; /* one in flight, two "used" */
    CHECK_INT(vq_get(q, &head, &len), VQ_ERUNAHEAD);
    CHECK(q->broken);
    CHECK_INT(vq_get(q, &head, &len), VQ_EBROKEN);
    CHECK_INT(vq_add(q, &s, 1, &head), VQ_EBROKEN);
    CHECK(!vq_pending(q));
    CHECK_INT(vq_next_head(q), -1);
    /* A wrapped-around index is running ahead too. */
    q = new_queue();
    CHECK_INT(vq_add(q, &s, 1, &head), VQ_OK);
    q->used->idx = 0xffff;
    CHECK_INT(vq_get(q, &head, &len), VQ_ERUNAHEAD);
    fake_reset();
}

TEST(used_entry_naming_no_chain_in_flight)
{
    uint8_t b[64];
    struct vq_seg s = {(uintptr_t)b, sizeof b, true};
    uint16_t head;
    uint32_t len;
    uint32_t bad[] = {8, 1000, 0xffffffffu, 1 /* free descriptor */};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct vq *q = new_queue();
        CHECK_INT(vq_add(q, &s, 1, &head), VQ_OK);
        CHECK_INT(head, 0);
        q->used->ring[0] = (struct vq_used_elem){bad[i], 1};
        q->used->idx = 1;
        CHECK_INT(vq_get(q, &head, &len), VQ_EBADID);
        CHECK(q->broken);
    }
    /* The same chain returned twice: the second time it is not in flight. */
    struct vq *q = new_queue();
    uint16_t h1, h2;
    CHECK_INT(vq_add(q, &s, 1, &h1), VQ_OK);
    CHECK_INT(vq_add(q, &s, 1, &h2), VQ_OK);
    q->used->ring[0] = (struct vq_used_elem){h1, 1};
    q->used->ring[1] = (struct vq_used_elem){h1, 1};
    q->used->idx = 2;
    CHECK_INT(vq_get(q, &head, &len), VQ_OK);
    CHECK_INT(vq_get(q, &head, &len), VQ_EBADID);
    fake_reset();
}

TEST(used_length_beyond_the_buffer)
{
    struct vq *q = new_queue();
    uint8_t out[16], in[64];
    struct vq_seg s[2] = {{(uintptr_t)out, sizeof out, false},
                          {(uintptr_t)in, sizeof in, true}};
    uint16_t head;
    uint32_t len;
    CHECK_INT(vq_add(q, s, 2, &head), VQ_OK);
    /* 80 bytes: the chain's total, but only 64 are device-writable. */
    q->used->ring[0] = (struct vq_used_elem){head, 80};
    q->used->idx = 1;
    CHECK_INT(vq_get(q, &head, &len), VQ_EBADLEN);
    CHECK(q->broken);
    CHECK_STR(vq_strerror(VQ_EBADLEN),
              "the device reported more bytes than the buffer holds");
    fake_reset();
}

/* A started virtio-net device on a fake, its MAC in the config. */
static struct vnet *net_on(struct fake *f, uint64_t features, uint32_t qmax)
{
    static struct vnet n;
    fake_init(f, VIRTIO_ID_NET, features, qmax);
    const uint8_t mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
    memcpy(f->config, mac, 6);
    f->config[10] = 0xdc; /* MTU 1500 - 24 = 1476, little-endian */
    f->config[11] = 0x05;
    const char *why = NULL;
    if (vnet_start(&n, &f->dev, "service", &why) < 0) {
        printf("vnet_start: %s\n", why);
        return NULL;
    }
    return &n;
}

/* The device delivers a frame of `len` bytes (header included) into the
 * next receive buffer, reporting `report` as its length. */
static void deliver(struct fake *f, size_t len, uint32_t report, uint8_t fill)
{
    int h = fake_take(f, 0);
    uint8_t *p = slot(f->queue[0], h);
    memset(p, 0, NET_HDR);
    memset(p + NET_HDR, fill,
           len > NET_BUF ? NET_BUF - NET_HDR : len - NET_HDR);
    fake_use(f, 0, (uint32_t)h, report, 1);
}

TEST(net_starts_and_receives)
{
    struct fake f;
    struct vnet *n = net_on(&f, VIRTIO_NET_F_MAC | VIRTIO_NET_F_MTU, 256);
    CHECK(n != NULL);
    CHECK(f.accepted ==
          (VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC | VIRTIO_NET_F_MTU));
    CHECK(f.status & VIRTIO_STATUS_DRIVER_OK);
    CHECK_INT(n->mac[3], 0x12);
    CHECK_INT(n->mtu, 1500);
    CHECK_INT(n->rx.size, NET_QUEUE_CAP);
    CHECK_INT(f.queue[0]->avail->idx, NET_QUEUE_CAP); /* all posted */
    CHECK(!vnet_pending(n));
    deliver(&f, NET_HDR + 60, NET_HDR + 60, 0xab);
    CHECK(vnet_pending(n));
    uint8_t buf[1514 + 16];
    memset(buf, 0xee, sizeof buf);
    size_t got = 0;
    CHECK_INT(vnet_receive(n, buf, 1514, &got), PLAT_OK);
    CHECK_INT(got, 60);
    CHECK_INT(buf[0], 0xab);
    CHECK_INT(buf[59], 0xab);
    CHECK_INT(buf[60], 0xee);
    CHECK_INT(f.queue[0]->avail->idx, NET_QUEUE_CAP + 1); /* re-posted */
    CHECK_INT(vnet_receive(n, buf, 1514, &got), PLAT_AGAIN);
    fake_reset();
}

TEST(net_mtu_and_mac_defaults)
{
    struct fake f;
    struct vnet *n = net_on(&f, 0, 256); /* no MAC, no MTU offered */
    CHECK(n != NULL);
    CHECK_INT(n->mtu, NET_MTU);
    CHECK_INT(n->mac[0] & 3, 2); /* locally administered, unicast */
    f.config[10] = 20;           /* an absurd MTU is not taken */
    f.config[11] = 0;
    n = net_on(&f, VIRTIO_NET_F_MTU, 256);
    CHECK(n != NULL);
    CHECK_INT(n->mtu, NET_MTU);
    fake_reset();
}

TEST(net_length_beyond_buffer_disables_device)
{
    struct fake f;
    struct vnet *n = net_on(&f, VIRTIO_NET_F_MAC, 256);
    CHECK(n != NULL);
    deliver(&f, NET_BUF, NET_BUF + 100, 0x11);
    uint8_t *buf = malloc(4096);
    memset(buf, 0xee, 4096);
    size_t got = 0;
    CHECK_INT(vnet_receive(n, buf, 1514, &got), PLAT_EUNSPEC);
    CHECK_INT(got, 0);
    for (int i = 0; i < 4096; i++)
        if (buf[i] != 0xee) {
            free(buf);
            CHECK(!"the receive buffer was written");
        }
    CHECK(strstr(fake_said,
                 "net 'service' (fake): the device reported more "
                 "bytes than the buffer holds; device disabled") != NULL);
    CHECK(!vnet_pending(n));
    CHECK_INT(vnet_send(n, "x", 1), PLAT_EUNSPEC);
    CHECK_INT(vnet_receive(n, buf, 1514, &got), PLAT_EUNSPEC);
    free(buf);
    fake_reset();
}

TEST(net_used_index_ahead_disables_device)
{
    struct fake f;
    struct vnet *n = net_on(&f, 0, 256);
    CHECK(n != NULL);
    fake_use(&f, 0, 0, NET_HDR + 60, NET_QUEUE_CAP + 1);
    uint8_t buf[1514];
    size_t got;
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    CHECK(strstr(fake_said, "index ran ahead") != NULL);
    CHECK(n->broken);
    fake_reset();
}

TEST(net_frames_too_short_or_long_are_dropped)
{
    struct fake f;
    struct vnet *n = net_on(&f, 0, 256);
    CHECK(n != NULL);
    uint8_t buf[1514];
    size_t got = 0;
    deliver(&f, NET_HDR, 4, 0); /* shorter than the header */
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    deliver(&f, NET_HDR + 1515, NET_HDR + 1515, 1); /* above the MTU */
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    CHECK(!n->broken);
    deliver(&f, NET_HDR + 1514, NET_HDR + 1514, 7);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_OK);
    CHECK_INT(got, 1514);
    CHECK_INT(buf[1513], 7);
    CHECK_INT(f.queue[0]->avail->idx, NET_QUEUE_CAP + 3);
    fake_reset();
}

TEST(net_sends_with_a_header)
{
    struct fake f;
    struct vnet *n = net_on(&f, 0, 8);
    CHECK(n != NULL);
    uint8_t frame[60];
    memset(frame, 0x5a, sizeof frame);
    CHECK_INT(vnet_send(n, frame, sizeof frame), PLAT_OK);
    CHECK_INT(f.notified[1], 1);
    int h = fake_take(&f, 1);
    CHECK(h >= 0);
    CHECK_INT(f.queue[1]->desc[h].len, NET_HDR + 60);
    CHECK_INT(f.queue[1]->desc[h].flags, 0);
    CHECK_INT(slot(f.queue[1], h)[0], 0);
    CHECK_INT(slot(f.queue[1], h)[NET_HDR], 0x5a);
    /* The device keeps every buffer: the ring fills, then a send gives up
     * after a second (the fake clock runs 100 ms a reading). */
    for (int i = 1; i < 8; i++)
        CHECK_INT(vnet_send(n, frame, sizeof frame), PLAT_OK);
    fake_clock_step = 100000000;
    CHECK_INT(vnet_send(n, frame, sizeof frame), PLAT_EUNSPEC);
    CHECK(strstr(fake_said, "returns no transmit buffer") != NULL);
    /* Once it returns them, sending works again. */
    fake_use(&f, 1, (uint32_t)h, 0, 1);
    CHECK_INT(vnet_send(n, frame, sizeof frame), PLAT_OK);
    /* A transmit entry naming no buffer in flight disables the device. */
    fake_use(&f, 1, 99, 0, 1);
    CHECK_INT(vnet_send(n, frame, sizeof frame), PLAT_EUNSPEC);
    CHECK(n->broken);
    fake_reset();
}

TEST(net_flush_waits_for_sent_frames_a_bounded_time)
{
    struct fake f;
    struct vnet *n = net_on(&f, 0, 8);
    CHECK(n != NULL);
    uint8_t frame[60] = {0};
    CHECK_INT(vnet_send(n, frame, sizeof frame), PLAT_OK);
    CHECK_INT(vnet_send(n, frame, sizeof frame), PLAT_OK);
    CHECK_INT(n->tx.in_flight, 2);
    /* The device never sends them: the flush gives up after a second. */
    fake_clock_step = 100000000;
    vnet_flush(n);
    CHECK_INT(n->tx.in_flight, 2);
    /* Once it has, the flush takes them back. */
    fake_use(&f, 1, (uint32_t)fake_take(&f, 1), 0, 1);
    fake_use(&f, 1, (uint32_t)fake_take(&f, 1), 0, 1);
    vnet_flush(n);
    CHECK_INT(n->tx.in_flight, 0);
    fake_reset();
}

/* The fake virtio-blk device's behaviour on a notification. */
static enum { COMPLETE, FAIL_STATUS, OVERLONG, NEVER } blk_mode;
static uint8_t disk[8192];

static void blk_device(struct fake *f, uint16_t q)
{
    int h = fake_take(f, q);
    if (h < 0 || blk_mode == NEVER)
        return;
    const struct vq *vq = f->queue[q];
    struct vblk_req *req = (void *)slot(vq, h);
    int d = vq->desc[h].next, st = vq->desc[d].next;
    uint8_t *data = slot(vq, d);
    uint32_t n = vq->desc[d].len;
    if (req->type == 0)
        memcpy(data, disk + req->sector * 512, n);
    else
        memcpy(disk + req->sector * 512, data, n);
    *slot(vq, st) = blk_mode == FAIL_STATUS ? 1 : 0;
    uint32_t len = (req->type == 0 ? n : 0) + 1;
    fake_use(f, q, (uint32_t)h, blk_mode == OVERLONG ? len + 4096 : len, 1);
}

static struct vblk *blk_on(struct fake *f, uint64_t features, uint64_t sectors,
                           uint32_t blk_size, const char **why)
{
    static struct vblk b;
    fake_init(f, VIRTIO_ID_BLOCK, features, 128);
    memcpy(f->config, &sectors, 8);
    memcpy(f->config + 20, &blk_size, 4);
    f->on_notify = blk_device;
    *why = "";
    return vblk_start(&b, &f->dev, "storage", why) < 0 ? NULL : &b;
}

TEST(blk_reads_and_writes)
{
    struct fake f;
    const char *why;
    struct vblk *b = blk_on(&f, VIRTIO_BLK_F_BLK_SIZE, 16, 4096, &why);
    CHECK(b != NULL);
    CHECK_INT(b->block_size, 4096);
    CHECK_INT(b->capacity, 8192);
    CHECK(!b->read_only);
    blk_mode = COMPLETE;
    uint8_t blk[4096];
    memset(blk, 0x3c, sizeof blk);
    CHECK_INT(vblk_transfer(b, true, 4096, blk, sizeof blk), PLAT_OK);
    CHECK_INT(disk[4096], 0x3c);
    CHECK_INT(disk[8191], 0x3c);
    memset(blk, 0, sizeof blk);
    CHECK_INT(vblk_transfer(b, false, 4096, blk, sizeof blk), PLAT_OK);
    CHECK_INT(blk[4095], 0x3c);
    blk_mode = FAIL_STATUS;
    CHECK_INT(vblk_transfer(b, false, 0, blk, sizeof blk), PLAT_EUNSPEC);
    CHECK(!b->broken); /* an I/O error is not a broken device */
    fake_reset();
}

TEST(blk_hostile_completions)
{
    struct fake f;
    const char *why;
    uint8_t blk[512];
    struct vblk *b = blk_on(&f, VIRTIO_BLK_F_RO, 4, 0, &why);
    CHECK(b != NULL);
    CHECK(b->read_only);
    CHECK_INT(b->block_size, 512);
    blk_mode = OVERLONG;
    CHECK_INT(vblk_transfer(b, false, 0, blk, sizeof blk), PLAT_EUNSPEC);
    CHECK(b->broken);
    CHECK(strstr(fake_said, "block 'storage' (fake): the device reported "
                            "more bytes") != NULL);
    CHECK_INT(vblk_transfer(b, false, 0, blk, sizeof blk), PLAT_EUNSPEC);
    b = blk_on(&f, 0, 4, 0, &why);
    CHECK(b != NULL);
    blk_mode = NEVER;
    fake_clock_step = 1000000000; /* a second a reading */
    CHECK_INT(vblk_transfer(b, false, 0, blk, sizeof blk), PLAT_EUNSPEC);
    CHECK(strstr(fake_said, "did not complete in 30 s") != NULL);
    CHECK(b->broken);
    fake_reset();
}

TEST(blk_absurd_geometry_refused)
{
    struct fake f;
    const char *why;
    CHECK(blk_on(&f, VIRTIO_BLK_F_BLK_SIZE, 16, 1000, &why) == NULL);
    CHECK_STR(why, "the device reports an impossible block size");
    CHECK(blk_on(&f, VIRTIO_BLK_F_BLK_SIZE, 16, 256, &why) == NULL);
    CHECK(blk_on(&f, VIRTIO_BLK_F_BLK_SIZE, 16, 1u << 20, &why) == NULL);
    CHECK(blk_on(&f, 0, UINT64_MAX / 256, 0, &why) == NULL);
    CHECK_STR(why, "the device reports an impossible capacity");
    /* A capacity not a multiple of the block size is rounded down. */
    struct vblk *b = blk_on(&f, VIRTIO_BLK_F_BLK_SIZE, 15, 4096, &why);
    CHECK(b != NULL);
    CHECK_INT(b->capacity, 4096);
    fake_reset();
}

TEST(legacy_and_refusing_devices)
{
    struct fake f;
    const char *why = "";
    fake_init(&f, VIRTIO_ID_NET, 0, 8);
    f.offered = 0; /* no VERSION_1 */
    CHECK(virtio_negotiate(&f.dev, 0, &why) == 0);
    CHECK_STR(why, "not a virtio 1.0 (modern) device");
    CHECK(f.status & VIRTIO_STATUS_FAILED);
    fake_reset();
}

int main(void)
{
    return test_main();
}
