/* Reporting a CPU exception in the virtio guest: a page fault in a stack
 * guard page is named by the runtime ("fiber stack overflow ..."); then
 * one line with the exception's name, error code, RIP and CR2, the
 * general registers four to a line, and exit with status 255 (see
 * exit.c). There is no tender to report faults: the guest always does. */
#include "../solo5/exception.h"
#include "../solo5/say.h"
#include "virtio.h"

#include <stddef.h>

void virtio_trap(struct solo5_trap_frame *f);

/* No canary here (see plat/solo5/exception.h). */
__attribute__((no_stack_protector)) void virtio_trap(struct solo5_trap_frame *f)
{
    uint64_t cr2;
    if (!solo5_trap_enter(f, &cr2))
        virtio_exit(255);
    solo5_trap_say("virtio", f, cr2);
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
    char a[19], b[19], c[19], d[19];
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i += 4)
        solo5_say("virtio: ", regs[i].name, " ", solo5_hex(regs[i].value, a),
                  " ", regs[i + 1].name, " ", solo5_hex(regs[i + 1].value, b),
                  " ", regs[i + 2].name, " ", solo5_hex(regs[i + 2].value, c),
                  " ", regs[i + 3].name, " ", solo5_hex(regs[i + 3].value, d),
                  "\n", NULL);
    virtio_exit(255);
}
