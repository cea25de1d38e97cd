/* The FAT filesystem (lib/fat, entries in lib/fat/config.c). Part of
 * <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_FAT_H
#define MIRAGE_CONFIG_FAT_H

/* fat(block): the FAT12, FAT16 or FAT32 filesystem on a block device,
 * read and written (<mirage/fs.h>).
 * Example: fat(ramdisk("disk"))
 * fat_of_files(dir, pattern): a FAT image of the files under dir (NULL:
 * the application's directory, less mirage/ and dist/) whose names match
 * the shell pattern (NULL: every file), made at configure time by
 * mkfs.fat and mtools (mirage/NAME.img, NAME as `mirage query files`
 * shows) and mounted with fat; on hvt and spt the tender attaches it
 * (--block:NAME=mirage/NAME.img).
 * Example: fat_of_files("t", NULL) */
#define fat(block) MIRAGE_ENTRY_(mirage_fat_(block))
#define fat_of_files(dir, pattern)                                             \
    MIRAGE_ENTRY_(mirage_fat_of_files_((dir), (pattern)))

impl *mirage_fat_(impl *block);
impl *mirage_fat_of_files_(const char *dir, const char *pattern);

#endif
