/* libFuzzer target: the tenders' manifest validation on arbitrary
 * manifests (the MFT1 note's content). */
#include "../tender/common/tender.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[TENDER_ERR_SIZE];
    tender_mft_validate(data, size, err);
    return 0;
}
