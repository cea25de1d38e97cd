/* disk-lottery: a draw per boot whose state lives on a block device (the
 * file lottery.img on unix, the tender's "storage" device on hvt and
 * spt), so successive runs continue the same series. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *seed = runtime_arg_int(
        "seed", 2024, "The seed of a new series (used on a blank disk).",
        .docv = "N");
    runtime_arg *reset = runtime_arg_bool(
        "reset", false, "Start a new series even if the disk holds one.");
    impl *disk = match_impl(key_value(target_key), block_of_file("storage"),
                            match_case("unix", block_of_file("lottery.img")));
    impl *m = mirage_main("lottery_start", typ_fn(block_typ, job),
                          .runtime_args = args(seed, reset));
    return mirage_register(argc, argv, "disk-lottery", jobs(apply(m, disk)));
}
