/* The block devices' catalogue entries (<mirage/config/block.h>), and the
 * worked example of how every catalogue entry is written.
 *
 * A device family is one library directory: the interface in
 * include/mirage/KIND.h, the code in lib/NAME/, its module.mk, and its
 * catalogue entries here in lib/NAME/config.c, declared in
 * include/mirage/config/NAME.h (one #include line in config.h). The
 * entries use only <mirage/config.h>: the tool knows no device.
 *
 * The connect convention. Each implementation of an interface has one
 * connect function, declared in the interface's header:
 *
 *   int mirage_KIND_connect_IMPL(struct mirage_KIND **out,
 *                                DEPS..., PARAMS...);
 *
 *  - its name: KIND is the interface (struct mirage_KIND), IMPL the
 *    implementation ("file", "ramdisk", "direct", "socket", "default" for
 *    the platform's own): mirage_block_connect_file,
 *    mirage_tcp_connect_direct, mirage_stack_connect_socket;
 *  - its arguments: the output pointer first; then the devices it is
 *    built on, in the order of the configuration type's functor arguments,
 *    then its extra dependencies; then plain parameters (names, runtime
 *    argument values, constants);
 *  - its result: 0 with *out set, or a negative MIRAGE_E* code with *out
 *    untouched and nothing left behind; the generated main.c stops the
 *    boot naming the device.
 *
 * Its catalogue entry says how to call it, naming what it passes rather
 * than counting: $out is the device's own variable, $TYPE a dependency's
 * (by its type's name: $block, $network, $random ...), ${name} a runtime
 * argument's value. With the device go everything it needs: the header
 * declaring the function (.headers), the library defining it
 * (.libraries, so only images that select it link it), the platform
 * device it acquires (.block_device, .net_device: an entry of a Solo5
 * manifest), and when relevant its keys, runtime arguments, packages,
 * configure action and generated files, and the targets it supports.
 *
 * Worked example, block_of_file("storage") in a config.c: the header
 * declares
 *     int mirage_block_connect_file(struct mirage_block **out,
 *                                   const char *name);
 * and the entry below makes the device
 *     impl("block_of_file", block_typ,
 *          .connect = "mirage_block_connect_file(&$out, \"storage\")",
 *          .headers = strs("mirage/block.h"), .libraries = strs("block"),
 *          .block_device = "storage")
 * from which `mirage configure` generates, in mirage/main.c,
 *     rc = mirage_block_connect_file(&d2_block_of_file, "storage");
 * links libmirage_block.a (and what it needs: lib/block/module.mk says
 * rt), and on hvt and spt lists "storage" in the image's manifest. */
#include <mirage/config.h>

/* block_of_file or ramdisk: the connect function IMPL with name (and
 * more constant parameters), acquiring the platform's block device name
 * when manifest is set. */
static impl *block_device(const char *what, const char *impl_name,
                          const char *name, const char *more, bool manifest)
{
    if (!name || !*name)
        return mirage_fail("%s needs a name", what);
    return impl(what, block_typ,
                .connect = mirage_printf("mirage_block_connect_%s(&$out, %s%s)",
                                         impl_name, mirage_cstr(name), more),
                .headers = strs("mirage/block.h"), .libraries = strs("block"),
                .block_device = manifest ? name : NULL);
}

impl *mirage_block_of_file_(const char *name)
{
    return block_device("block_of_file", "file", name, "", true);
}

impl *mirage_ramdisk_(const char *name)
{
    return block_device("ramdisk", "ramdisk", name,
                        ", MIRAGE_RAMDISK_DEFAULT_SECTORS", false);
}

impl *mirage_generic_block_(struct mirage_storage_opts o, const char *name)
{
    key *k = key_enum(mirage_group_name(o.group, "block"), "file",
                      "The block device: a file (or on hvt and spt the "
                      "tender's device) or a ramdisk.",
                      "file", "ramdisk");
    return match_impl(key_value(k), block_of_file(name),
                      match_case("ramdisk", ramdisk(name)));
}
