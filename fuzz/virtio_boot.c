/* libFuzzer target: what the virtio platform reads at boot from the
 * machine: the kernel command line (its own words taken out and the
 * devices matched to a manifest of two network and two block devices)
 * when the first byte is even, the ACPI DSDT's AML searched for \_S5
 * when it is odd. */
#include "../plat/virtio/aml.h"
#include "../plat/virtio/cmdline.h"
#include "../plat/virtio/match.h"
#include "../plat/virtio/transport.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct virtio_args args;
static char rest[SOLO5_CMDLINE_SIZE];

static const struct solo5_mft *manifest(void)
{
    static uint64_t mem[(8 + 5 * sizeof(struct solo5_mft_entry)) / 8 + 1];
    static const char *const names[] = {"service", "other", "storage", "b"};
    struct solo5_mft *m = (struct solo5_mft *)mem;
    m->entries = 5;
    m->e[0].type = SOLO5_MFT_RESERVED_FIRST;
    for (int i = 0; i < 4; i++) {
        m->e[i + 1].type =
            i < 2 ? SOLO5_MFT_DEV_NET_BASIC : SOLO5_MFT_DEV_BLOCK_BASIC;
        strcpy(m->e[i + 1].name, names[i]);
    }
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] & 1) {
        uint8_t a, b;
        aml_s5(data + 1, size - 1, &a, &b);
        return 0;
    }
    char *line = malloc(size);
    memcpy(line, data + 1, size - 1);
    line[size - 1] = '\0';
    const char *word, *why;
    int r = virtio_cmdline_take(line, data[0] & 2, &args, rest, sizeof rest,
                                &word, &why);
    if (r == 0) {
        static const uint32_t types[] = {VIRTIO_ID_NET, VIRTIO_ID_BLOCK,
                                         VIRTIO_ID_NET, VIRTIO_ID_CONSOLE,
                                         VIRTIO_ID_BLOCK};
        int assign[SOLO5_MFT_MAX_ENTRIES];
        char msg[MATCH_MSG_SIZE];
        virtio_match(types, 5, manifest(), &args, assign, msg);
    }
    free(line);
    return 0;
}
