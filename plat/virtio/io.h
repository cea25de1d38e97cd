/* x86 port and memory-mapped I/O, CPUID and MSRs for the virtio platform.
 * MMIO accessors are volatile and ordered by the compiler barrier in
 * their asm; x86 keeps stores and loads to uncached MMIO in order. */
#ifndef MIRAGE_PLAT_VIRTIO_IO_H
#define MIRAGE_PLAT_VIRTIO_IO_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port) : "memory");
}
static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port) : "memory");
}
static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port) : "memory");
}
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline uint8_t mmio_read8(uintptr_t a)
{
    uint8_t v;
    __asm__ volatile("movb %1, %0"
                     : "=q"(v)
                     : "m"(*(volatile uint8_t *)a)
                     : "memory");
    return v;
}
static inline uint16_t mmio_read16(uintptr_t a)
{
    uint16_t v;
    __asm__ volatile("movw %1, %0"
                     : "=r"(v)
                     : "m"(*(volatile uint16_t *)a)
                     : "memory");
    return v;
}
static inline uint32_t mmio_read32(uintptr_t a)
{
    uint32_t v;
    __asm__ volatile("movl %1, %0"
                     : "=r"(v)
                     : "m"(*(volatile uint32_t *)a)
                     : "memory");
    return v;
}
static inline void mmio_write8(uintptr_t a, uint8_t v)
{
    __asm__ volatile("movb %1, %0"
                     : "=m"(*(volatile uint8_t *)a)
                     : "q"(v)
                     : "memory");
}
static inline void mmio_write16(uintptr_t a, uint16_t v)
{
    __asm__ volatile("movw %1, %0"
                     : "=m"(*(volatile uint16_t *)a)
                     : "r"(v)
                     : "memory");
}
static inline void mmio_write32(uintptr_t a, uint32_t v)
{
    __asm__ volatile("movl %1, %0"
                     : "=m"(*(volatile uint32_t *)a)
                     : "r"(v)
                     : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)));
}

/* A pointer to physical address a (identity-mapped), hidden from the
 * compiler's object-size reasoning, which a constant address upsets. */
static inline const void *phys(uintptr_t a)
{
    __asm__("" : "+r"(a));
    return (const void *)a;
}

static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

#endif
