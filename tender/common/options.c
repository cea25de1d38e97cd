/* The solo5-tender command line: options, the image, and the guest's
 * arguments joined into its command line. */
#include <stdlib.h>
#include <string.h>

#include "tender.h"

#ifndef MIRAGE_VERSION
#error "MIRAGE_VERSION must be defined by the build"
#endif
const char tender_version[] = MIRAGE_VERSION;

#define MEM_MAX_MIB (1u << 20)
#define SECTOR_MAX  32768

void tender_usage(FILE *out)
{
    fprintf(out,
            "usage: %s [OPTIONS] [--] IMAGE [ARGS...]\n"
            "Runs the Solo5-style unikernel IMAGE; ARGS, joined by spaces,\n"
            "become its command line. Every device the image's manifest\n"
            "declares must be attached, and nothing else.\n"
            "\n"
            "options:\n"
            "  --mem=MIB                        guest memory in MiB "
            "(default 512)\n"
            "  --net:NAME=IFACE                 attach the network device "
            "NAME to\n"
            "                                   the existing tap "
            "interface IFACE\n"
            "  --net:NAME=@FD                   ... to the open tap "
            "descriptor FD\n"
            "  --net-mac:NAME=xx:xx:xx:xx:xx:xx its MAC address "
            "(default: random,\n"
            "                                   locally administered)\n"
            "  --block:NAME=PATH                attach the block device "
            "NAME to the\n"
            "                                   file PATH (opened "
            "read-write)\n"
            "  --block-sector-size:NAME=N       its sector size: a power "
            "of two,\n"
            "                                   512 to 32768 (default "
            "512); the file's\n"
            "                                   size must be a multiple "
            "of it\n"
            "  --dumpcore=DIR                   (mirage-hvt) when the guest "
            "faults or\n"
            "                                   aborts, write an ELF core "
            "file for gdb\n"
            "                                   into DIR\n"
            "  --help                           print this help and exit\n"
            "  --version                        print the version and "
            "exit\n"
            "\n"
            "The exit status is the guest's, or 1 when the tender refuses "
            "to run it.\n",
            tender_name);
}

/* A decimal number in [min, max]; no sign, no spaces, no trailing junk. */
static bool parse_num(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > max / 10)
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
        if (lo < 0 || s[2] != (i == 5 ? '\0' : ':'))
            return false;
        mac[i] = (uint8_t)(hi << 4 | lo);
        s += 3;
    }
    return true;
}

/* The entry for the device named by [name, name + n), created if new. */
static struct tender_dev_opt *device(struct tender_opts *o, const char *name,
                                     size_t n)
{
    for (unsigned i = 0; i < o->ndev; i++)
        if (strlen(o->dev[i].name) == n && memcmp(o->dev[i].name, name, n) == 0)
            return &o->dev[i];
    if (o->ndev == SOLO5_MFT_MAX_ENTRIES)
        return NULL;
    struct tender_dev_opt *d = &o->dev[o->ndev++];
    memcpy(d->name, name, n);
    d->name[n] = '\0';
    return d;
}

/* One device option "--KIND:NAME=VALUE" with the part after "--KIND:" in
 * arg. */
static int device_option(struct tender_opts *o, const char *opt,
                         const char *arg, char *err)
{
    const char *eq = strchr(arg, '=');
    if (!eq || !tender_mft_name_valid(arg, (size_t)(eq - arg)))
        return tender_errf(err,
                           "%s: expected %s:NAME=VALUE with NAME of 1 "
                           "to 67 letters and digits",
                           opt, opt);
    const char *val = eq + 1;
    struct tender_dev_opt *d = device(o, arg, (size_t)(eq - arg));
    if (!d)
        return tender_errf(err, "%s: too many devices", opt);
    if (strcmp(opt, "--net") == 0 || strcmp(opt, "--block") == 0) {
        enum tender_dev_kind k =
            opt[2] == 'n' ? TENDER_DEV_NET : TENDER_DEV_BLOCK;
        if (d->kind != TENDER_DEV_UNSET)
            return tender_errf(err, "%s:%s: device '%s' given twice", opt,
                               d->name, d->name);
        if (*val == '\0')
            return tender_errf(err, "%s:%s: empty value", opt, d->name);
        d->kind = k;
        d->backend = val;
    } else if (strcmp(opt, "--net-mac") == 0) {
        if (d->has_mac || !parse_mac(val, d->mac))
            return tender_errf(err,
                               "%s:%s: expected one MAC address "
                               "xx:xx:xx:xx:xx:xx",
                               opt, d->name);
        d->has_mac = true;
    } else {
        uint64_t n;
        if (d->sector_size || !parse_num(val, 512, SECTOR_MAX, &n) ||
            (n & (n - 1)) != 0)
            return tender_errf(err,
                               "%s:%s: expected one power of two from "
                               "512 to %u",
                               opt, d->name, SECTOR_MAX);
        d->sector_size = n;
    }
    return 0;
}

