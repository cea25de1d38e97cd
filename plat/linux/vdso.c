/* Finds functions exported by the Linux vDSO by walking its ELF program
 * headers, dynamic section, SysV hash table and symbol table. The vDSO is
 * mapped as one image, so file offsets are memory offsets from its header. */
#include "vdso.h"

#include <stddef.h>
#include <stdint.h>

/* The ELF64 structures and constants used here (System V gABI). */
struct elf64_ehdr {
    unsigned char e_ident[16];
    uint16_t e_type, e_machine;
    uint32_t e_version;
    uint64_t e_entry, e_phoff, e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};
struct elf64_phdr {
    uint32_t p_type, p_flags;
    uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};
struct elf64_dyn {
    int64_t d_tag;
    uint64_t d_val;
};
struct elf64_sym {
    uint32_t st_name;
    unsigned char st_info, st_other;
    uint16_t st_shndx;
    uint64_t st_value, st_size;
};
enum { PT_LOAD = 1, PT_DYNAMIC = 2 };
enum { DT_NULL = 0, DT_HASH = 4, DT_STRTAB = 5, DT_SYMTAB = 6 };
enum { STT_FUNC = 2, STB_GLOBAL = 1, STB_WEAK = 2 };

static int names_equal(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

void *linux_vdso_lookup(const void *ehdr, const char *name)
{
    const struct elf64_ehdr *eh = ehdr;
    if (!eh || eh->e_ident[0] != 0x7f || eh->e_ident[1] != 'E' ||
        eh->e_ident[2] != 'L' || eh->e_ident[3] != 'F' ||
        eh->e_ident[4] != 2 /* ELFCLASS64 */ ||
        eh->e_phentsize != sizeof(struct elf64_phdr))
        return NULL;

    uintptr_t base = (uintptr_t)ehdr;
    const struct elf64_phdr *ph = (const void *)(base + eh->e_phoff);
    const struct elf64_dyn *dyn = NULL;
    uintptr_t bias = 0;
    int have_load = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !have_load) {
            bias = base + ph[i].p_offset - ph[i].p_vaddr;
            have_load = 1;
        } else if (ph[i].p_type == PT_DYNAMIC) {
            dyn = (const void *)(base + ph[i].p_offset);
        }
    }
    if (!have_load || !dyn)
        return NULL;

    const uint32_t *hash = NULL;
    const char *strtab = NULL;
    const struct elf64_sym *symtab = NULL;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        if (dyn->d_tag == DT_HASH)
            hash = (const void *)(bias + dyn->d_val);
        else if (dyn->d_tag == DT_STRTAB)
            strtab = (const void *)(bias + dyn->d_val);
        else if (dyn->d_tag == DT_SYMTAB)
            symtab = (const void *)(bias + dyn->d_val);
    }
    if (!hash || !strtab || !symtab)
        return NULL;

    /* hash[1] is nchain, the number of symbols. */
    for (uint32_t i = 0; i < hash[1]; i++) {
        const struct elf64_sym *s = &symtab[i];
        unsigned type = s->st_info & 0xf, bind = s->st_info >> 4;
        if (type == STT_FUNC && (bind == STB_GLOBAL || bind == STB_WEAK) &&
            s->st_shndx != 0 && names_equal(strtab + s->st_name, name))
            return (void *)(bias + s->st_value);
    }
    return NULL;
}
