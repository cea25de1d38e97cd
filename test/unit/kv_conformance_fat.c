/* The kv_rw conformance suite run against the kv_rw over a FAT filesystem:
 * each test gets a fresh image made by mkfs.fat, FAT12, FAT16 and FAT32
 * in turn. */
#include <mirage/fs.h>
#include <mirage/kv.h>
#include <stdlib.h>

#include "fat_image.h"
#include "kv_conformance.h"
#include "test.h"

static struct mounted mounted;

int kv_conformance_open(struct mirage_kv_rw **out)
{
    static const char *const options[] = {"-F 12", "-F 16 -s 1", "-F 32"};
    static unsigned opened;
    const char *path =
        make_image("conformance.img", 8192, options[opened++ % 3]);
    int r = path ? mount_image(path, &mounted) : -1;
    return r ? r : mirage_kv_rw_connect_fs(out, mounted.fs);
}

void kv_conformance_close(struct mirage_kv_rw *kv)
{
    mirage_kv_rw_disconnect(kv);
    unmount_image(&mounted, NULL);
}

int main(void)
{
    return test_main();
}
