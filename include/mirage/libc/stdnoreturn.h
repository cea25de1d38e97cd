/* Freestanding <stdnoreturn.h>. */
#ifndef _MIRAGE_STDNORETURN_H
#define _MIRAGE_STDNORETURN_H
#define noreturn _Noreturn
#endif
