/* The block device catalogue: block_of_file, ramdisk and generic_block
 * (include/mirage/config.h, "Storage devices"). Their connect code calls
 * the functions of <mirage/block.h>. */
#include "engine.h"

#include <string.h>

/* A device of type block whose connect call is `call` with name; solo5:
 * on hvt and spt it is the manifest's block device `name`. */
static impl *block_device(const char *file, int line, const char *what,
                          const char *call, const char *extra, const char *name,
                          bool solo5)
{
    if (!name || !*name) {
        eng_error(file, line, "%s needs a name", what);
        return NULL;
    }
    struct strbuf c = {0};
    sb_printf(&c, "%s(&$$, ", call);
    sb_cstr(&c, name);
    sb_printf(&c, "%s)", extra);
    struct eng_device dev = {
        .connect = sb_str(&c),
        .headers = {1, (const char *const[]){"mirage/block.h"}},
        .solo5_block = solo5 ? name : NULL,
        .libraries = {1, (const char *const[]){"block"}},
    };
    return make_device_(file, line, what, block_typ, dev);
}

impl *mirage_block_of_file_(const char *file, int line, const char *name)
{
    return block_device(file, line, "block_of_file",
                        "mirage_block_connect_file", "", name, true);
}

impl *mirage_ramdisk_(const char *file, int line, const char *name)
{
    return block_device(file, line, "ramdisk", "mirage_block_connect_ramdisk",
                        ", MIRAGE_RAMDISK_DEFAULT_SECTORS", name, false);
}

impl *mirage_generic_block_(struct mirage_storage_opts o, const char *name)
{
    const char *kname = o.group ? arena_printf("%s-block", o.group) : "block";
    key *k = mirage_key_enum_(o.file_, o.line_, kname, "file",
                              "The block device: a file (or on hvt and spt "
                              "the tender's device) or a ramdisk.",
                              strs("file", "ramdisk"));
    return mirage_match_impl_(
        o.file_, o.line_, key_value(k),
        mirage_block_of_file_(o.file_, o.line_, name),
        (case_list){1, (struct mirage_case[]){
                           {"ramdisk", mirage_ramdisk_(o.file_, o.line_, name)},
                       }});
}
