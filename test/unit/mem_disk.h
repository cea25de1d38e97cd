/* A block device over a host file's bytes held in memory, for the storage
 * tests: load an image made by host tools, run the library on it, save it
 * back for the tools to check; with a knob to make writes fail. */
#ifndef MIRAGE_TEST_MEM_DISK_H
#define MIRAGE_TEST_MEM_DISK_H

#include <mirage/block.h>
#include <stdbool.h>
#include <stddef.h>

/* A disk holding the bytes of file `path` (its size must be a multiple of
 * sector_size), or NULL with a message on stderr. Free it with
 * mirage_block_disconnect. */
struct mirage_block *mem_disk_load(const char *path, uint32_t sector_size,
                                   bool read_write);
/* A disk holding a copy of len bytes (rounded up to sectors with zeros). */
struct mirage_block *mem_disk_from(const void *data, size_t len,
                                   uint32_t sector_size, bool read_write);
/* Write the disk's bytes to path; 0 or -1. */
int mem_disk_save(struct mirage_block *b, const char *path);
/* The disk's bytes. */
unsigned char *mem_disk_data(struct mirage_block *b);
/* After this many more successful writes, writes fail with MIRAGE_EIO
 * (-1: never, the default). */
void mem_disk_fail_after(struct mirage_block *b, long writes);
/* Writes done so far. */
unsigned long mem_disk_writes(struct mirage_block *b);

#endif
