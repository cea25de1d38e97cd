/* The application description the engine unit tests evaluate
 * (engine_app.h). */
#include "engine_app.h"

struct eng_app test_app(const char *name, impl_list jobs)
{
    return (struct eng_app){
        .name = name,
        .output = name,
        .jobs = jobs,
        .argv = default_argv(),
        .reporter = default_reporter(),
        .file = "config.c",
        .line = 1,
    };
}
