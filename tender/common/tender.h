/* The code both tenders (mirage-hvt, mirage-spt) share: reading and
 * validating a Solo5-style image (ELF, ABI1 and MFT1 notes), the
 * solo5-tender command line, and opening and attaching the host devices
 * (taps, block files) named in the manifest.
 *
 * Conventions:
 * - Functions that can fail take `char *err` pointing to TENDER_ERR_SIZE
 *   bytes. On failure they return -1 and leave in err a one-line message
 *   naming the problem (no program name, no newline); the tender prints it
 *   with tender_die(). On success they return 0 (or what is documented)
 *   and leave err alone.
 * - Nothing here exits the process except tender_die() and, for --help
 *   and --version, tender_opts_get(); nothing here installs signal
 *   handlers or seccomp filters.
 * - Image data is untrusted: every offset and size read from it is checked
 *   with overflow-safe arithmetic before use.
 * - All guest addresses are guest-physical (hvt) or guest-virtual (spt)
 *   addresses; callers say where guest address 0 lives in their address
 *   space. */
#ifndef MIRAGE_TENDER_COMMON_TENDER_H
#define MIRAGE_TENDER_COMMON_TENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <mirage/solo5.h>

#define TENDER_ERR_SIZE 256

/* ---- Diagnostics (error.c) ---- */

/* The program name used in messages ("mirage-spt"); main sets it first. */
extern const char *tender_name;

/* Print "NAME: MESSAGE\n" to stderr and exit with status 1. */
_Noreturn void tender_die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Format a message into err (TENDER_ERR_SIZE bytes, truncated if longer)
 * and return -1, so failing paths read `return tender_errf(err, ...);`. */
