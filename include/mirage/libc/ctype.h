/* <ctype.h> of the freestanding libc subset: ASCII only, no locales
 * (lib/rt/ctype.c). Arguments are an unsigned char value or EOF; bytes
 * above 0x7f belong to no class. */
#ifndef _MIRAGE_CTYPE_H
#define _MIRAGE_CTYPE_H

int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);

#endif
