/* noop: a unikernel whose only job does nothing. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    return mirage_register(argc, argv, "noop", jobs(noop()));
}
