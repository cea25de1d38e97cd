/* Unit tests of the tenders' shared code (tender/common): options, the
 * ELF checks and loader, notes, manifest validation and block files,
 * under ASan and UBSan. The tenders' end-to-end messages are checked by
 * the shell tests in test/tender. */
#include <elf.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../tender/common/tender.h"
#include "test.h"

static char err[TENDER_ERR_SIZE];

static enum tender_opts_result parse(struct tender_opts *o, int argc,
                                     char **argv)
{
    err[0] = '\0';
    return tender_opts_parse(argc, argv, o, err);
}

#define ARGV(...) ((char *[]){"tender", __VA_ARGS__, NULL})
#define ARGC(...)                                                              \
    ((int)(sizeof((char *[]){"tender", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(o, ...) parse(o, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static struct tender_opts o;

TEST(options_defaults_and_arguments)
{
    CHECK_INT(PARSE(&o, "img", "a", "b c"), TENDER_OPTS_RUN);
    CHECK_STR(o.image, "img");
    CHECK_STR(o.cmdline, "a b c");
    CHECK(o.mem_size == TENDER_MEM_DEFAULT);
    CHECK_INT(o.ndev, 0);
    CHECK_INT(PARSE(&o, "--mem=64", "--", "--img"), TENDER_OPTS_RUN);
    CHECK_STR(o.image, "--img");
    CHECK_STR(o.cmdline, "");
    CHECK(o.mem_size == (uint64_t)64 << 20);
    /* Options after the image are the guest's. */
    CHECK_INT(PARSE(&o, "img", "--mem=1"), TENDER_OPTS_RUN);
    CHECK_STR(o.cmdline, "--mem=1");
    CHECK_INT(PARSE(&o, "--help", "img"), TENDER_OPTS_HELP);
    CHECK_INT(PARSE(&o, "--version"), TENDER_OPTS_VERSION);
}

TEST(options_devices)
{
    CHECK_INT(PARSE(&o, "--net:service=tap0",
                    "--net-mac:service=0a:Bb:0C:dd:ee:ff", "--block:storage=/x",
                    "--block-sector-size:storage=4096", "img"),
              TENDER_OPTS_RUN);
    CHECK_INT(o.ndev, 2);
    CHECK_STR(o.dev[0].name, "service");
    CHECK_INT(o.dev[0].kind, TENDER_DEV_NET);
    CHECK_STR(o.dev[0].backend, "tap0");
    CHECK(o.dev[0].has_mac && o.dev[0].mac[0] == 0x0a &&
          o.dev[0].mac[1] == 0xbb && o.dev[0].mac[5] == 0xff);
    CHECK_STR(o.dev[1].name, "storage");
    CHECK_INT(o.dev[1].kind, TENDER_DEV_BLOCK);
    CHECK_INT(o.dev[1].sector_size, 4096);
}

TEST(options_errors)
{
    static const struct {
        const char *arg, *msg;
    } bad[] = {
        {"--mem=0", "--mem: expected a size in MiB from 1 to 1048576"},
        {"--mem=1048577", "--mem: expected a size in MiB from 1 to 1048576"},
        {"--mem=", "--mem: expected a size in MiB from 1 to 1048576"},
        {"--mem=-1", "--mem: expected a size in MiB from 1 to 1048576"},
        {"--bogus", "unknown option --bogus (try --help)"},
        {"--net", "unknown option --net (try --help)"},
        {"--netx:a=b", "unknown option --netx:a=b (try --help)"},
        {"--net:a", "--net: expected --net:NAME=VALUE with NAME of 1 to 67 "
                    "letters and digits"},
        {"--net:a_b=x", "--net: expected --net:NAME=VALUE with NAME of 1 to "
                        "67 letters and digits"},
        {"--net:a=", "--net:a: empty value"},
        {"--net-mac:a=00:11:22:33:44:5", "--net-mac:a: expected one MAC "
                                         "address xx:xx:xx:xx:xx:xx"},
        {"--net-mac:a=00:11:22:33:44:55:", "--net-mac:a: expected one MAC "
                                           "address xx:xx:xx:xx:xx:xx"},
        {"--net-mac:a=0g:11:22:33:44:55", "--net-mac:a: expected one MAC "
                                          "address xx:xx:xx:xx:xx:xx"},
        {"--block-sector-size:a=256", "--block-sector-size:a: expected one "
                                      "power of two from 512 to 32768"},
        {"--block-sector-size:a=1536", "--block-sector-size:a: expected one "
                                       "power of two from 512 to 32768"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *argv[] = {"tender", (char *)bad[i].arg, "img", NULL};
        CHECK_INT(parse(&o, 3, argv), TENDER_OPTS_ERROR);
        CHECK_STR(err, bad[i].msg);
    }
    CHECK_INT(PARSE(&o, "--mem=8"), TENDER_OPTS_ERROR);
    CHECK_STR(err, "no image given (try --help)");
    CHECK_INT(PARSE(&o, "--block:a=x", "--net:a=y", "img"), TENDER_OPTS_ERROR);
    CHECK_STR(err, "--net:a: device 'a' given twice");
    CHECK_INT(PARSE(&o, "--net-mac:a=00:11:22:33:44:55",
                    "--net-mac:a=00:11:22:33:44:55", "img"),
              TENDER_OPTS_ERROR);
    CHECK_INT(PARSE(&o, "--block-sector-size:a=512",
                    "--block-sector-size:a=512", "img"),
              TENDER_OPTS_ERROR);
}

TEST(options_name_and_device_limits)
{
    char name[80], arg[100];
    memset(name, 'n', 67);
    name[67] = '\0';
    snprintf(arg, sizeof arg, "--block:%s=x", name);
    CHECK_INT(PARSE(&o, arg, "img"), TENDER_OPTS_RUN);
    CHECK_STR(o.dev[0].name, name);
    snprintf(arg, sizeof arg, "--block:%sn=x", name);
    CHECK_INT(PARSE(&o, arg, "img"), TENDER_OPTS_ERROR);
    /* 64 names at most. */
    static char args[66][24];
    char *argv[67];
    argv[0] = "tender";
    for (int i = 0; i < 65; i++) {
        snprintf(args[i], sizeof args[i], "--block:d%d=x", i);
        argv[i + 1] = args[i];
    }
    argv[66] = "img";
    CHECK_INT(parse(&o, 65, argv), TENDER_OPTS_ERROR); /* no image */
    argv[65] = "img";
    CHECK_INT(parse(&o, 66, argv), TENDER_OPTS_RUN);
    CHECK_INT(o.ndev, 64);
    argv[65] = args[64];
    CHECK_INT(parse(&o, 67, argv), TENDER_OPTS_ERROR);
    CHECK_STR(err, "--block: too many devices");
}

TEST(options_command_line_limit)
{
    static char big[SOLO5_CMDLINE_SIZE + 1];
    memset(big, 'x', SOLO5_CMDLINE_SIZE - 1);
    big[SOLO5_CMDLINE_SIZE - 1] = '\0'; /* 8191 bytes + NUL: fits */
    CHECK_INT(PARSE(&o, "img", big), TENDER_OPTS_RUN);
    CHECK_INT(strlen(o.cmdline), SOLO5_CMDLINE_SIZE - 1);
    big[SOLO5_CMDLINE_SIZE - 1] = 'x';
    CHECK_INT(PARSE(&o, "img", big), TENDER_OPTS_ERROR);
    CHECK_STR(err, "command line too long (at most 8191 bytes)");
    big[SOLO5_CMDLINE_SIZE - 2] = '\0'; /* 8190 + " " + "y" = 8192 */
    CHECK_INT(PARSE(&o, "img", big, "y"), TENDER_OPTS_ERROR);
}

/* ---- ELF ---- */

/* A small image: ELF header, phdrs (text R+X, data R+W, a note), the
 * notes, text at file offset 0x1000, data at 0x2000. */
#define IMG_SIZE 0x3000
static uint8_t img[IMG_SIZE];

static Elf64_Phdr *phdr(int i)
{
    return (Elf64_Phdr *)(img + sizeof(Elf64_Ehdr)) + i;
}

/* Append a note (name "Solo5", type, descriptor of n bytes of value v,
 * content aligned at `align`) at *at; returns its size. */
static size_t put_note(size_t at, uint32_t type, size_t align, size_t n,
                       uint8_t v)
{
    uint32_t h[3] = {6, 0, type};
    size_t pad = ((20 + align - 1) & ~(align - 1)) - 20;
    h[1] = (uint32_t)(pad + n);
    memcpy(img + at, h, sizeof h);
    memcpy(img + at + 12, "Solo5\0\0", 8);
    memset(img + at + 20, 0, pad);
    memset(img + at + 20 + pad, v, n);
    return (20 + pad + n + 3) & ~(size_t)3;
}

static void make_image(void)
{
    memset(img, 0, sizeof img);
    Elf64_Ehdr *h = (Elf64_Ehdr *)img;
    memcpy(h->e_ident, ELFMAG, SELFMAG);
    h->e_ident[EI_CLASS] = ELFCLASS64;
    h->e_ident[EI_DATA] = ELFDATA2LSB;
    h->e_ident[EI_VERSION] = EV_CURRENT;
    h->e_type = ET_EXEC;
    h->e_machine = EM_X86_64;
    h->e_version = EV_CURRENT;
    h->e_entry = 0x100010;
    h->e_phoff = sizeof *h;
    h->e_ehsize = sizeof *h;
    h->e_phentsize = sizeof(Elf64_Phdr);
    h->e_phnum = 3;
    *phdr(0) = (Elf64_Phdr){.p_type = PT_LOAD,
                            .p_flags = PF_R | PF_X,
                            .p_offset = 0x1000,
                            .p_vaddr = 0x100000,
                            .p_filesz = 0x100,
                            .p_memsz = 0x100,
                            .p_align = 0x1000};
    *phdr(1) = (Elf64_Phdr){.p_type = PT_LOAD,
                            .p_flags = PF_R | PF_W,
                            .p_offset = 0x2000,
                            .p_vaddr = 0x101000,
                            .p_filesz = 0x10,
                            .p_memsz = 0x2000,
                            .p_align = 0x1000};
    size_t at = 0x200, n = put_note(at, SOLO5_NOTE_ABI, 4, 16, 0);
    struct solo5_abi_info abi = {SOLO5_ABI_TARGET_SPT, SOLO5_ABI_VERSION, 0, 0};
    memcpy(img + at + 20, &abi, sizeof abi);
    *phdr(2) = (Elf64_Phdr){
        .p_type = PT_NOTE, .p_offset = at, .p_filesz = n, .p_align = 4};
    memset(img + 0x1000, 0xc3, 0x100);
    memset(img + 0x2000, 0x5a, 0x10);
}

static struct tender_elf elf;

TEST(elf_parse_and_load)
{
    make_image();
    CHECK_INT(tender_elf_parse(img, IMG_SIZE, 1 << 21, &elf, err), 0);
    CHECK(elf.entry == 0x100010);
    CHECK(elf.kernel_end == 0x103000);
    CHECK_INT(elf.nload, 2);
    CHECK_INT(elf.nnote, 1);
    CHECK(elf.load[1].start == 0x101000 && elf.load[1].end == 0x103000);
    CHECK_INT(elf.load[0].flags, TENDER_SEG_R | TENDER_SEG_X);
    CHECK_INT(tender_abi_check(&elf, img, SOLO5_ABI_TARGET_SPT, err), 0);
    CHECK_INT(tender_abi_check(&elf, img, SOLO5_ABI_TARGET_HVT, err), -1);
    CHECK_STR(err, "image is built for Solo5 ABI target 2, not 1");

    size_t mem_size = 0x104000, base = 0x100000;
    uint8_t *mem = malloc(mem_size - base);
    memset(mem, 0xff, mem_size - base);
    tender_elf_load(&elf, img, mem, base);
    CHECK(mem[0] == 0xc3 && mem[0xff] == 0xc3 && mem[0x100] == 0xff);
    CHECK(mem[0x1000] == 0x5a && mem[0x100f] == 0x5a);
    CHECK(mem[0x1010] == 0 && mem[0x2fff] == 0 && mem[0x3000] == 0xff);
    free(mem);
}

TEST(elf_rejects)
{
    make_image();
    CHECK_INT(tender_elf_parse(img, 10, 1 << 21, &elf, err), -1);
    CHECK_STR(err, "invalid image: truncated ELF header");
    CHECK_INT(tender_elf_parse(img, 0x1000, 1 << 21, &elf, err), -1);
    CHECK_STR(err, "invalid image: segment 0: data outside the file");
    CHECK_INT(tender_elf_parse(img, IMG_SIZE, 0x102000, &elf, err), -1);
    CHECK_STR(err, "invalid image: segment 1 does not fit in 1 MiB of memory");
    phdr(1)->p_type = PT_NULL;
    phdr(0)->p_flags = PF_R;
    CHECK_INT(tender_elf_parse(img, IMG_SIZE, 1 << 21, &elf, err), -1);
    CHECK_STR(err, "invalid image: entry point 0x100010 is not in an "
                   "executable segment");
    phdr(0)->p_type = PT_NULL;
    CHECK_INT(tender_elf_parse(img, IMG_SIZE, 1 << 21, &elf, err), -1);
    CHECK_STR(err, "invalid image: no loadable segment");
    make_image();
    phdr(2)->p_filesz = IMG_SIZE;
    CHECK_INT(tender_elf_parse(img, IMG_SIZE, 1 << 21, &elf, err), -1);
    CHECK_STR(err, "invalid image: note segment 2 outside the file");
    make_image();
    phdr(1)->p_align = 0;
    CHECK_INT(tender_elf_parse(img, IMG_SIZE, 1 << 21, &elf, err), -1);
    CHECK_STR(err, "invalid image: segment 1: alignment 0 is not a power of "
                   "two");
    /* A small p_align still protects whole pages: the second segment
     * may not start inside the first one's last page. */
    make_image();
    phdr(0)->p_align = 16;
    phdr(1)->p_vaddr = 0x100100;
    CHECK_INT(tender_elf_parse(img, IMG_SIZE, 1 << 21, &elf, err), -1);
    CHECK_STR(err, "invalid image: segment 1 overlaps or precedes the "
                   "previous one");
}

TEST(notes_find_and_reject)
{
    make_image();
    CHECK_INT(tender_elf_parse(img, IMG_SIZE, 1 << 21, &elf, err), 0);
    const uint8_t *desc;
    size_t size;
    CHECK_INT(
        tender_note_find(&elf, img, SOLO5_NOTE_MANIFEST, 8, &desc, &size, err),
        0);
    /* A second note in the same segment: MFT1 with content aligned to 8. */
    size_t n = put_note(0x200 + 36, SOLO5_NOTE_MANIFEST, 8, 8, 0x77);
    phdr(2)->p_filesz = 36 + n;
    CHECK_INT(tender_elf_parse(img, IMG_SIZE, 1 << 21, &elf, err), 0);
    CHECK_INT(
        tender_note_find(&elf, img, SOLO5_NOTE_MANIFEST, 8, &desc, &size, err),
        1);
    CHECK_INT(size, 8);
    CHECK(desc == img + 0x200 + 36 + 24 && desc[0] == 0x77);
    /* The same note type twice. */
    phdr(2)->p_filesz = 36 + put_note(0x200 + 36, SOLO5_NOTE_ABI, 4, 16, 0);
    CHECK_INT(tender_elf_parse(img, IMG_SIZE, 1 << 21, &elf, err), 0);
    CHECK_INT(tender_abi_check(&elf, img, SOLO5_ABI_TARGET_SPT, err), -1);
    CHECK_STR(err, "invalid image: duplicate Solo5 note 0x31494241");
    /* A descriptor shorter than the alignment padding. */
    phdr(2)->p_filesz = 36 + put_note(0x200 + 36, SOLO5_NOTE_MANIFEST, 4, 2, 0);
    CHECK_INT(tender_elf_parse(img, IMG_SIZE, 1 << 21, &elf, err), 0);
    CHECK_INT(
        tender_note_find(&elf, img, SOLO5_NOTE_MANIFEST, 8, &desc, &size, err),
        -1);
    CHECK_STR(err, "invalid image: Solo5 note 0x3154464d too short");
    make_image();
    CHECK_INT(tender_elf_parse(img, IMG_SIZE, 1 << 21, &elf, err), 0);
    CHECK_INT(tender_mft_load(&elf, img, NULL, NULL, err), -1);
    CHECK_STR(err, "invalid image: no Solo5 MFT1 manifest note");
    uint32_t version = 3;
    memcpy(img + 0x200 + 24, &version, 4);
    CHECK_INT(tender_abi_check(&elf, img, SOLO5_ABI_TARGET_SPT, err), -1);
    CHECK_STR(err, "image is built for Solo5 ABI version 3, not 2");
}

/* MirageC's EXT1 note after the ABI1 note: record and features, and a
 * descriptor of descsz bytes. */
static void put_ext(uint64_t record, uint32_t features, uint32_t descsz)
{
    uint32_t h[3] = {8, descsz, MIRAGE_NOTE_EXT};
    memcpy(img + 0x200 + 36, h, sizeof h);
    memcpy(img + 0x200 + 36 + 12, "MirageC", 8);
    memcpy(img + 0x200 + 36 + 20, &record, 8);
    memcpy(img + 0x200 + 36 + 28, &features, 4);
    phdr(2)->p_filesz = 36 + 20 + ((descsz + 3) & ~3u);
}

/* tender_ext_load on the image, or -2 if the image itself is refused. */
static int ext_load(struct tender_ext *ext)
{
    if (tender_elf_parse(img, IMG_SIZE, 1 << 21, &elf, err) != 0)
        return -2;
    err[0] = '\0';
    return tender_ext_load(&elf, img, ext, err);
}

TEST(ext_note_load_and_grant)
{
    struct tender_ext ext = {1, 1};
    make_image();
    CHECK_INT(ext_load(&ext), 0); /* a Solo5 image: no note */
    CHECK(ext.record == 0 && ext.wanted == 0);
    struct mirage_ext rec = {.granted = 77};
    CHECK_INT(tender_ext_grant(&ext, &rec, MIRAGE_EXT_FAULTS, 0, NULL), 0);
    CHECK_INT(rec.granted, 77); /* nothing written */
    /* In the writable segment [0x101000, 0x103000). */
    put_ext(0x101008, MIRAGE_EXT_FAULTS | MIRAGE_EXT_SPT_GUARD, 16);
    CHECK_INT(ext_load(&ext), 1);
    CHECK(ext.record == 0x101008 && ext.wanted == 3);
    rec = (struct mirage_ext){.granted = 77, .fault_hook = 5, .net_vec = 9};
    CHECK_INT(tender_ext_grant(&ext, &rec, MIRAGE_EXT_FAULTS, 6, NULL), 1);
    /* An image that did not ask for NET_VEC has the short record: the
     * bytes after it are not the tender's. */
    CHECK(rec.granted == 1 && rec.fault_hook == 0 && rec.net_vec == 9);
    put_ext(0x102ff0, 1, 16); /* the last 16 bytes: fits */
    CHECK_INT(ext_load(&ext), 1);
    /* Asking for NET_VEC makes the record 24 bytes: no longer fits there. */
    put_ext(0x102ff0, MIRAGE_EXT_NET_VEC, 16);
    CHECK_INT(ext_load(&ext), -1);
    put_ext(0x102fe8, MIRAGE_EXT_FAULTS | MIRAGE_EXT_NET_VEC, 16);
    CHECK_INT(ext_load(&ext), 1);
    rec = (struct mirage_ext){.net_vec = 9};
    CHECK_INT(tender_ext_grant(&ext, &rec, MIRAGE_EXT_NET_VEC, 6, NULL),
              MIRAGE_EXT_NET_VEC);
    CHECK(rec.granted == MIRAGE_EXT_NET_VEC && rec.net_vec == 6);
    rec = (struct mirage_ext){.net_vec = 9}; /* not offered: net_vec 0 */
    CHECK_INT(tender_ext_grant(&ext, &rec, MIRAGE_EXT_FAULTS, 6, NULL),
              MIRAGE_EXT_FAULTS);
    CHECK(rec.net_vec == 0);
    /* NET_VHDR: the longest record, each device's offloads copied. */
    uint8_t offloads[SOLO5_MFT_MAX_ENTRIES] = {[1] = 7, [3] = 1};
    put_ext(0x102fa8, MIRAGE_EXT_NET_VHDR, 16);
    CHECK_INT(ext_load(&ext), 1);
    put_ext(0x102fb0, MIRAGE_EXT_NET_VHDR, 16); /* 80 bytes do not fit */
    CHECK_INT(ext_load(&ext), -1);
    put_ext(0x101008, MIRAGE_EXT_NET_VHDR | MIRAGE_EXT_FAULTS, 16);
    CHECK_INT(ext_load(&ext), 1);
    rec = (struct mirage_ext){.net_vec = 9};
    CHECK_INT(tender_ext_grant(&ext, &rec, MIRAGE_EXT_NET_VHDR, 6, offloads),
              MIRAGE_EXT_NET_VHDR);
    CHECK(rec.net_vec == 0 && rec.net_vhdr[1] == 7 && rec.net_vhdr[2] == 0 &&
          rec.net_vhdr[3] == 1);
    rec = (struct mirage_ext){.net_vhdr = {5}}; /* not offered: zeroed */
    CHECK_INT(tender_ext_grant(&ext, &rec, MIRAGE_EXT_FAULTS, 6, offloads),
              MIRAGE_EXT_FAULTS);
    CHECK(rec.net_vhdr[0] == 0 && rec.net_vhdr[1] == 0);
    static const uint64_t bad[] = {0x100008, 0x101004, 0x102ff8, 0x103000,
                                   UINT64_MAX - 7};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put_ext(bad[i], 1, 16);
        CHECK_INT(ext_load(&ext), -1);
        char want[128];
        snprintf(want, sizeof want,
                 "invalid image: MirageC extension record at 0x%llx is "
                 "not in writable data",
                 (unsigned long long)bad[i]);
        CHECK_STR(err, want);
    }
    put_ext(0x101008, 1, 12);
    CHECK_INT(ext_load(&ext), -1);
    CHECK_STR(err, "invalid image: EXT1 note of 12 bytes");
}

static char path[64];

/* A temporary file (replacing the previous one) of len bytes from data,
 * then extended to size bytes if size is not 0. */
static int temp_file_with(const void *data, size_t len, off_t size)
{
    if (path[0])
        unlink(path);
    strcpy(path, "/tmp/tender-test.XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    if ((len && write(fd, data, len) != (ssize_t)len) ||
        (size && ftruncate(fd, size) != 0)) {
        close(fd);
        return -1;
    }
    return close(fd);
}

TEST(image_read_what_is_needed)
{
    struct tender_image im;
    make_image();
    /* Debug sections and the like after the last segment are not read. */
    CHECK_INT(temp_file_with(img, IMG_SIZE, IMG_SIZE + 100000), 0);
    CHECK_INT(tender_image_read(path, &im, err), 0);
    CHECK_INT(im.size, 0x2010); /* the end of the data segment's bytes */
    CHECK(memcmp(im.data, img, im.size) == 0);
    tender_image_free(&im);
    /* A segment past the end of the file: all of it, for the checks. */
    phdr(1)->p_filesz = IMG_SIZE;
    CHECK_INT(temp_file_with(img, IMG_SIZE, 0), 0);
    CHECK_INT(tender_image_read(path, &im, err), 0);
    CHECK_INT(im.size, IMG_SIZE);
    tender_image_free(&im);
    /* Not an ELF file: all of it. */
    CHECK_INT(temp_file_with("hello", 5, 0), 0);
    CHECK_INT(tender_image_read(path, &im, err), 0);
    CHECK_INT(im.size, 5);
    tender_image_free(&im);
    CHECK_INT(temp_file_with(NULL, 0, 0), 0);
    CHECK_INT(tender_image_read(path, &im, err), -1);
    CHECK(strstr(err, ": invalid image: file size 0") != NULL);
    unlink(path);
    CHECK_INT(tender_image_read(path, &im, err), -1);
    CHECK(strstr(err, ": No such file or directory") != NULL);
    CHECK_INT(tender_image_read("/tmp", &im, err), -1);
    CHECK_STR(err, "/tmp: not a regular file");
}

/* ---- Manifest ---- */

/* tender_devices_attach's offloads by handle (no tap here: all 0). */
static uint8_t vhdr[SOLO5_MFT_MAX_ENTRIES];

static struct {
    struct solo5_mft h;
    struct solo5_mft_entry e[SOLO5_MFT_MAX_ENTRIES + 1];
} m;

static size_t make_mft(unsigned devices)
{
    memset(&m, 0, sizeof m);
    m.h.version = SOLO5_MFT_VERSION;
    m.h.entries = devices + 1;
    m.e[0].type = SOLO5_MFT_RESERVED_FIRST;
    for (unsigned i = 1; i <= devices; i++) {
        snprintf(m.e[i].name, sizeof m.e[i].name, "dev%u", i);
        m.e[i].type =
            i % 2 ? SOLO5_MFT_DEV_NET_BASIC : SOLO5_MFT_DEV_BLOCK_BASIC;
    }
    return sizeof m.h + (devices + 1) * sizeof m.e[0];
}

TEST(manifest_validate)
{
    CHECK_INT(tender_mft_validate(&m, make_mft(0), err), 0);
    CHECK_INT(tender_mft_validate(&m, make_mft(63), err), 0);
    CHECK_INT(tender_mft_validate(&m, 7, err), -1);
    CHECK_STR(err, "invalid manifest: 7 bytes");
    size_t n = make_mft(2);
    CHECK_INT(tender_mft_validate(&m, n - 1, err), -1);
    CHECK_STR(err, "invalid manifest: 319 bytes for 3 entries");
    m.h.entries = 65;
    CHECK_INT(tender_mft_validate(&m, n, err), -1);
    CHECK_STR(err, "invalid manifest: 65 entries (1 to 64 allowed)");
    make_mft(2);
    m.h.version = 0;
    CHECK_INT(tender_mft_validate(&m, n, err), -1);
    CHECK_STR(err, "invalid manifest: version 0, not 1");
    make_mft(2);
    m.e[0].name[0] = 'x';
    CHECK_INT(tender_mft_validate(&m, n, err), -1);
    CHECK_STR(err, "invalid manifest: entry 0 is not the reserved entry");
    make_mft(2);
    memset(m.e[2].name, 'a', sizeof m.e[2].name);
    CHECK_INT(tender_mft_validate(&m, n, err), -1);
    CHECK_STR(err, "invalid manifest: entry 2: bad device name");
    make_mft(2);
    m.e[1].name[1] = ' ';
    CHECK_INT(tender_mft_validate(&m, n, err), -1);
    CHECK_STR(err, "invalid manifest: entry 1: bad device name");
    make_mft(2);
    m.e[2].type = SOLO5_MFT_RESERVED_FIRST;
    CHECK_INT(tender_mft_validate(&m, n, err), -1);
    CHECK_STR(err, "invalid manifest: entry 2 (dev2): unknown device type "
                   "0x40000000");
    make_mft(2);
    memcpy(m.e[2].name, "dev1", 5);
    CHECK_INT(tender_mft_validate(&m, n, err), -1);
    CHECK_STR(err, "invalid manifest: device name 'dev1' declared twice");
    make_mft(2);
    memset(&m.e[1].attached, 2, 1);
    CHECK_INT(tender_mft_validate(&m, n, err), -1);
    CHECK_STR(err, "invalid manifest: entry 1 (dev1) is marked attached");
    /* Any alignment of the input. */
    static uint8_t raw[sizeof m + 1];
    n = make_mft(3);
    memcpy(raw + 1, &m, n);
    CHECK_INT(tender_mft_validate(raw + 1, n, err), 0);
}

/* ---- Block files and attaching ---- */

static int temp_file(off_t size)
{
    return temp_file_with(NULL, 0, size);
}

TEST(block_open)
{
    int fd;
    uint64_t cap;
    CHECK_INT(temp_file(8192), 0);
    CHECK_INT(tender_block_open(path, 0, &fd, &cap, err), 0);
    CHECK(cap == 8192);
    close(fd);
    CHECK_INT(tender_block_open(path, 8192, &fd, &cap, err), 0);
    close(fd);
    CHECK_INT(tender_block_open(path, 16384, &fd, &cap, err), -1);
    CHECK_INT(tender_block_open(path, 768, &fd, &cap, err), -1);
    CHECK_INT(tender_block_open(path, 65536, &fd, &cap, err), -1);
    CHECK(strstr(err, "bad sector size 65536") != NULL);
    CHECK_INT(truncate(path, 0), 0);
    CHECK_INT(tender_block_open(path, 0, &fd, &cap, err), -1);
    CHECK(strstr(err, "size 0 is not a positive multiple") != NULL);
    unlink(path);
    CHECK_INT(tender_block_open(path, 0, &fd, &cap, err), -1);
    CHECK(strstr(err, "No such file or directory") != NULL);
    CHECK_INT(tender_block_open("/dev/null", 0, &fd, &cap, err), -1);
    CHECK_STR(err, "block /dev/null: not a regular file or block device");
}

TEST(attach_block_and_errors)
{
    CHECK_INT(temp_file(4096), 0);
    size_t n = make_mft(2); /* dev1: net, dev2: block */
    (void)n;
    char arg[96];
    snprintf(arg, sizeof arg, "--block:dev2=%s", path);
    CHECK_INT(PARSE(&o, arg, "--block-sector-size:dev2=1024", "img"),
              TENDER_OPTS_RUN);
    CHECK_INT(tender_devices_attach(&m.h, &o, false, vhdr, err), -1);
    CHECK_STR(err, "network device 'dev1' is not attached (use "
                   "--net:dev1=...)");
    /* dev2 comes after dev1: nothing opened yet. */
    CHECK(!m.e[2].attached);
    CHECK_INT(PARSE(&o, "--net-mac:dev1=02:00:00:00:00:01", arg, "img"),
              TENDER_OPTS_RUN);
    CHECK_INT(tender_devices_attach(&m.h, &o, false, vhdr, err), -1);
    CHECK_STR(err, "network device 'dev1' is not attached (use "
                   "--net:dev1=...)");
    make_mft(2);
    m.e[1].type = SOLO5_MFT_DEV_BLOCK_BASIC;
    char arg1[96];
    snprintf(arg1, sizeof arg1, "--block:dev1=%s", path);
    CHECK_INT(PARSE(&o, arg1, arg, "--block-sector-size:dev2=1024", "img"),
              TENDER_OPTS_RUN);
    CHECK_INT(tender_devices_attach(&m.h, &o, false, vhdr, err), 0);
    CHECK(m.e[1].attached && m.e[2].attached);
    CHECK(m.e[1].u.block_basic.capacity == 4096);
    CHECK_INT(m.e[1].u.block_basic.block_size, 512);
    CHECK_INT(m.e[2].u.block_basic.block_size, 1024);
    close(m.e[1].b.hostfd);
    close(m.e[2].b.hostfd);
    CHECK(tender_mft_find(&m.h, "dev2") == &m.e[2]);
    CHECK(tender_mft_find(&m.h, "") == NULL);
    unlink(path);
}

TEST(attach_net_by_descriptor)
{
    int p[2];
    CHECK_INT(pipe(p), 0);
    CHECK_INT(temp_file(4096), 0);
    make_mft(2); /* dev1: net, dev2: block */
    char net[32], block[96];
    snprintf(net, sizeof net, "--net:dev1=@%d", p[0]);
    snprintf(block, sizeof block, "--block:dev2=%s", path);
    CHECK_INT(PARSE(&o, net, block, "img"), TENDER_OPTS_RUN);
    CHECK_INT(tender_devices_attach(&m.h, &o, false, vhdr, err), 0);
    CHECK_INT(m.e[1].b.hostfd, p[0]);
    CHECK_INT(m.e[1].u.net_basic.mtu, 1500);
    /* A random MAC: locally administered, unicast. */
    CHECK_INT(m.e[1].u.net_basic.mac[0] & 3, 2);
    close(m.e[2].b.hostfd);
    /* With --net-mac, that MAC. */
    make_mft(2);
    CHECK_INT(PARSE(&o, net, block, "--net-mac:dev1=02:00:00:00:00:09", "img"),
              TENDER_OPTS_RUN);
    CHECK_INT(tender_devices_attach(&m.h, &o, false, vhdr, err), 0);
    CHECK(m.e[1].u.net_basic.mac[5] == 9);
    close(m.e[2].b.hostfd);
    close(p[0]);
    close(p[1]);
    unlink(path);
}

/* A frame of len bytes with this header: Ethernet, IPv4, TCP. */
static uint8_t vframe[MIRAGE_NET_VHDR_SIZE + MIRAGE_NET_GSO_MAX + 1];
static const uint8_t *with_vhdr(struct mirage_net_vhdr h)
{
    memcpy(vframe, &h, sizeof h);
    return vframe;
}

TEST(vhdr_frames)
{
    const uint32_t all = MIRAGE_NET_OFFLOAD_CSUM | MIRAGE_NET_OFFLOAD_TSO4 |
                         MIRAGE_NET_OFFLOAD_TSO6;
    const uint32_t csum = MIRAGE_NET_OFFLOAD_CSUM;
    CHECK_INT(mirage_net_frame_max(1500, 0), 1514);
    CHECK_INT(mirage_net_frame_max(1500, csum), 1526);
    CHECK_INT(mirage_net_frame_max(1500, all), 12 + 65550);
    CHECK_INT(mirage_net_frame_max(9000, MIRAGE_NET_OFFLOAD_CSUM |
                                             MIRAGE_NET_OFFLOAD_TSO6),
              12 + 65550);
    const struct mirage_net_vhdr plain = {0};
    const struct mirage_net_vhdr partial = {
        .flags = 1, .csum_start = 34, .csum_offset = 16};
    const struct mirage_net_vhdr gso4 = {.flags = 1,
                                         .gso_type = MIRAGE_NET_GSO_TCPV4,
                                         .hdr_len = 54,
                                         .gso_size = 1448,
                                         .csum_start = 34,
                                         .csum_offset = 16};
    /* Good: a plain frame, a partial checksum, a 64 KiB TSO frame. */
    CHECK_INT(tender_vhdr_check(with_vhdr(plain), 12 + 60, 1500, csum, err), 0);
    CHECK_INT(tender_vhdr_check(with_vhdr(plain), 12 + 1514, 1500, csum, err),
              0);
    CHECK_INT(tender_vhdr_check(with_vhdr(partial), 12 + 54, 1500, csum, err),
              0);
    CHECK_INT(tender_vhdr_check(with_vhdr(gso4), 12 + MIRAGE_NET_GSO_MAX, 1500,
                                all, err),
              0);
    /* Lengths. */
    CHECK_INT(tender_vhdr_check(with_vhdr(plain), 12 + 13, 1500, csum, err),
              -1);
    CHECK_STR(err, "frame of 25 bytes with its header");
    CHECK_INT(tender_vhdr_check(with_vhdr(plain), 12 + 1515, 1500, all, err),
              -1);
    CHECK_STR(err, "frame of 1515 bytes over the MTU");
    CHECK_INT(tender_vhdr_check(with_vhdr(gso4), 12 + MIRAGE_NET_GSO_MAX + 1,
                                1500, all, err),
              -1);
    CHECK_STR(err, "GSO frame of 65551 bytes");
    CHECK_INT(tender_vhdr_check(with_vhdr(partial), 12 + 51, 1500, csum, err),
              -1);
    CHECK_STR(err, "checksum at 34 + 16 past the frame's 51 bytes");
    /* Header values. */
    struct mirage_net_vhdr h = plain;
    h.flags = MIRAGE_NET_VHDR_DATA_VALID;
    CHECK_INT(tender_vhdr_check(with_vhdr(h), 12 + 60, 1500, all, err), -1);
    CHECK_STR(err, "bad flags 0x2");
    CHECK_INT(tender_vhdr_check(with_vhdr(partial), 12 + 60, 1500,
                                MIRAGE_NET_OFFLOAD_TSO4, err),
              -1);
    CHECK_STR(err, "NEEDS_CSUM without the CSUM offload");
    CHECK_INT(tender_vhdr_check(with_vhdr(gso4), 12 + 3000, 1500,
                                csum | MIRAGE_NET_OFFLOAD_TSO6, err),
              -1);
    CHECK_STR(err, "gso_type 1 not granted");
    h = gso4;
    h.gso_type = 3; /* UDP fragmentation offload */
    CHECK_INT(tender_vhdr_check(with_vhdr(h), 12 + 3000, 1500, all, err), -1);
    CHECK_STR(err, "gso_type 3 not granted");
    h.gso_type = MIRAGE_NET_GSO_TCPV4 | 0x80; /* ECN */
    CHECK_INT(tender_vhdr_check(with_vhdr(h), 12 + 3000, 1500, all, err), -1);
    CHECK_STR(err, "gso_type 129 not granted");
    h = gso4;
    h.flags = 0;
    CHECK_INT(tender_vhdr_check(with_vhdr(h), 12 + 3000, 1500, all, err), -1);
    CHECK_STR(err, "GSO frame without NEEDS_CSUM");
    h = gso4;
    h.gso_size = 0;
    CHECK_INT(tender_vhdr_check(with_vhdr(h), 12 + 3000, 1500, all, err), -1);
    CHECK_STR(err, "GSO frame with gso_size 0, hdr_len 54");
    h = gso4;
    h.hdr_len = 3001;
    CHECK_INT(tender_vhdr_check(with_vhdr(h), 12 + 3000, 1500, all, err), -1);
    CHECK_STR(err, "GSO frame with gso_size 1448, hdr_len 3001");
}

int main(void)
{
    return test_main();
}
