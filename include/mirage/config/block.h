/* The block devices (lib/block, entries in lib/block/config.c). Part of
 * <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_BLOCK_H
#define MIRAGE_CONFIG_BLOCK_H

/* block_typ: struct mirage_block * (<mirage/block.h>). */
#define block_typ                                                              \
    typ_new("block", "struct mirage_block *", .header = "mirage/block.h")

/* block_of_file(name): on unix the host file `name`; on the targets with
 * a Solo5 manifest the block device `name` of the manifest (1 to 67
 * letters and digits), which the tender attaches with --block:NAME=FILE
 * (MirageOS's default name is "storage").
 * Example: block_of_file("storage")
 * ramdisk(name): a 32 MiB disk in memory, shared by name.
 * Example: ramdisk("scratch") */
#define block_of_file(name) MIRAGE_ENTRY_(mirage_block_of_file_(name))
#define ramdisk(name)       MIRAGE_ENTRY_(mirage_ramdisk_(name))

/* Options of the generic devices (here and in <mirage/config/kv.h>):
 * .group prefixes their key, as MirageOS's ?group: generic_kv_ro("htdocs",
 * .group = "data") is chosen by --data-kv_ro. */
struct mirage_storage_opts {
    const char *file_;
    int line_;
    const char *group;
};
#define MIRAGE_STORAGE_OPTS_(...)                                              \
    (struct mirage_storage_opts)                                               \
    {                                                                          \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__                      \
    }
/* generic_block(name, ...): block_of_file or ramdisk, chosen by the key
 * --block=file|ramdisk (default file).
 * Example: generic_block("storage")
 * Example --data-block=ramdisk: generic_block("storage", .group = "data") */
#define generic_block(name, ...)                                               \
    MIRAGE_ENTRY_(                                                             \
        mirage_generic_block_(MIRAGE_STORAGE_OPTS_(__VA_ARGS__), (name)))

impl *mirage_block_of_file_(const char *name);
impl *mirage_ramdisk_(const char *name);
impl *mirage_generic_block_(struct mirage_storage_opts o, const char *name);

#endif
