/* The targets, as data: their names, image suffixes and manifests come
 * from plat/<name>/target.mk, which mk/targets.mk turns into the table of
 * build/gen/targets.c at build time. The engine asks here and names no
 * target itself: adding a target is adding plat/<name>/. */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

/* build/gen/targets.c: {name, suffix, manifest kind, runner} per
 * target. */
extern const char *const eng_target_rows[][4];
extern const size_t eng_target_count;
extern const char eng_default_target[];

str_list target_names(void)
{
    /* Built once, outside the arena: the target key keeps it. */
    static const char **names;
    if (!names) {
        names = calloc(eng_target_count + 1, sizeof *names);
        if (!names) {
            fprintf(stderr, "mirage: out of memory\n");
            exit(1);
        }
        for (size_t i = 0; i < eng_target_count; i++)
            names[i] = eng_target_rows[i][0];
    }
    return (str_list){eng_target_count, names};
}

const char *target_default(void)
{
    return eng_default_target;
}

static const char *const *row(const char *target)
{
    for (size_t i = 0; i < eng_target_count; i++)
        if (strcmp(eng_target_rows[i][0], target) == 0)
            return eng_target_rows[i];
    return NULL;
}

const char *target_suffix(const char *target)
{
    const char *const *r = row(target);
    return r ? r[1] : "";
}

bool target_has_manifest(const char *target)
{
    const char *const *r = row(target);
    return r && strcmp(r[2], "solo5") == 0;
}

const char *target_runner(const char *target)
{
    const char *const *r = row(target);
    return r ? r[3] : "";
}
