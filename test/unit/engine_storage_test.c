/* Engine tests of the storage device catalogue (lib/block/config.c,
 * lib/kv/config.c ...): the connect code and keys of each device, the
 * Solo5 manifest's block devices, the configure-time errors, and the
 * files the crunch and archive configure actions write. */
#include "../../tool/engine.h"
#include "engine_app.h"
#include "test.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool has(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

static bool has_file(const struct eng_graph *g, const char *f)
{
    for (size_t i = 0; i < g->nfiles; i++)
        if (strcmp(g->files[i], f) == 0)
            return true;
    return false;
}

/* The graph of a job taking one kv_ro, with target and key values set. */
static struct eng_graph *kv_ro_graph(const char *target, const char *store)
{
    eng_reset();
    const char *why;
    impl *m = mirage_main("start", typ_fn(kv_ro_typ, job));
    static struct eng_app app;
    app = test_app("demo", jobs(apply(m, generic_kv_ro("htdocs"))));
    if (eng_set_key(target_key, target, &why) != 0 ||
        (store && eng_set_key(eng_key_find("kv_ro"), store, &why) != 0))
        return NULL;
    return eng_eval(&app);
}

TEST(generic_kv_ro_is_crunch_by_default)
{
    struct eng_graph *g = kv_ro_graph("unix", NULL);
    CHECK(g != NULL);
    CHECK(has(gen_main_c(g),
              "mirage_kv_ro_connect_crunch_named(&d2_crunch, \"htdocs\")"));
    CHECK(has(gen_main_c(g), "#include <mirage/kv.h>"));
    CHECK(has_file(g, "mirage/crunch_htdocs.c"));
}

TEST(generic_kv_ro_direct_and_archive)
{
    struct eng_graph *g = kv_ro_graph("unix", "direct");
    CHECK(g != NULL);
    CHECK(has(gen_main_c(g), "mirage_kv_ro_connect_direct(&d2_direct_kv_ro, "
                             "\"htdocs\")"));
    /* direct is crunch on the other targets. */
    g = kv_ro_graph("spt", "direct");
    CHECK(g != NULL);
    CHECK(has(gen_main_c(g), "mirage_kv_ro_connect_crunch_named("));
    g = kv_ro_graph("unix", "archive");
    CHECK(g != NULL);
    const char *c = gen_main_c(g);
    CHECK(has(c, "mirage_block_connect_file(&d2_block_of_file, "
                 "\"mirage/htdocs.tar\")"));
    CHECK(has(c, "mirage_kv_ro_connect_archive(&d3_archive_of_files, "
                 "d2_block_of_file)"));
    CHECK(has_file(g, "mirage/htdocs.tar"));
    g = kv_ro_graph("hvt", "archive");
    CHECK(g != NULL);
    CHECK(has(gen_manifest_c(g),
              "SOLO5_MANIFEST(1, SOLO5_MFT_BLOCK(\"htdocs\"))"));
    CHECK(kv_ro_graph("unix", "floppy") == NULL);
}

TEST(manifest_lists_each_block_device_once)
{
    eng_reset();
    const char *why;
    impl *m = mirage_main(
        "start", typ_fn(block_typ, typ_fn(block_typ, typ_fn(block_typ, job))));
    struct eng_app app = test_app(
        "demo", jobs(apply(m, block_of_file("storage"), ramdisk("scratch"),
                           block_of_file("other"))));
    impl *m2 = mirage_main("second", typ_fn(block_typ, job));
    app.jobs = jobs(app.jobs.v[0], apply(m2, block_of_file("storage")));
    CHECK_INT(eng_set_key(target_key, "spt", &why), 0);
    struct eng_graph *g = eng_eval(&app);
    CHECK(g != NULL);
    CHECK_STR(gen_manifest_c(g) + strlen(gen_manifest_c(g)) -
                  strlen("SOLO5_MANIFEST(2, SOLO5_MFT_BLOCK(\"storage\"), "
                         "SOLO5_MFT_BLOCK(\"other\"));\n"),
              "SOLO5_MANIFEST(2, SOLO5_MFT_BLOCK(\"storage\"), "
              "SOLO5_MFT_BLOCK(\"other\"));\n");
    CHECK(has(gen_manifest_json(g),
              "{ \"name\": \"storage\", \"type\": \"BLOCK_BASIC\" },\n"
              "    { \"name\": \"other\", \"type\": \"BLOCK_BASIC\" }"));
    CHECK(has(gen_main_c(g), "mirage_block_connect_ramdisk(&d3_ramdisk, "
                             "\"scratch\", MIRAGE_RAMDISK_DEFAULT_SECTORS)"));
}

