/* The platform interface (include/mirage/plat.h) for the network tests:
 * the network devices and plat_yield are the test network's
 * (lib/testnet), the monotonic clock is its virtual clock, the console is
 * captured in memory, entropy is a fixed sequence, and there are no block
 * devices (host_plat.c, which also gives rt_vformat for lib/rt/log.c).
 * Also mirage_target and mirage_heap_size, which lib/rt's boot and
 * allocator would give. */
#include "testnet_plat.h"

#include "../../lib/rt/internal.h"
#include "host_plat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct testnet *testnet_plat_net;

static struct host_text console;

void testnet_plat_console_clear(void)
{
    host_text_clear(&console);
}

const char *testnet_plat_console(void)
{
    return host_text_get(&console);
}

/* Text that cannot be kept (memory exhausted, as the allocation failure
 * tests arrange) is dropped. */
void plat_console_write(const char *buf, size_t len)
{
    host_text_append(&console, buf, len);
}

uint64_t plat_clock_monotonic(void)
{
    return testnet_now(testnet_plat_net);
}

uint64_t plat_clock_wall(void)
{
    /* 2026-01-01T00:00:00Z plus the virtual time. */
    return 1767225600ull * 1000000000u + plat_clock_monotonic();
}

void plat_yield(uint64_t deadline, plat_handle_set *ready)
{
    testnet_yield(testnet_plat_net, deadline, ready);
}

enum plat_result plat_entropy(void *buf, size_t len)
{
    memset(buf, 0x5a, len);
    return PLAT_OK;
}

enum plat_result plat_net_acquire(const char *name, plat_handle *h,
                                  struct plat_net_info *info)
{
    return testnet_acquire(testnet_plat_net, name, h, info);
}

enum plat_result plat_net_acquire_offload(const char *name, uint32_t wanted,
                                          plat_handle *h,
                                          struct plat_net_info *info)
{
    return testnet_acquire_offload(testnet_plat_net, name, wanted, h, info);
}

enum plat_result plat_net_write(plat_handle h, const void *buf, size_t len)
{
    return testnet_write(testnet_plat_net, h, buf, len);
}

enum plat_result plat_net_read(plat_handle h, void *buf, size_t size,
                               size_t *read)
{
    return testnet_read(testnet_plat_net, h, buf, size, read);
}

void plat_exit(int status)
{
    fputs(testnet_plat_console(), stdout);
    exit(status);
}

void plat_abort(void)
{
    fputs(testnet_plat_console(), stdout);
    abort();
}

/* The runtime's boot is not linked: the tests run on a target of their
 * own. */
const char *mirage_target(void)
{
    return "testnet";
}

size_t mirage_heap_size(void)
{
    return (size_t)256 << 20; /* the host's malloc: a unikernel's size */
}
