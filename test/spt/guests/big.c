/* The shared test guest too big for 2 MiB (test/tender/big_guest.c). */
#include "../../tender/big_guest.c"
