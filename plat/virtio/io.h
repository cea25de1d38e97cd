/* x86 port and memory-mapped I/O, CPUID and MSRs for the virtio platform.
 * MMIO accessors are volatile and ordered by the compiler barrier in
 * their asm; x86 keeps stores and loads to uncached MMIO in order. */
#ifndef MIRAGE_PLAT_VIRTIO_IO_H
#define MIRAGE_PLAT_VIRTIO_IO_H

#include <stdint.h>

/* outb/inb, outw/inw, outl/inl (port I/O) and mmio_read8/mmio_write8 ..
 * mmio_read32/mmio_write32 (one mov of that width; reg: the register
 * constraint that width allows). */
#define IO_ACCESSORS(bits, sfx, reg)                                           \
    static inline void out##sfx(uint16_t port, uint##bits##_t v)               \
    {                                                                          \
        __asm__ volatile("out" #sfx " %0, %1" ::"a"(v), "Nd"(port)             \
                         : "memory");                                          \
    }                                                                          \
    static inline uint##bits##_t in##sfx(uint16_t port)                        \
    {                                                                          \
        uint##bits##_t v;                                                      \
        __asm__ volatile("in" #sfx " %1, %0"                                   \
                         : "=a"(v)                                             \
                         : "Nd"(port)                                          \
                         : "memory");                                          \
        return v;                                                              \
    }                                                                          \
    static inline uint##bits##_t mmio_read##bits(uintptr_t a)                  \
    {                                                                          \
        uint##bits##_t v;                                                      \
        __asm__ volatile("mov" #sfx " %1, %0"                                  \
                         : "=" reg(v)                                          \
                         : "m"(*(volatile uint##bits##_t *)a)                  \
                         : "memory");                                          \
        return v;                                                              \
    }                                                                          \
    static inline void mmio_write##bits(uintptr_t a, uint##bits##_t v)         \
    {                                                                          \
        __asm__ volatile("mov" #sfx " %1, %0"                                  \
                         : "=m"(*(volatile uint##bits##_t *)a)                 \
                         : reg(v)                                              \
                         : "memory");                                          \
    }
IO_ACCESSORS(8, b, "q")
IO_ACCESSORS(16, w, "r")
IO_ACCESSORS(32, l, "r")
#undef IO_ACCESSORS

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
