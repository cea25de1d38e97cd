/* Stores over a filesystem (lib/fs, entries in lib/fs/config.c). Part of
 * <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_FS_H
#define MIRAGE_CONFIG_FS_H

/* fs_typ: struct mirage_fs * (<mirage/fs.h>). */
#define fs_typ typ_new("fs", "struct mirage_fs *", .header = "mirage/fs.h")

/* kv_ro_of_fs(fs): the files and directories of fs as a read-only store.
 * Example: kv_ro_of_fs(fat(ramdisk("disk")))
 * kv_rw_of_fs(fs): the same store, writable (beyond MirageOS).
 * Example: kv_rw_of_fs(fat(block_of_file("storage"))) */
#define kv_ro_of_fs(fs) MIRAGE_ENTRY_(mirage_kv_ro_of_fs_(fs))
#define kv_rw_of_fs(fs) MIRAGE_ENTRY_(mirage_kv_rw_of_fs_(fs))

impl *mirage_kv_ro_of_fs_(impl *fs);
impl *mirage_kv_rw_of_fs_(impl *fs);

#endif
