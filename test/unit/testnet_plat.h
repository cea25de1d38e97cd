/* The platform of the network tests (testnet_plat.c): set
 * testnet_plat_net to the test network before running the scheduler. */
#ifndef MIRAGE_TEST_TESTNET_PLAT_H
#define MIRAGE_TEST_TESTNET_PLAT_H

#include "../../lib/testnet/testnet.h"

extern struct testnet *testnet_plat_net;
/* Everything written to the console since the last clear. */
const char *testnet_plat_console(void);
void testnet_plat_console_clear(void);

#endif
