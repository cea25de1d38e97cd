/* The Solo5 manifest of the TLS real-peer test unikernel on spt: the
 * network device "service" and the block device "storage" (the
 * credentials archive). */
#include <mirage/solo5.h>

SOLO5_MANIFEST(2, SOLO5_MFT_NET("service"), SOLO5_MFT_BLOCK("storage"));
