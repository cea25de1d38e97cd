/* The one-line report of a fault signal, shared by the programs that run
 * unikernel code as a Linux process: the unix platform and mirage-spt's
 * fault handler. Pure and libc-free, so that a signal handler can use it
 * whatever state the thread pointer is in. */
#ifndef MIRAGE_PLAT_LINUX_FAULT_H
#define MIRAGE_PLAT_LINUX_FAULT_H

#include <stddef.h>
#include <stdint.h>

#include "syscall.h"

#define LINUX_FAULT_LINE_MAX 128

static inline size_t linux_fault_put(char *buf, size_t at, const char *s)
{
    while (*s && at < LINUX_FAULT_LINE_MAX - 1)
        buf[at++] = *s++;
    return at;
}

static inline size_t linux_fault_hex(char *buf, size_t at, uint64_t v)
{
    char digits[19] = "0x";
    int i = 2, shift = 60;
    while (shift > 0 && !(v >> shift))
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        digits[i++] = "0123456789abcdef"[(v >> shift) & 15];
    digits[i] = '\0';
    return linux_fault_put(buf, at, digits);
}

/* Write "PREFIX: SIGSEGV at rip 0x..., address 0x...\n" into buf
 * (LINUX_FAULT_LINE_MAX bytes, NUL-terminated, truncated if the prefix is
 * long) for fault signal sig (SIGSEGV, SIGBUS, SIGILL, SIGFPE, else
 * SIGTRAP); returns its length. */
static inline size_t linux_fault_line(char *buf, const char *prefix, int sig,
                                      uint64_t rip, uint64_t addr)
{
    const char *name = sig == LINUX_SIGSEGV  ? "SIGSEGV"
                       : sig == LINUX_SIGBUS ? "SIGBUS"
                       : sig == LINUX_SIGILL ? "SIGILL"
                       : sig == LINUX_SIGFPE ? "SIGFPE"
                                             : "SIGTRAP";
    size_t at = linux_fault_put(buf, 0, prefix);
    at = linux_fault_put(buf, at, ": ");
    at = linux_fault_put(buf, at, name);
    at = linux_fault_put(buf, at, " at rip ");
    at = linux_fault_hex(buf, at, rip);
    at = linux_fault_put(buf, at, ", address ");
    at = linux_fault_hex(buf, at, addr);
    at = linux_fault_put(buf, at, "\n");
    buf[at] = '\0';
    return at;
}

#endif
