/* Congestion control: slow start and congestion avoidance (RFC 5681)
 * with byte counting, or CUBIC's window growth and decrease (RFC 9438);
 * fast recovery NewReno style (RFC 6582); the loss window after a
 * timeout. cwnd and ssthresh are in bytes; integer arithmetic only. */
#ifndef MIRAGE_TCP_CC_H
#define MIRAGE_TCP_CC_H

#include <stdbool.h>
#include <stdint.h>

struct tcp_cc {
    uint32_t cwnd, ssthresh;
    uint32_t ca_acked; /* Reno: bytes acked in congestion avoidance, not
                          yet turned into window */
    bool recovery;     /* in fast recovery until `recover` is acked */
    uint32_t recover;
    bool cubic;         /* CUBIC, else Reno, in congestion avoidance */
    uint32_t w_max;     /* CUBIC: the window before the last decrease */
    uint32_t w_est;     /* CUBIC: the Reno-friendly window estimate */
    uint64_t epoch;     /* CUBIC: when this growth epoch began (ns), 0:
                           at the next ACK */
    uint64_t k_ms;      /* CUBIC: time from the epoch to reach w_max */
    uint64_t frac;      /* CUBIC: growth not yet a whole byte, times cwnd */
    uint32_t abc_limit; /* slow start grows by at most this per ACK (0:
                           2 MSS, RFC 3465's L; a sender of
                           super-segments gets stretch ACKs for them) */
};

/* The initial window of RFC 6928 for a sender MSS of mss bytes, with
 * snd_una the first sequence number to be acknowledged. */
void tcp_cc_init(struct tcp_cc *cc, uint32_t mss, uint32_t snd_una, bool cubic);
/* acked new bytes acknowledged outside recovery at time now (ns), with
 * the smoothed round-trip time rtt (ns; 0: none yet): grow the window. */
void tcp_cc_on_ack(struct tcp_cc *cc, uint32_t acked, uint32_t mss,
                   uint64_t now, uint64_t rtt);
/* Loss detected by duplicate ACKs or SACK with flight bytes outstanding:
 * enter recovery until snd_max is acknowledged. With SACK the sender
 * counts the pipe (RFC 6675), so the window is not inflated. */
void tcp_cc_enter_recovery(struct tcp_cc *cc, uint32_t flight, uint32_t mss,
                           uint32_t snd_max, bool sack);
/* A further duplicate ACK in recovery (inflates the window without
 * SACK). */
void tcp_cc_on_dupack(struct tcp_cc *cc, uint32_t mss, bool sack);
/* An ACK of acked bytes in recovery that does not reach `recover`
 * (deflates the window without SACK). */
void tcp_cc_on_partial_ack(struct tcp_cc *cc, uint32_t acked, uint32_t mss,
                           bool sack);
/* `recover` acknowledged with flight bytes still outstanding: leave
 * recovery. */
void tcp_cc_exit_recovery(struct tcp_cc *cc, uint32_t flight, uint32_t mss);
/* The retransmission timer expired with flight bytes outstanding up to
 * snd_max: losses below it start no fast recovery (RFC 6582 §3.2). */
void tcp_cc_on_timeout(struct tcp_cc *cc, uint32_t flight, uint32_t mss,
                       uint32_t snd_max);
/* The integer cube root of x (rounded down). */
uint64_t tcp_cbrt(uint64_t x);

#endif
