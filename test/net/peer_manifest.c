/* The Solo5 manifest of the real-peer test unikernel on hvt and spt: one
 * network device, "service". */
#include <mirage/solo5.h>

SOLO5_MANIFEST(1, SOLO5_MFT_NET("service"));
