/* The key-value stores (lib/kv, entries in lib/kv/config.c): crunch,
 * kv_rw_mem, archive, archive_of_files and generic_kv_ro. Part of
 * <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_KV_H
#define MIRAGE_CONFIG_KV_H

/* kv_ro_typ, kv_rw_typ: struct mirage_kv_ro *, struct mirage_kv_rw *
 * (<mirage/kv.h>). */
#define kv_ro_typ                                                              \
    typ_new("kv_ro", "struct mirage_kv_ro *", .header = "mirage/kv.h")
#define kv_rw_typ                                                              \
    typ_new("kv_rw", "struct mirage_kv_rw *", .header = "mirage/kv.h")

/* crunch(dir): the files under dir (relative to the application)
 * embedded in the image as raw bytes by the configure action (which
 * writes mirage/crunch_NAME.c); plain make embeds them again when one is
 * added, changed or removed.
 * Example: crunch("t")
 * kv_rw_mem(): an empty store in memory.
 * Example: kv_rw_mem()
 * archive(block): the tar archive on a block device, read-only.
 * Example: archive(block_of_file("storage"))
 * archive_of_files(dir): a tar image of dir made at configure time
 * (mirage/NAME.tar) and read with archive; on hvt and spt the tender
 * attaches it (--block:NAME=mirage/NAME.tar, NAME as `mirage query
 * files` shows).
 * Example: archive_of_files("t") */
#define crunch(dir)           MIRAGE_ENTRY_(mirage_crunch_(dir))
#define kv_rw_mem()           MIRAGE_ENTRY_(mirage_kv_rw_mem_())
#define archive(block)        MIRAGE_ENTRY_(mirage_archive_(block))
#define archive_of_files(dir) MIRAGE_ENTRY_(mirage_archive_of_files_(dir))
/* generic_kv_ro(dir, ...): crunch, direct_kv_ro, archive_of_files or
 * kv_ro_of_fs(fat_of_files) of dir, chosen by
 * --kv_ro=crunch|direct|archive|fat (default crunch); .group as the
 * storage options of <mirage/config/block.h>.
 * Example: generic_kv_ro("t")
 * Example --kv_ro=archive: generic_kv_ro("t")
 * Example --kv_ro=fat: generic_kv_ro("t")
 * Example --data-kv_ro=direct: generic_kv_ro("t", .group = "data") */
#define generic_kv_ro(dir, ...)                                                \
    MIRAGE_ENTRY_(                                                             \
        mirage_generic_kv_ro_(MIRAGE_STORAGE_OPTS_(__VA_ARGS__), (dir)))

impl *mirage_crunch_(const char *dir);
impl *mirage_kv_rw_mem_(void);
impl *mirage_archive_(impl *block);
impl *mirage_archive_of_files_(const char *dir);
impl *mirage_generic_kv_ro_(struct mirage_storage_opts o, const char *dir);

#endif
