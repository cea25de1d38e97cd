/* The extension record of a Solo5-style guest (see ext.h): zero in the
 * image, filled in by a MirageC tender before the guest runs. */
#include "ext.h"

struct mirage_ext solo5_ext __attribute__((aligned(8)));
