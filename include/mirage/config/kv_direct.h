/* The host directory as a store (lib/kv_direct over the unix-only host
 * files of <mirage/hostfs.h>; entries in lib/kv_direct/config.c). Part
 * of <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_KV_DIRECT_H
#define MIRAGE_CONFIG_KV_DIRECT_H

/* direct_kv_ro(dir): on unix the host directory dir, read live;
 * elsewhere crunch(dir).
 * Example: direct_kv_ro("t")
 * direct_kv_rw(dir): the host directory read and written (unix only:
 * configuring another target is an error).
 * Example (unix): direct_kv_rw("t") */
#define direct_kv_ro(dir) MIRAGE_ENTRY_(mirage_direct_kv_ro_(dir))
#define direct_kv_rw(dir) MIRAGE_ENTRY_(mirage_direct_kv_rw_(dir))

impl *mirage_direct_kv_ro_(const char *dir);
impl *mirage_direct_kv_rw_(const char *dir);

#endif
