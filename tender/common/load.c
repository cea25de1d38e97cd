/* Reading, validating and attaching an image: the sequence both tenders
 * run before building their guest. */
#include "tender.h"

void tender_load(const struct tender_opts *opts, uint32_t target,
                 uint64_t mem_size, uint32_t offered, struct tender_loaded *l)
{
    char err[TENDER_ERR_SIZE];
    if (tender_image_read(opts->image, &l->img, err) < 0)
        tender_die("%s", err); /* the message names the file */
    if (tender_elf_parse(l->img.data, l->img.size, mem_size, &l->elf, err) <
            0 ||
        tender_abi_check(&l->elf, l->img.data, target, err) < 0 ||
        tender_mft_load(&l->elf, l->img.data, &l->mft, &l->mft_size, err) < 0 ||
        tender_ext_load(&l->elf, l->img.data, &l->ext, err) < 0)
        tender_die("%s: %s", opts->image, err);
    bool vhdr = (l->ext.wanted & offered & MIRAGE_EXT_NET_VHDR) != 0;
    if (tender_devices_attach(l->mft, opts, vhdr, l->net_vhdr, err) < 0)
        tender_die("%s", err);
}
