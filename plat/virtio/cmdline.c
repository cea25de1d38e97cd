/* The platform's command-line words (see cmdline.h). */
#include "cmdline.h"
#include "../solo5/cmdline.h"

#define MMIO_PREFIX  "virtio_mmio.device="
#define NET_PREFIX   "virtio.net:"
#define BLOCK_PREFIX "virtio.block:"

static char copy[SOLO5_CMDLINE_SIZE];
static char *words[SOLO5_CMDLINE_SIZE / 2 + 1];

static const char *after(const char *s, const char *prefix)
{
    for (; *prefix; prefix++, s++)
        if (*s != *prefix)
            return NULL;
    return s;
}

/* A number at *s (decimal, or hex after 0x), advancing *s; with suffixes,
 * K, M or G multiply it. false if there is none or it overflows. */
static bool number(const char **s, bool suffixes, uint64_t *v)
{
    const char *p = *s;
    unsigned base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    uint64_t n = 0;
    const char *start = p;
    for (;; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9')
            d = (unsigned)(*p - '0');
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            d = (unsigned)(*p - 'a' + 10);
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            d = (unsigned)(*p - 'A' + 10);
        else
            break;
        if (n > (UINT64_MAX - d) / base)
            return false;
        n = n * base + d;
    }
    if (p == start)
        return false;
    if (suffixes) {
        unsigned shift = 0;
        switch (*p) {
        case 'K':
        case 'k':
            shift = 10;
            break;
        case 'M':
        case 'm':
            shift = 20;
            break;
        case 'G':
        case 'g':
            shift = 30;
            break;
        }
        if (shift) {
            if (n > UINT64_MAX >> shift)
                return false;
            n <<= shift;
            p++;
        }
    }
    *s = p;
    *v = n;
    return true;
}

static int take_mmio(const char *s, struct virtio_args *a, const char **why)
{
    uint64_t size, base, irq, id;
    if (!number(&s, true, &size) || *s++ != '@' || !number(&s, false, &base) ||
        *s++ != ':' || !number(&s, false, &irq) ||
        (*s == ':' && (s++, !number(&s, false, &id))) || *s != '\0') {
        *why = "expected SIZE@BASE:IRQ[:ID]";
        return -1;
    }
    if (size == 0 || base + size < base || irq > UINT32_MAX) {
        *why = "the size, base or IRQ is out of range";
        return -1;
    }
    if (a->nmmio == VIRTIO_MMIO_MAX) {
        *why = "too many virtio-mmio devices";
        return -1;
    }
    a->mmio[a->nmmio++] = (struct virtio_mmio_arg){base, size, (uint32_t)irq};
    return 0;
}

static int take_map(const char *s, uint32_t type, struct virtio_args *a,
                    const char **why)
{
    struct virtio_map_arg m = {.type = type};
    size_t n = 0;
    while (s[n] != '\0' && s[n] != '=') {
        if (n == SOLO5_MFT_NAME_SIZE - 1) {
            *why = "the device name is too long";
            return -1;
        }
        m.name[n] = s[n];
        n++;
    }
    uint64_t index;
    const char *p = s + n + 1;
    if (n == 0 || s[n] != '=' || !number(&p, false, &index) || *p != '\0' ||
        index > UINT32_MAX) {
        *why = "expected NAME=N (N: the device's index, 0 the first)";
        return -1;
    }
    for (unsigned i = 0; i < a->nmap; i++) {
        const char *o = a->map[i].name;
        size_t j = 0;
        while (o[j] == m.name[j] && o[j] != '\0')
            j++;
        if (a->map[i].type == type && o[j] == m.name[j]) {
            *why = "the device is given twice";
            return -1;
        }
    }
    if (a->nmap == VIRTIO_MAP_MAX) {
        *why = "too many device assignments";
        return -1;
    }
    m.index = (uint32_t)index;
    a->map[a->nmap++] = m;
    return 0;
}

/* Append w single-quoted (' as '\'') and a blank to out; false if it does
 * not fit. */
static bool append_quoted(char *out, size_t size, size_t *len, const char *w)
{
    size_t n = *len;
    if (n + 1 >= size)
        return false;
    out[n++] = '\'';
    for (; *w; w++) {
        const char *piece = *w == '\'' ? "'\\''" : NULL;
        char one[2] = {*w, '\0'};
        for (const char *p = piece ? piece : one; *p; p++) {
            if (n + 1 >= size)
                return false;
            out[n++] = *p;
        }
    }
    if (n + 2 >= size)
        return false;
    out[n++] = '\'';
    out[n++] = ' ';
    out[n] = '\0';
    *len = n;
    return true;
}

static bool looks_like_image(const char *w)
{
    if (w[0] == '-')
        return false;
    for (; *w; w++)
        if (*w == '=')
            return false;
    return true;
}

int virtio_cmdline_take(const char *line, bool image_first,
                        struct virtio_args *a, char *rest, size_t rest_size,
                        const char **word, const char **why)
{
    static char bad[SOLO5_CMDLINE_SIZE];
    size_t n = 0;
    while (n < sizeof copy - 1 && line[n] != '\0') {
        copy[n] = line[n];
        n++;
    }
    copy[n] = '\0';
    a->nmmio = a->nmap = 0;
    int count =
        solo5_cmdline_split(copy, words, (int)(sizeof words / sizeof words[0]));
    if (count < 0) {
        size_t i = 0;
        for (; i + 1 < rest_size && line[i] != '\0'; i++)
            rest[i] = line[i];
        rest[i] = '\0';
        return 1;
    }
    size_t len = 0;
    rest[0] = '\0';
    for (int i = 0; i < count; i++) {
        const char *w = words[i], *v;
        int r = 0;
        if (i == 0 && image_first && looks_like_image(w))
            continue;
        if ((v = after(w, MMIO_PREFIX)))
            r = take_mmio(v, a, why);
        else if ((v = after(w, NET_PREFIX)))
            r = take_map(v, SOLO5_MFT_DEV_NET_BASIC, a, why);
        else if ((v = after(w, BLOCK_PREFIX)))
            r = take_map(v, SOLO5_MFT_DEV_BLOCK_BASIC, a, why);
        else if (!append_quoted(rest, rest_size, &len, w)) {
            *why = "the command line is too long";
            r = -1;
        }
        if (r < 0) {
            size_t j = 0;
            for (; w[j] != '\0' && j < sizeof bad - 1; j++)
                bad[j] = w[j];
            bad[j] = '\0';
            *word = bad;
            return -1;
        }
    }
    return 0;
}