static int join_args(struct tender_opts *o, int argc, char **argv, char *err)
{
    size_t len = 0;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]);
        /* This argument, a separator or the final NUL. */
        if (n + 1 > sizeof o->cmdline - len)
            return tender_errf(err,
                               "command line too long (at most %zu "
                               "bytes)",
                               sizeof o->cmdline - 1);
        memcpy(o->cmdline + len, argv[i], n);
        len += n;
        o->cmdline[len++] = i + 1 < argc ? ' ' : '\0';
    }
    if (argc == 0)
        o->cmdline[0] = '\0';
    return 0;
}

enum tender_opts_result tender_opts_parse(int argc, char **argv,
                                          struct tender_opts *o, char *err)
{
    static const char *const dev_opts[] = {"--net", "--net-mac", "--block",
                                           "--block-sector-size"};
    memset(o, 0, sizeof *o);
    o->mem_size = TENDER_MEM_DEFAULT;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (strncmp(a, "--", 2) != 0)
            break;
        if (strcmp(a, "--help") == 0)
            return TENDER_OPTS_HELP;
        if (strcmp(a, "--version") == 0)
            return TENDER_OPTS_VERSION;
        if (strncmp(a, "--mem=", 6) == 0) {
            uint64_t mib;
            if (!parse_num(a + 6, 1, MEM_MAX_MIB, &mib)) {
                tender_errf(err, "--mem: expected a size in MiB from 1 to %u",
                            MEM_MAX_MIB);
                return TENDER_OPTS_ERROR;
            }
            o->mem_size = mib << 20;
            continue;
        }
        if (strncmp(a, "--dumpcore=", 11) == 0) {
            if (a[11] == '\0' || o->dumpcore) {
                tender_errf(err, "--dumpcore: expected one directory");
                return TENDER_OPTS_ERROR;
            }
            o->dumpcore = a + 11;
            continue;
        }
        const char *colon = strchr(a, ':');
        size_t k = colon ? (size_t)(colon - a) : 0;
        unsigned d = 0;
        while (d < 4 &&
               !(strlen(dev_opts[d]) == k && strncmp(a, dev_opts[d], k) == 0))
            d++;
        if (d == 4) {
            tender_errf(err, "unknown option %s (try --help)", a);
            return TENDER_OPTS_ERROR;
        }
        if (device_option(o, dev_opts[d], colon + 1, err) < 0)
            return TENDER_OPTS_ERROR;
    }
    if (i >= argc) {
        tender_errf(err, "no image given (try --help)");
        return TENDER_OPTS_ERROR;
    }
    o->image = argv[i];
    if (join_args(o, argc - i - 1, argv + i + 1, err) < 0)
        return TENDER_OPTS_ERROR;
    return TENDER_OPTS_RUN;
}

void tender_opts_get(int argc, char **argv, struct tender_opts *opts,
                     const char *help_more)
{
    char err[TENDER_ERR_SIZE];
    switch (tender_opts_parse(argc, argv, opts, err)) {
    case TENDER_OPTS_ERROR:
        tender_die("%s", err);
    case TENDER_OPTS_HELP:
        tender_usage(stdout);
        if (help_more != NULL)
            fputs(help_more, stdout);
        exit(0);
    case TENDER_OPTS_VERSION:
        printf("%s %s\n", tender_name, tender_version);
        exit(0);
    case TENDER_OPTS_RUN:
        break;
    }
}
