/* The Linux end of bench/tcp.sh in C (TCP_BENCH_PEER=c), to show that
 * the Python one is not what limits a row: the same commands and output
 * as the script's Python client and veth server.
 *   tcp_peer send HOST PORT N     send N bytes, shut writing, wait for
 *                                 the peer's close; print KiB/s
 *   tcp_peer recv HOST PORT N     read until the peer closes; print KiB/s,
 *                                 or short:COUNT when not N bytes came
 *   tcp_peer serve ADDR PORT MODE N
 *                                 print "listening", then serve every
 *                                 connection one after another: MODE sink
 *                                 reads until the end, source sends N
 *                                 bytes; then closes it
 * Transfers move 1 MiB per system call, as the Python peer does. Exits
 * with status 1 and one line on stderr when a call fails. */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static char buf[CHUNK];

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct addrinfo *resolve(const char *host, const char *port, int flags)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = flags};
    struct addrinfo *a;
    int err = getaddrinfo(host, port, &hints, &a);
    if (err) {
        fprintf(stderr, "%s: %s\n", host, gai_strerror(err));
        exit(1);
    }
    return a;
}

static int connect_to(const char *host, const char *port)
{
    struct addrinfo *a = resolve(host, port, 0);
    int s = socket(a->ai_family, SOCK_STREAM, 0);
    if (s < 0 || connect(s, a->ai_addr, a->ai_addrlen) < 0)
        die("connect");
    freeaddrinfo(a);
    return s;
}

/* Write n bytes to s; false when the peer went away. */
static int send_bytes(int s, long long n)
{
    while (n > 0) {
        ssize_t k = write(s, buf, n < CHUNK ? (size_t)n : CHUNK);
        if (k <= 0)
            return 0;
        n -= k;
    }
    return 1;
}

/* Read s to its end: the byte count. */
static long long drain(int s)
{
    long long got = 0;
    ssize_t k;
    while ((k = read(s, buf, CHUNK)) > 0)
        got += k;
    if (k < 0)
        die("read");
    return got;
}

static void serve(const char *addr, const char *port, const char *mode,
                  long long n)
{
    struct addrinfo *a = resolve(addr, port, AI_PASSIVE);
    int l = socket(a->ai_family, SOCK_STREAM, 0), one = 1;
    if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(l, a->ai_addr, a->ai_addrlen) || listen(l, 128))
        die("listen");
    freeaddrinfo(a);
    printf("listening\n");
    fflush(stdout);
    for (;;) {
        int s = accept(l, NULL, NULL);
        if (s < 0)
            die("accept");
        if (strcmp(mode, "sink") == 0)
            drain(s);
        else
            send_bytes(s, n);
        close(s);
    }
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "send") == 0) {
        long long n = atoll(argv[4]);
        int s = connect_to(argv[2], argv[3]);
        double t = now();
        if (!send_bytes(s, n))
            die("write");
        shutdown(s, SHUT_WR);
        drain(s);
        printf("%.0f\n", (double)n / 1024 / (now() - t));
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "recv") == 0) {
        long long n = atoll(argv[4]);
        int s = connect_to(argv[2], argv[3]);
        double t = now();
        long long got = drain(s);
        if (got == n)
            printf("%.0f\n", (double)got / 1024 / (now() - t));
        else
            printf("short:%lld\n", got);
        return 0;
    }
    if (argc == 6 && strcmp(argv[1], "serve") == 0 &&
        (strcmp(argv[4], "sink") == 0 || strcmp(argv[4], "source") == 0)) {
        serve(argv[2], argv[3], argv[4], atoll(argv[5]));
        return 0;
    }
    fprintf(stderr, "usage: tcp_peer send|recv HOST PORT N | serve ADDR PORT "
                    "sink|source N\n");
    return 1;
}