TEST(generic_block_key_and_group)
{
    eng_reset();
    const char *why;
    impl *m = mirage_main("start", typ_fn(block_typ, job));
    struct eng_app app = test_app(
        "demo", jobs(apply(m, generic_block("disk", .group = "data"))));
    CHECK(eng_key_find("block") == NULL);
    key *k = eng_key_find("data-block");
    CHECK(k != NULL);
    CHECK(has(gen_main_c(eng_eval(&app)), "mirage_block_connect_file("));
    CHECK_INT(eng_set_key(k, "ramdisk", &why), 0);
    CHECK(has(gen_main_c(eng_eval(&app)), "mirage_block_connect_ramdisk("));
    eng_reset();
    generic_kv_ro("x", .group = "static");
    CHECK(eng_key_find("static-kv_ro") != NULL);
    /* An empty group is no group, for every generic device alike. */
    eng_reset();
    CHECK(generic_kv_ro("x", .group = "") != NULL);
    CHECK(generic_block("disk", .group = "") != NULL);
    CHECK(generic_stackv4v6(default_network(), .group = "") != NULL);
    CHECK(eng_key_find("kv_ro") && eng_key_find("block") &&
          eng_key_find("net"));
    CHECK_INT(eng_error_count(), 0);
}

/* The first recorded error contains want. */
static bool error_says(const char *want)
{
    if (eng_error_count() == 0 || !strstr(eng_error_at(0), want)) {
        printf("  errors: %zu, first: %s\n", eng_error_count(),
               eng_error_count() ? eng_error_at(0) : "-");
        return false;
    }
    return true;
}

TEST(configure_time_errors)
{
    eng_reset();
    const char *why;
    impl *m = mirage_main("start", typ_fn(block_typ, job));
    struct eng_app app =
        test_app("demo", jobs(apply(m, block_of_file("disk.img"))));
    CHECK_INT(eng_set_key(target_key, "hvt", &why), 0);
    CHECK(eng_eval(&app) == NULL);
    CHECK(error_says("device 'block_of_file': 'disk.img' is not a device "
                     "name on target 'hvt'"));
    eng_reset();
    impl *rw = mirage_main("start", typ_fn(kv_rw_typ, job));
    app = test_app("demo", jobs(apply(rw, direct_kv_rw("data"))));
    CHECK(eng_eval(&app) != NULL); /* unix */
    CHECK_INT(eng_set_key(target_key, "spt", &why), 0);
    CHECK(eng_eval(&app) == NULL);
    CHECK(error_says("device 'direct_kv_rw' is not supported on target "
                     "'spt'"));
    eng_reset();
    CHECK(crunch(NULL) == NULL);
    CHECK(error_says("crunch needs a directory"));
    eng_reset();
    CHECK(block_of_file("") == NULL);
    CHECK(error_says("block_of_file needs a name"));
    eng_reset();
    CHECK(archive(NULL) == NULL);
    eng_reset();
    CHECK(kv_rw_mem() != NULL);
    CHECK(has(gen_main_c(eng_eval(&(struct eng_app){
                  .name = "x",
                  .output = "x",
                  .jobs = jobs(apply(mirage_main("s", typ_fn(kv_rw_typ, job)),
                                     kv_rw_mem())),
                  .argv = default_argv(),
                  .reporter = default_reporter(),
                  .file = "config.c",
                  .line = 1})),
              "mirage_kv_rw_connect_mem(&d2_kv_rw_mem)"));
}

/* Run the configure action of the device at the head of i, as mirage
 * configure does. */
static int configure(impl *i)
{
    while (i->kind == IMPL_APP)
        i = i->fn;
    struct mirage_configure_info info = {
        "demo",  "unix", "demo", i->dev.files, i->dev.configure_args,
        i->file, i->line};
    return i->dev.configure(&info);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

TEST(configure_actions_write_crunch_source_and_tar)
{
    char dir[] = "/tmp/mirage-engine-storage-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char old[4096];
    CHECK(getcwd(old, sizeof old) != NULL);
    CHECK_INT(chdir(dir), 0);
    int rc = system("mkdir -p site/css && printf 'x' >site/index.html && "
                    "printf 'yy' >site/css/a.css && mkdir empty");
    eng_reset();
    impl *c = crunch("site"), *e = crunch("empty"),
         *t = archive_of_files("site");
    bool ok =
        rc == 0 && configure(c) == 0 && configure(e) == 0 && configure(t) == 0;
    char *src = ok ? slurp("mirage/crunch_site.c") : NULL;
    bool site = has(src, ".incbin \\\"site/css/a.css\\\"") &&
                has(src, "{\"css/a.css\", mirage_crunch_site_0, "
                         "mirage_crunch_site_0_end, ") &&
                has(src, "{\"index.html\", mirage_crunch_site_1, ") &&
                has(src, "MIRAGE_CRUNCH_TABLE(\"site\", files);");
    src = ok ? slurp("mirage/crunch_empty.c") : NULL;
    bool empty = has(src, "{\"empty\", 0, 0};");
    struct stat st;
    bool tar = stat("mirage/site.tar", &st) == 0 && st.st_size >= 10240;
    eng_reset();
    CHECK(crunch("missing") != NULL);
    /* It fails with a message on stderr, kept out of the test's output. */
    fflush(stderr);
    int saved = dup(2), null = open("/dev/null", O_WRONLY);
    dup2(null, 2);
    bool missing = configure(crunch("missing")) != 0;
    dup2(saved, 2);
    close(saved);
    close(null);
    CHECK_INT(chdir(old), 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_INT(system(cmd), 0);
    CHECK(ok && site && empty && tar && missing);
}

int main(void)
{
    return test_main();
}
