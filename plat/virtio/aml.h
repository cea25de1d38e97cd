/* The one thing the virtio platform reads from ACPI's AML: the sleep
 * type values of the \_S5 (soft-off) package in the DSDT, which
 * acpi.c writes to power off. Pure, tested hosted. */
#ifndef MIRAGE_PLAT_VIRTIO_AML_H
#define MIRAGE_PLAT_VIRTIO_AML_H

#include <stddef.h>
#include <stdint.h>

/* Find `Name (_S5, Package () {A, B, ...})` in aml[0..len) and set *a
 * and *b to its first two elements (each a ZeroOp, OneOp, BytePrefix
 * constant or a small inline byte). Returns 0, or -1 if there is no such
 * package or it is cut short. */
int aml_s5(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b);

#endif
