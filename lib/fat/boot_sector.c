/* The FAT boot sector: checking the BIOS parameter block and deriving the
 * filesystem's geometry (Microsoft's FAT specification, "FAT type
 * determination"; a BPB with a zero 16-bit FAT size is FAT32, as Linux
 * and dosfstools decide). */
#include <mirage/error.h>

#include "fat.h"

static bool power_of_two(uint32_t v)
{
    return v && (v & (v - 1)) == 0;
}

static int bad(const char **why, const char *what)
{
    *why = what;
    return MIRAGE_EBADF;
}

/* The FAT32 part of the BPB. */
static int parse_fat32(const uint8_t *bs, struct fat_geom *g, const char **why)
{
    uint16_t flags = fat_le16(bs + 40);
    if (fat_le16(bs + 42) != 0)
        return bad(why, "unsupported FAT32 version");
    g->mirrored = !(flags & 0x80);
    g->active_fat = g->mirrored ? 0 : flags & 0x0F;
    if (g->active_fat >= g->nfats)
        return bad(why, "active FAT out of range");
    g->root_cluster = fat_le32(bs + 44);
    if (g->root_cluster < 2 || g->root_cluster > g->clusters + 1)
        return bad(why, "root directory cluster out of range");
    uint16_t fsinfo = fat_le16(bs + 48);
    g->fsinfo =
        fsinfo != 0 && fsinfo != 0xFFFF && fsinfo < g->fat_start ? fsinfo : 0;
    return 0;
}

int fat_boot_parse(const uint8_t *bs, uint64_t dev_bytes, uint32_t dev_sector,
                   struct fat_geom *g, const char **why)
{
    *g = (struct fat_geom){0};
    if (bs[0] != 0xEB && bs[0] != 0xE9)
        return bad(why, "no boot jump instruction (not a FAT filesystem)");
    if (bs[510] != 0x55 || bs[511] != 0xAA)
        return bad(why, "no boot sector signature");
    g->bytes_per_sector = fat_le16(bs + 11);
    if (!power_of_two(g->bytes_per_sector) || g->bytes_per_sector < 512 ||
        g->bytes_per_sector > 4096)
        return bad(why, "bad bytes per sector");
    if (g->bytes_per_sector < dev_sector) {
        *why = "FAT sectors smaller than the device's sectors";
        return MIRAGE_ENOTSUP;
    }
    g->sectors_per_cluster = bs[13];
    if (!power_of_two(g->sectors_per_cluster))
        return bad(why, "bad sectors per cluster");
    g->cluster_size = g->sectors_per_cluster * g->bytes_per_sector;
    if (g->cluster_size > 65536)
        return bad(why, "clusters larger than 64 KiB");
    g->fat_start = fat_le16(bs + 14);
    if (g->fat_start == 0)
        return bad(why, "no reserved sectors");
    g->nfats = bs[16];
    if (g->nfats == 0)
        return bad(why, "no FAT");
    g->root_entries = fat_le16(bs + 17);
    g->total_sectors = fat_le16(bs + 19);
    if (g->total_sectors == 0)
        g->total_sectors = fat_le32(bs + 32);
    g->fat_sectors = fat_le16(bs + 22);
    bool fat32 = g->fat_sectors == 0;
    if (fat32)
        g->fat_sectors = fat_le32(bs + 36);
    if (g->fat_sectors == 0)
        return bad(why, "FAT size is zero");
    if (fat32 != (g->root_entries == 0))
        return bad(why, "root directory size does not match the FAT type");
    if (g->total_sectors * g->bytes_per_sector > dev_bytes)
        return bad(why, "filesystem larger than the device");

    g->root_sectors = (uint32_t)(((uint64_t)g->root_entries * FAT_SLOT +
                                  g->bytes_per_sector - 1) /
                                 g->bytes_per_sector);
    uint64_t root_start = g->fat_start + (uint64_t)g->nfats * g->fat_sectors;
    uint64_t data_start = root_start + g->root_sectors;
    if (data_start >= g->total_sectors)
        return bad(why, "no room for data after the FATs");
    g->root_start = (uint32_t)root_start;
    g->data_start = (uint32_t)data_start;
    uint64_t clusters =
        (g->total_sectors - data_start) / g->sectors_per_cluster;
    if (clusters == 0)
        return bad(why, "no data clusters");
    if (clusters > 0x0FFFFFF5)
        return bad(why, "too many clusters");
    g->clusters = (uint32_t)clusters;
    g->bits = fat32 ? 32 : clusters < 4085 ? 12 : 16;
    if (g->bits == 16 && clusters >= 65525)
        return bad(why, "too many clusters for FAT16");
    uint64_t need = ((uint64_t)(g->clusters + 2) * g->bits + 7) / 8;
    if ((uint64_t)g->fat_sectors * g->bytes_per_sector < need)
        return bad(why, "FAT too small for the number of clusters");
    g->mirrored = true;
    if (fat32)
        return parse_fat32(bs, g, why);
    g->root_cluster = FAT_ROOT_FIXED;
    return 0;
}
