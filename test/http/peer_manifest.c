/* The Solo5 manifest of the HTTP real-peer test unikernel on spt and hvt:
 * the network device "service" and the block device "storage" holding
 * the site's tar archive. */
#include <mirage/solo5.h>

SOLO5_MANIFEST(2, SOLO5_MFT_NET("service"), SOLO5_MFT_BLOCK("storage"));
