/* The \_S5 package in AML (see aml.h). */
#include "aml.h"

#define NAME_OP     0x08
#define PACKAGE_OP  0x12
#define ZERO_OP     0x00
#define ONE_OP      0x01
#define BYTE_PREFIX 0x0a

/* One package element at *p (below end): its value, advancing *p; -1 if
 * it is not a small constant. */
static int element(const uint8_t **p, const uint8_t *end)
{
    if (*p >= end)
        return -1;
    uint8_t op = *(*p)++;
    if (op == BYTE_PREFIX) {
        if (*p >= end)
            return -1;
        return *(*p)++;
    }
    if (op == ZERO_OP || op == ONE_OP)
        return op;
    return -1;
}

int aml_s5(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
    const uint8_t *end = aml + len;
    for (size_t i = 1; i + 4 < len; i++) {
        const uint8_t *n = aml + i;
        if (n[0] != '_' || n[1] != 'S' || n[2] != '5' || n[3] != '_')
            continue;
        /* NameOp, optionally the root prefix, then the name. */
        if (!(n[-1] == NAME_OP ||
              (n[-1] == '\\' && i >= 2 && n[-2] == NAME_OP)))
            continue;
        const uint8_t *p = n + 4;
        if (p >= end || *p++ != PACKAGE_OP || p >= end)
            continue;
        unsigned follow = *p >> 6; /* PkgLength's extra bytes */
        p += 1 + follow;
        if (p >= end)
            return -1;
        p++; /* NumElements */
        int x = element(&p, end), y = element(&p, end);
        if (x < 0 || y < 0)
            return -1;
        *a = (uint8_t)x;
        *b = (uint8_t)y;
        return 0;
    }
    return -1;
}
