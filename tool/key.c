/* Configure-time keys: definition (with duplicate detection), the built-in
 * target key, values and their checking. */
#include "engine.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Its values and default are the targets' data (targets.c). */
static struct mirage_key target_key_ = {
    .name = "target",
    .kind = KEY_ENUM,
    .doc = "Target platform to compile the unikernel for",
    .file = NULL,
    .line = 0,
};

/* Names the configure command line uses for itself. */
static const char *const reserved[] = {"target", "output",  "dry-run", "dot",
                                       "help",   "version", "file"};

static struct ptrvec keys;
static bool text_enabled;

void key_reset(void)
{
    keys = (struct ptrvec){0};
    target_key_.given = NULL;
    text_enabled = false;
}

key *mirage_target_key(void)
{
    if (!target_key_.def) {
        target_key_.def = target_default();
        target_key_.values = target_names();
    }
    return &target_key_;
}

static void ensure_target(void)
{
    if (keys.n == 0)
        pv_push(&keys, target_key);
}

size_t eng_key_count(void)
{
    ensure_target();
    return keys.n;
}

key *eng_key_at(size_t i)
{
    ensure_target();
    return keys.v[i];
}

key *eng_key_find(const char *name)
{
    for (size_t i = 0; i < eng_key_count(); i++)
        if (strcmp(eng_key_at(i)->name, name) == 0)
            return eng_key_at(i);
    return NULL;
}

const char *key_kind_name(enum key_kind kind)
{
    static const char *const names[] = {"string", "int", "bool", "enum"};
    return names[kind];
}

static const char *enum_choices(const key *k)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < k->values.n; i++)
        sb_printf(&b, "%s%s", i ? ", " : "", k->values.v[i]);
    return sb_str(&b);
}

int key_check_text(const key *k, const char *text, const char **why)
{
    switch (k->kind) {
    case KEY_STRING:
        return 0;
    case KEY_INT: {
        char *end;
        errno = 0;
        (void)strtoll(text, &end, 10);
        if (*text && !*end && errno == 0)
            return 0;
        *why = arena_printf("invalid integer '%s' for key '%s'", text, k->name);
        return -1;
    }
    case KEY_BOOL:
        if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
            return 0;
        *why = arena_printf("invalid boolean '%s' for key '%s' (expected "
                            "true or false)",
                            text, k->name);
        return -1;
    case KEY_ENUM:
        for (size_t i = 0; i < k->values.n; i++)
            if (strcmp(k->values.v[i], text) == 0)
                return 0;
        *why = arena_printf("unknown value '%s' for key '%s' (expected one "
                            "of: %s)",
                            text, k->name, enum_choices(k));
        return -1;
    }
    return -1;
}

int eng_set_key(key *k, const char *text, const char **why)
{
    if (key_check_text(k, text, why) != 0)
        return -1;
    k->given = arena_strdup(text);
    return 0;
}

const char *key_text(const key *k)
{
    return k->given ? k->given : k->def;
}

void eng_key_text_enable(bool on)
{
    text_enabled = on;
}

const char *mirage_key_text(const key *k)
{
    return text_enabled && k ? key_text(k) : NULL;
}

value *key_value(key *k)
{
    if (!k)
        return NULL;
    value *v = arena_alloc(sizeof(*v));
    v->k = k;
    return v;
}

static bool same_strs(str_list a, str_list b)
{
    if (a.n != b.n)
        return false;
    for (size_t i = 0; i < a.n; i++)
        if (strcmp(a.v[i], b.v[i]) != 0)
            return false;
    return true;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static key *define(const char *file, int line, const char *name,
                   enum key_kind kind, const char *def, const char *doc,
                   str_list values)
{
    eng_at(&file, &line);
    if (!valid_option_name(name)) {
        eng_error(file, line,
                  "invalid key name '%s' (expected lower-case "
                  "letters, digits, '-' and '_')",
                  name ? name : "(null)");
        return NULL;
    }
    if (!def) {
        eng_error(file, line, "key '%s' needs a default value", name);
        return NULL;
    }
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strcmp(reserved[i], name) == 0) {
            eng_error(file, line, "key name '%s' is reserved", name);
            return NULL;
        }
    key *old = eng_key_find(name);
    if (old) {
        if (old->kind == kind && strcmp(old->def, def) == 0 &&
            same_str(old->doc, doc) && same_strs(old->values, values))
            return old;
        eng_error(file, line, "duplicate key '%s' (first defined at %s:%d)",
                  name, old->file, old->line);
        return NULL;
    }
    key *k = arena_alloc(sizeof(*k));
    k->name = arena_strdup(name);
    k->kind = kind;
    k->def = arena_strdup(def);
    k->doc = arena_strdup(doc ? doc : "");
    k->file = file;
    k->line = line;
    const char **v = arena_alloc((values.n + 1) * sizeof(*v));
    for (size_t i = 0; i < values.n; i++) {
        if (!values.v[i] || !*values.v[i]) {
            eng_error(file, line, "key '%s' has an empty value", name);
            return NULL;
        }
        v[i] = arena_strdup(values.v[i]);
    }
    k->values = (str_list){values.n, v};
    if (kind == KEY_ENUM && values.n == 0) {
        eng_error(file, line, "enum key '%s' has no values", name);
        return NULL;
    }
    const char *why;
    if (key_check_text(k, def, &why) != 0) {
        eng_error(file, line, "bad default: %s", why);
        return NULL;
    }
    pv_push(&keys, k);
    return k;
}

key *mirage_key_string_(const char *file, int line, const char *name,
                        const char *def, const char *doc)
{
    return define(file, line, name, KEY_STRING, def, doc, (str_list){0});
}

key *mirage_key_int_(const char *file, int line, const char *name, int64_t def,
                     const char *doc)
{
    return define(file, line, name, KEY_INT, arena_printf("%" PRId64, def), doc,
                  (str_list){0});
}

key *mirage_key_bool_(const char *file, int line, const char *name, bool def,
                      const char *doc)
{
    return define(file, line, name, KEY_BOOL, def ? "true" : "false", doc,
                  (str_list){0});
}

key *mirage_key_enum_(const char *file, int line, const char *name,
                      const char *def, const char *doc, str_list values)
{
    return define(file, line, name, KEY_ENUM, def, doc, values);
}
