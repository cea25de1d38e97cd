/* libFuzzer target: the tenders' image validation on arbitrary files -
 * ELF header and segments, the ABI1 note, the MFT1 manifest - and the
 * loader for every image the checks accept. */
#include <stdlib.h>

#include "../tender/common/tender.h"

#define MEM_SIZE ((uint64_t)16 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct tender_elf elf;
    static uint8_t *mem;
    char err[TENDER_ERR_SIZE];
    if (!mem && !(mem = malloc(MEM_SIZE)))
        abort();
    if (tender_elf_parse(data, size, MEM_SIZE, &elf, err) < 0)
        return 0;
    tender_elf_load(&elf, data, mem, 0);
    struct solo5_mft *mft;
    size_t mft_size;
    tender_abi_check(&elf, data, SOLO5_ABI_TARGET_SPT, err);
    if (tender_mft_load(&elf, data, &mft, &mft_size, err) == 0)
        free(mft);
    return 0;
}