int tender_errf(char *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- The image file (image.c) ---- */

/* An image file read into memory once, so that validation and loading
 * see the same bytes however the file changes meanwhile: its first size
 * bytes, up to the end of the program headers and of every PT_LOAD's and
 * PT_NOTE's data (what follows, such as debug sections, is not read), or
 * the whole file when its headers are malformed. */
struct tender_image {
    uint8_t *data; /* owned; malloc'd */
    size_t size;
};

/* Largest image file accepted. */
#define TENDER_IMAGE_MAX ((size_t)1 << 30)

/* Read the regular file at path. Errors: cannot open/read, not a regular
 * file, empty, larger than TENDER_IMAGE_MAX, shrinking while read. */
int tender_image_read(const char *path, struct tender_image *img, char *err);
void tender_image_free(struct tender_image *img);

/* ---- ELF validation and loading (elf.c) ---- */

#define TENDER_PAGE_SIZE 4096u
/* PT_LOAD segments must lie at or above this guest address. */
#define TENDER_LOAD_MIN 0x100000u
/* At most this many program headers. */
#define TENDER_PHDR_MAX 64

/* Segment permissions, as ELF p_flags. */
#define TENDER_SEG_X 1u
#define TENDER_SEG_W 2u
#define TENDER_SEG_R 4u

struct tender_segment {
    uint64_t vaddr;  /* where the first byte goes */
    uint64_t offset; /* file offset of the data */
    uint64_t filesz; /* bytes copied from the file */
    uint64_t memsz;  /* bytes in memory; memsz - filesz are zeroed */
    /* The page-aligned range the segment occupies (aligned to its p_align,
     * itself at least a page): protect [start, end) with `flags`. */
    uint64_t start, end;
    uint32_t flags; /* TENDER_SEG_*; never both W and X */
};

/* A PT_NOTE segment's bytes: [offset, offset + size) within the file. */
struct tender_note_range {
    uint64_t offset, size;
};

struct tender_elf {
    uint64_t entry;      /* inside an executable segment */
    uint64_t kernel_end; /* end of the highest segment, page-aligned */
    unsigned nload;
    struct tender_segment load[TENDER_PHDR_MAX]; /* ascending, disjoint */
    unsigned nnote;
    struct tender_note_range note[TENDER_PHDR_MAX];
};

/* Validate the ELF header and program headers of the image (size bytes at
 * data) for a guest of mem_size bytes and describe it in *elf. Checks: ELF
 * magic, 64-bit, little endian, version, ET_EXEC, x86_64, header sizes,
 * program headers inside the file, at most TENDER_PHDR_MAX of them; each
 * non-empty PT_LOAD: at or above TENDER_LOAD_MIN, filesz <= memsz, data
 * inside the file, p_align a power of two, aligned range page-aligned and
 * inside mem_size, not W and X, ascending and not overlapping the previous
 * one; at least one PT_LOAD; the entry point inside an executable
 * segment; PT_NOTE ranges inside the file. Does not look at the notes. */
int tender_elf_parse(const uint8_t *data, size_t size, uint64_t mem_size,
                     struct tender_elf *elf, char *err);

/* Copy the segments of a parsed image into guest memory and zero their
 * tails (memsz - filesz). `mem` is where guest address `mem_base` lives in
 * the caller's address space; guest memory [mem_base, mem_size) must be
 * mapped writable and every segment lies at or above TENDER_LOAD_MIN >=
 * mem_base. Cannot fail once tender_elf_parse accepted the image. */
void tender_elf_load(const struct tender_elf *elf, const uint8_t *data,
                     uint8_t *mem, uint64_t mem_base);

/* ---- Solo5 notes and the manifest (notes.c, manifest.c) ---- */

/* Find the note named "Solo5" with the given type among the PT_NOTE
 * segments. The descriptor's content starts `align` bytes (a power of two)
 * into the note (relative to the note's start, as Solo5 lays out the MFT1
 * note: header 20 bytes, then padding to 8); *desc and *size describe the
 * content after that padding. Returns 1 when found, 0 when absent, -1 when
 * a note is malformed (sizes outside the segment) or the type appears
 * twice. */
int tender_note_find(const struct tender_elf *elf, const uint8_t *data,
                     uint32_t type, size_t align, const uint8_t **desc,
                     size_t *size, char *err);

/* MirageC's extensions (<mirage/solo5.h>): what the image's EXT1 note
 * asks for. record 0: the image has no note (a Solo5 image). */
struct tender_ext {
    uint64_t record; /* guest address of its struct mirage_ext */
    uint32_t wanted; /* MIRAGE_EXT_* */
};

/* Find and check the image's EXT1 note ("MirageC", 16 bytes of
 * descriptor; the record 8-aligned and wholly inside a writable PT_LOAD
 * segment). Returns 1 with *ext filled in, 0 when the image has no note
 * (*ext zeroed), -1 on a malformed note or a bad record address. */
int tender_ext_load(const struct tender_elf *elf, const uint8_t *data,
                    struct tender_ext *ext, char *err);

/* Write the record (at `record`, the tender's pointer to guest address
 * ext->record; the image loaded, not yet running): grant the features of
 * `offered` the image asked for, and return them; with MIRAGE_EXT_NET_VEC
 * granted, the record's net_vec is `net_vec` (the devices served by
 * NETV); with MIRAGE_EXT_NET_VHDR granted, its net_vhdr is a copy of
 * net_vhdr[0..64) (each device's offloads). Writes
 * MIRAGE_EXT_RECORD_SIZE(wanted) bytes, the size the note was checked
 * for. An image without the note gets nothing (0) and nothing is
 * written. */
uint32_t tender_ext_grant(const struct tender_ext *ext, void *record,
                          uint32_t offered, uint64_t net_vec,
                          const uint8_t *net_vhdr);

/* ---- The virtio-net header (vhdr.c, MIRAGE_EXT_NET_VHDR) ---- */

/* Check a frame the guest sends with its header (len bytes at frame, on
 * a device of this MTU switched to offloads, not 0) as <mirage/solo5.h>
 * describes: 0 if the host may be given it, else -1 with err saying why
 * ("header too short", "bad flags 0x..", ...). */
int tender_vhdr_check(const uint8_t *frame, uint64_t len, uint16_t mtu,
                      uint32_t offloads, char *err);

/* Check the ABI1 note: present, 16 bytes, the given target
 * (SOLO5_ABI_TARGET_*), version SOLO5_ABI_VERSION. */
int tender_abi_check(const struct tender_elf *elf, const uint8_t *data,
                     uint32_t target, char *err);

/* Validate a manifest (the MFT1 note's content, size bytes, any
 * alignment): size at least the header and exactly header + entries *
 * 104; version SOLO5_MFT_VERSION; 1 to SOLO5_MFT_MAX_ENTRIES entries;
 * entry 0 of type SOLO5_MFT_RESERVED_FIRST with an empty name; every
 * other entry a BLOCK_BASIC or NET_BASIC with a NUL-terminated name of 1
 * to 67 ASCII letters and digits, unique, not marked attached. */
int tender_mft_validate(const void *mft, size_t size, char *err);

/* Find, validate and copy the image's manifest. On success *mft is a
 * malloc'd, 8-byte aligned copy (the caller frees it) of *size bytes with
 * every entry's device fields and `b` union zeroed, ready for
 * tender_devices_attach(). Errors: no MFT1 note, or tender_mft_validate's. */
int tender_mft_load(const struct tender_elf *elf, const uint8_t *data,
                    struct solo5_mft **mft, size_t *size, char *err);

/* Whether the n bytes at s are a valid device name: 1 to 67 ASCII letters
 * and digits. */
bool tender_mft_name_valid(const char *s, size_t n);

/* The entry named name, or NULL. */
struct solo5_mft_entry *tender_mft_find(struct solo5_mft *mft,
                                        const char *name);

/* ---- The command line (options.c) ---- */

#define TENDER_MEM_DEFAULT    ((uint64_t)512 << 20)
#define TENDER_SECTOR_DEFAULT 512

enum tender_dev_kind {
    TENDER_DEV_UNSET = 0, /* only --net-mac / --block-sector-size given */
    TENDER_DEV_NET,
    TENDER_DEV_BLOCK,
};

/* Everything the options say about one device name. */
struct tender_dev_opt {
    char name[SOLO5_MFT_NAME_SIZE];
    enum tender_dev_kind kind;
    const char *backend; /* net: IFACE or "@FD"; block: PATH (into argv) */
    bool has_mac;        /* --net-mac given */
    uint8_t mac[6];
    uint64_t sector_size; /* --block-sector-size; 0 = default */
};

struct tender_opts {
    uint64_t mem_size;    /* bytes (--mem is in MiB); TENDER_MEM_DEFAULT */
    const char *dumpcore; /* --dumpcore=DIR, or NULL (into argv) */
    const char *image;    /* into argv */
    /* The arguments after the image joined by single spaces. */
    char cmdline[SOLO5_CMDLINE_SIZE];
    unsigned ndev;
    struct tender_dev_opt dev[SOLO5_MFT_MAX_ENTRIES];
};

enum tender_opts_result {
    TENDER_OPTS_ERROR = -1,
    TENDER_OPTS_RUN = 0,     /* *opts is filled in */
    TENDER_OPTS_HELP = 1,    /* --help: print tender_usage(stdout), exit 0 */
    TENDER_OPTS_VERSION = 2, /* --version: print tender_version, exit 0 */
};

/* Parse solo5-tender options: [OPTIONS] [--] IMAGE [ARGS...], options
 *   --mem=MIB                      1 .. 1048576
 *   --net:NAME=IFACE | --net:NAME=@FD
 *   --net-mac:NAME=xx:xx:xx:xx:xx:xx
 *   --block:NAME=PATH
 *   --block-sector-size:NAME=N     a power of two, 512 .. 32768
 *   --dumpcore=DIR                 once (mirage-hvt only: mirage-spt
 *                                  refuses it)
 *   --help, --version
 * NAME: 1 to 67 letters and digits. Errors (TENDER_OPTS_ERROR): unknown
 * option, bad value, a device given twice or as both net and block, no
 * image, command line of SOLO5_CMDLINE_SIZE bytes or more with its NUL.
 * Pointers in *opts point into argv. */
enum tender_opts_result tender_opts_parse(int argc, char **argv,
                                          struct tender_opts *opts, char *err);

/* The usage text documenting every option, under tender_name. */
void tender_usage(FILE *out);

/* A tender's command line, as its main takes it: parse it into *opts with
 * tender_opts_parse and return to run the image; on --help print
 * tender_usage(stdout) followed by help_more (NULL: nothing more) and
 * exit 0; on --version print "NAME VERSION" and exit 0; on an error exit
 * through tender_die with its message. */
void tender_opts_get(int argc, char **argv, struct tender_opts *opts,
                     const char *help_more);

/* The MirageC version; --version prints "NAME VERSION". */
extern const char tender_version[];

/* ---- Host devices (tap.c, block_file.c, attach.c) ---- */

/* Open a tap: spec "IFACE" opens /dev/net/tun as IFF_TAP|IFF_NO_PI on the
 * existing interface IFACE and reads its MTU; "@FD" uses the open
 * descriptor FD (MTU 1500). Either way the descriptor is made
 * non-blocking. With vhdr (MIRAGE_EXT_NET_VHDR granted), an IFACE is
 * opened with IFF_VNET_HDR and a 12-byte header if the kernel takes one
 * of the offload sets <mirage/solo5.h> lists: *offloads is that set (the
 * offloads themselves are left off), else 0 and the tap is opened
 * without the header. */
int tender_tap_open(const char *spec, bool vhdr, int *fd, uint16_t *mtu,
                    uint8_t *offloads, char *err);

/* Open a block file read-write. sector_size: a power of two, 512 to
 * 32768 (the manifest's block_size is 16 bits), or 0 for
 * TENDER_SECTOR_DEFAULT. Errors: cannot open, not a regular file or
 * block device, capacity 0 or not a multiple of the sector size. */
int tender_block_open(const char *path, uint64_t sector_size, int *fd,
                      uint64_t *capacity, char *err);

/* Attach the devices: every manifest entry must have a matching option of
 * its kind and every device option must name a manifest entry of that
 * kind. Opens each backend and fills the entry (hostfd, mac/mtu or
 * capacity/block_size, attached = true); taps as tender_tap_open does
 * with vhdr, net_vhdr[handle] set to their offloads (every other entry of
 * net_vhdr[0..64) 0). A net device without --net-mac
 * gets a random locally administered unicast MAC. On error the
 * descriptors opened so far stay open (the tender is about to exit). */
int tender_devices_attach(struct solo5_mft *mft, const struct tender_opts *o,
                          bool vhdr, uint8_t *net_vhdr, char *err);

/* ---- Descriptors (fds.c) ---- */

/* Close every descriptor but those in keep[0..n) (sorted in place), so
 * that the sandboxed tender holds nothing it inherited. Errors:
 * close_range failures. */
int tender_close_fds_except(int *keep, unsigned n, char *err);

/* ---- Loading, as both tenders do it (load.c) ---- */

/* An image read, validated and with its devices attached. */
struct tender_loaded {
    struct tender_image img; /* still needed by tender_elf_load */
    struct tender_elf elf;
    struct solo5_mft *mft; /* malloc'd; every entry attached */
    size_t mft_size;
    struct tender_ext ext;
    /* Each network device's offloads (MIRAGE_EXT_NET_VHDR), by handle. */
    uint8_t net_vhdr[SOLO5_MFT_MAX_ENTRIES];
};

/* The steps both tenders share, so that both fail with the same
 * messages: read opts->image, validate its ELF for mem_size bytes of
 * guest memory, check its ABI1 note for target, load its manifest and its
 * EXT1 note, and attach the devices of opts (their taps with a
 * virtio-net header where they can take one, if the image asks for
 * MIRAGE_EXT_NET_VHDR and it is in offered). On failure it exits through
 * tender_die: "NAME: PATH: MESSAGE" for the image file and its contents, "NAME:
 * MESSAGE" for the devices. */
void tender_load(const struct tender_opts *opts, uint32_t target,
                 uint64_t mem_size, uint32_t offered, struct tender_loaded *l);

#endif
