/* Validation and loading of the static x86_64 ELF executables the Solo5
 * ABI uses. Every value read from the image is checked before use. */
#include <elf.h>
#include <string.h>

#include "tender.h"

static bool is_pow2(uint64_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

static bool inside_file(uint64_t off, uint64_t len, size_t size)
{
    return off <= size && len <= size - off;
}

static int check_header(const Elf64_Ehdr *h, size_t size, char *err)
{
    if (memcmp(h->e_ident, ELFMAG, SELFMAG) != 0)
        return tender_errf(err, "invalid image: not an ELF file");
    if (h->e_ident[EI_CLASS] != ELFCLASS64 ||
        h->e_ident[EI_DATA] != ELFDATA2LSB ||
        h->e_ident[EI_VERSION] != EV_CURRENT || h->e_version != EV_CURRENT)
        return tender_errf(err, "invalid image: not a 64-bit little-endian "
                                "ELF version 1 file");
    if (h->e_type != ET_EXEC)
        return tender_errf(err,
                           "invalid image: not a static executable "
                           "(ELF type %u)",
                           (unsigned)h->e_type);
    if (h->e_machine != EM_X86_64)
        return tender_errf(err,
                           "invalid image: not an x86_64 executable "
                           "(machine %u)",
                           (unsigned)h->e_machine);
    if (h->e_ehsize != sizeof(Elf64_Ehdr) ||
        h->e_phentsize != sizeof(Elf64_Phdr))
        return tender_errf(err, "invalid image: bad ELF header sizes");
    if (h->e_phnum == 0 || h->e_phnum > TENDER_PHDR_MAX)
        return tender_errf(err,
                           "invalid image: %u program headers "
                           "(1 to %u allowed)",
                           (unsigned)h->e_phnum, TENDER_PHDR_MAX);
    if (!inside_file(h->e_phoff, (uint64_t)h->e_phnum * sizeof(Elf64_Phdr),
                     size))
        return tender_errf(err, "invalid image: program headers outside "
                                "the file");
    return 0;
}

/* Check one non-empty PT_LOAD (number i) and append it to elf->load. */
static int add_load(struct tender_elf *elf, const Elf64_Phdr *p, unsigned i,
                    size_t size, uint64_t mem_size, char *err)
{
    if (p->p_vaddr < TENDER_LOAD_MIN)
        return tender_errf(err, "invalid image: segment %u below 0x%x", i,
                           TENDER_LOAD_MIN);
    if (p->p_filesz > p->p_memsz)
        return tender_errf(err,
                           "invalid image: segment %u: file size "
                           "exceeds memory size",
                           i);
    if (!inside_file(p->p_offset, p->p_filesz, size))
        return tender_errf(err,
                           "invalid image: segment %u: data outside "
                           "the file",
                           i);
    if ((p->p_flags & PF_W) && (p->p_flags & PF_X))
        return tender_errf(err,
                           "invalid image: segment %u is both "
                           "writable and executable",
                           i);
    uint64_t align =
        p->p_align < TENDER_PAGE_SIZE ? TENDER_PAGE_SIZE : p->p_align;
    if (!is_pow2(p->p_align))
        return tender_errf(err,
                           "invalid image: segment %u: alignment %llu "
                           "is not a power of two",
                           i, (unsigned long long)p->p_align);
    uint64_t end;
    if (__builtin_add_overflow(p->p_vaddr, p->p_memsz, &end) ||
        __builtin_add_overflow(end, align - 1, &end) || end > mem_size)
        return tender_errf(err,
                           "invalid image: segment %u does not fit "
                           "in %llu MiB of memory",
                           i, (unsigned long long)(mem_size >> 20));
    end &= ~(align - 1);
    uint64_t start = p->p_vaddr & ~(align - 1);
    if (start < TENDER_LOAD_MIN)
        return tender_errf(err, "invalid image: segment %u below 0x%x", i,
                           TENDER_LOAD_MIN);
    if (elf->nload > 0 && start < elf->load[elf->nload - 1].end)
        return tender_errf(err,
                           "invalid image: segment %u overlaps or "
                           "precedes the previous one",
                           i);
    struct tender_segment *s = &elf->load[elf->nload++];
    s->vaddr = p->p_vaddr;
    s->offset = p->p_offset;
    s->filesz = p->p_filesz;
    s->memsz = p->p_memsz;
    s->start = start;
    s->end = end;
    s->flags = p->p_flags & (TENDER_SEG_R | TENDER_SEG_W | TENDER_SEG_X);
    return 0;
}

int tender_elf_parse(const uint8_t *data, size_t size, uint64_t mem_size,
                     struct tender_elf *elf, char *err)
{
    Elf64_Ehdr h;
    if (size < sizeof h)
        return tender_errf(err, "invalid image: truncated ELF header");
    memcpy(&h, data, sizeof h);
    if (check_header(&h, size, err) < 0)
        return -1;
    memset(elf, 0, sizeof *elf);
    for (unsigned i = 0; i < h.e_phnum; i++) {
        Elf64_Phdr p;
        memcpy(&p, data + h.e_phoff + i * sizeof p, sizeof p);
        if (p.p_type == PT_LOAD && p.p_memsz > 0) {
            if (add_load(elf, &p, i, size, mem_size, err) < 0)
                return -1;
        } else if (p.p_type == PT_NOTE) {
            if (!inside_file(p.p_offset, p.p_filesz, size))
                return tender_errf(err,
                                   "invalid image: note segment %u "
                                   "outside the file",
                                   i);
            elf->note[elf->nnote].offset = p.p_offset;
            elf->note[elf->nnote++].size = p.p_filesz;
        }
    }
    if (elf->nload == 0)
        return tender_errf(err, "invalid image: no loadable segment");
    elf->entry = h.e_entry;
    elf->kernel_end = elf->load[elf->nload - 1].end;
    for (unsigned i = 0; i < elf->nload; i++) {
        const struct tender_segment *s = &elf->load[i];
        if ((s->flags & TENDER_SEG_X) && h.e_entry >= s->vaddr &&
            h.e_entry - s->vaddr < s->memsz)
            return 0;
    }
    return tender_errf(err,
                       "invalid image: entry point 0x%llx is not in "
                       "an executable segment",
                       (unsigned long long)h.e_entry);
}

void tender_elf_load(const struct tender_elf *elf, const uint8_t *data,
                     uint8_t *mem, uint64_t mem_base)
{
    for (unsigned i = 0; i < elf->nload; i++) {
        const struct tender_segment *s = &elf->load[i];
        uint8_t *dst = mem + (s->vaddr - mem_base);
        memcpy(dst, data + s->offset, s->filesz);
        memset(dst + s->filesz, 0, s->memsz - s->filesz);
    }
}
