/* The TCP segment wire format (RFC 9293 §3.1): parsing and building the
 * header and the options this implementation knows (MSS, window scale
 * and timestamps from RFC 7323, SACK-permitted and SACK blocks from
 * RFC 2018). Nothing here allocates or
 * yields; the checksum is ip.h's. */
#ifndef MIRAGE_TCP_SEGMENT_H
#define MIRAGE_TCP_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

#define TCP_HDR_MIN    20
#define TCP_HDR_MAX    60
#define TCP_OPT_MAX    40
#define TCP_MAX_SACK   4  /* blocks one segment can carry */
#define TCP_MAX_WSCALE 14 /* RFC 7323 §2.3 */
#define TCP_TS_OPT_LEN 12 /* NOP NOP TS: what timestamps cost a segment */

struct mirage_buf;

struct tcp_sack_block {
    uint32_t start, end; /* [start, end) */
};

/* Options of one segment. A field not present is false / 0. */
struct tcp_opts {
    uint16_t mss; /* 0: absent */
    bool has_ws;  /* window scale present; shift in ws (at most 14) */
    uint8_t ws;
    bool sack_ok; /* SACK-permitted */
    bool has_ts;  /* timestamps present: ts_val, ts_ecr */
    uint32_t ts_val, ts_ecr;
    uint8_t nsack; /* SACK blocks in sack[] */
    struct tcp_sack_block sack[TCP_MAX_SACK];
};

struct tcp_seg {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags; /* TCP_FIN ... TCP_URG */
    uint16_t wnd;  /* as on the wire, not scaled */
    uint16_t urp;
    struct tcp_opts opt;
    const uint8_t *data;    /* payload, inside the parsed bytes */
    size_t len;             /* payload bytes */
    struct mirage_buf *buf; /* the received buffer holding them, which
                               the engine may keep (mirage_buf_keep);
                               NULL from tcp_seg_parse */
};

/* Parse the segment in p[0..len) (the IP payload) into *s; s->data points
 * into p. Returns 0, or MIRAGE_EBADF when the header is truncated, its
 * data offset is below 5 or beyond len, or an option runs past the
 * header or has a length below 2. Options of a known kind with a wrong
 * length, and unknown options, are skipped. Does not check the
 * checksum. */
int tcp_seg_parse(const uint8_t *p, size_t len, struct tcp_seg *s);

/* Write the options o (those for a SYN when syn is true: MSS, window
 * scale, SACK-permitted, timestamps; otherwise timestamps and as many
 * SACK blocks as fit) to p, padded to a multiple of 4 bytes; p has room
 * for TCP_OPT_MAX bytes. Returns the length written. */
size_t tcp_opts_write(uint8_t *p, const struct tcp_opts *o, bool syn);

/* Write the header of s (ports, numbers, flags, window, urgent pointer)
 * with the options already at p + 20 taking optlen bytes; the checksum
 * field is zeroed. */
void tcp_hdr_write(uint8_t *p, const struct tcp_seg *s, size_t optlen);

#endif
