/* The vDSO symbol lookup (plat/linux/vdso.c): against this process's real
 * vDSO, and against malformed images built in memory. */
#include "../../plat/linux/vdso.h"

#include <elf.h>
#include <stddef.h>
#include <sys/auxv.h>
#include <time.h>

#include "test.h"

typedef int (*gettime_fn)(clockid_t, struct timespec *);

TEST(finds_clock_gettime_in_the_real_vdso)
{
    const void *vdso = (const void *)getauxval(AT_SYSINFO_EHDR);
    CHECK(vdso != NULL);
    gettime_fn fn = (gettime_fn)linux_vdso_lookup(vdso, "__vdso_clock_gettime");
    CHECK(fn != NULL);
    struct timespec a, b;
    CHECK_INT(fn(CLOCK_REALTIME, &a), 0);
    CHECK_INT(clock_gettime(CLOCK_REALTIME, &b), 0);
    CHECK(b.tv_sec - a.tv_sec >= 0 && b.tv_sec - a.tv_sec <= 5);
}

TEST(unknown_names_are_not_found)
{
    const void *vdso = (const void *)getauxval(AT_SYSINFO_EHDR);
    CHECK(linux_vdso_lookup(vdso, "__vdso_no_such_function") == NULL);
    CHECK(linux_vdso_lookup(vdso, "__vdso_clock_gettim") == NULL);
    CHECK(linux_vdso_lookup(vdso, "") == NULL);
}

TEST(no_vdso)
{
    CHECK(linux_vdso_lookup(NULL, "__vdso_clock_gettime") == NULL);
}

/* A 64-bit ELF header followed by its program headers and a dynamic
 * section that has no hash, string or symbol table. */
static struct fake_image {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[2];
    Elf64_Dyn dyn[1];
} image;

static void build_image(void)
{
    memset(&image, 0, sizeof image);
    memcpy(image.eh.e_ident, ELFMAG, SELFMAG);
    image.eh.e_ident[EI_CLASS] = ELFCLASS64;
    image.eh.e_phoff = offsetof(struct fake_image, ph);
    image.eh.e_phentsize = sizeof(Elf64_Phdr);
    image.eh.e_phnum = 2;
    image.ph[0].p_type = PT_LOAD;
    image.ph[1].p_type = PT_DYNAMIC;
    image.ph[1].p_offset = offsetof(struct fake_image, dyn);
    image.ph[1].p_vaddr = image.ph[1].p_offset;
    image.dyn[0].d_tag = DT_NULL;
}

TEST(malformed_images_are_refused)
{
    build_image();
    CHECK(linux_vdso_lookup(&image, "f") == NULL); /* no tables */
    build_image();
    image.eh.e_ident[1] = 'X';
    CHECK(linux_vdso_lookup(&image, "f") == NULL);
    build_image();
    image.eh.e_ident[EI_CLASS] = ELFCLASS32;
    CHECK(linux_vdso_lookup(&image, "f") == NULL);
    build_image();
    image.eh.e_phentsize = 40;
    CHECK(linux_vdso_lookup(&image, "f") == NULL);
    build_image();
    image.ph[1].p_type = PT_NOTE; /* no dynamic section */
    CHECK(linux_vdso_lookup(&image, "f") == NULL);
    build_image();
    image.ph[0].p_type = PT_NOTE; /* nothing loaded */
    CHECK(linux_vdso_lookup(&image, "f") == NULL);
}

int main(void)
{
    return test_main();
}
