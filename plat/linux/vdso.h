/* Symbol lookup in the Linux vDSO, for the platforms that run as Linux
 * processes without a libc (the kernel maps the vDSO into every process
 * and passes its address in the auxiliary vector, AT_SYSINFO_EHDR). */
#ifndef MIRAGE_PLAT_LINUX_VDSO_H
#define MIRAGE_PLAT_LINUX_VDSO_H

/* The address of the function `name` exported by the vDSO whose ELF header
 * is at `ehdr`, or NULL when ehdr is NULL, is not a 64-bit ELF image with
 * a symbol hash table, or does not export name. Reads memory only. */
void *linux_vdso_lookup(const void *ehdr, const char *name);

#endif
