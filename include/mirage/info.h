/* app_info: what the configuration knew, available at run time. */
#ifndef MIRAGE_INFO_H
#define MIRAGE_INFO_H

#include <stddef.h>

struct mirage_info {
    const char *name;             /* the application's name */
    const char *target;           /* unix, hvt, spt, ... */
    const char *configure_args;   /* the configure command line */
    const char *const *libraries; /* NULL-terminated: linked libraries */
    const char *const *packages;  /* NULL-terminated: Debian packages */
    const char *const *keys;      /* NULL-terminated: "name=value" */
};

/* The generated main.c defines the record and connects the device. */
int mirage_info_connect_default(struct mirage_info **out);

#endif
