/* Reporting a CPU exception in the virtio guest: one line with its name,
 * error code, RIP and CR2, then the general registers four to a line,
 * then exit with status 255 (see exit.c). */
#include "../solo5/exception.h"
#include "../solo5/say.h"
#include "virtio.h"

#include <stdbool.h>
#include <stddef.h>

/* What trap_entry.S pushed, lowest address first. */
struct virtio_trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

void virtio_trap(struct virtio_trap_frame *f);

/* No canary here: a broken thread pointer may be what trapped. An
 * exception while reporting one exits at once instead of looping. */
__attribute__((no_stack_protector)) void
virtio_trap(struct virtio_trap_frame *f)
{
    static bool reporting;
    if (reporting)
        virtio_exit(255);
    reporting = true;
    uint64_t cr2;
    __asm__ volatile("movq %%cr2, %0" : "=r"(cr2));
    char a[19], b[19], c[19], d[19];
    solo5_say("virtio: guest exception: ", solo5_exception_name(f->vector),
              ", error ", solo5_hex(f->error, a), ", rip ",
              solo5_hex(f->rip, b), ", cr2 ", solo5_hex(cr2, c), "\n", NULL);
    const struct {
        const char *name;
        uint64_t value;
    } regs[] = {
        {"rax", f->rax}, {"rbx", f->rbx},       {"rcx", f->rcx},
        {"rdx", f->rdx}, {"rsi", f->rsi},       {"rdi", f->rdi},
        {"rbp", f->rbp}, {"rsp", f->rsp},       {"r8", f->r8},
        {"r9", f->r9},   {"r10", f->r10},       {"r11", f->r11},
        {"r12", f->r12}, {"r13", f->r13},       {"r14", f->r14},
        {"r15", f->r15}, {"rflags", f->rflags}, {"cs", f->cs},
        {"ss", f->ss},   {"vector", f->vector},
    };
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i += 4)
        solo5_say("virtio: ", regs[i].name, " ", solo5_hex(regs[i].value, a),
                  " ", regs[i + 1].name, " ", solo5_hex(regs[i + 1].value, b),
                  " ", regs[i + 2].name, " ", solo5_hex(regs[i + 2].value, c),
                  " ", regs[i + 3].name, " ", solo5_hex(regs[i + 3].value, d),
                  "\n", NULL);
    virtio_exit(255);
}
