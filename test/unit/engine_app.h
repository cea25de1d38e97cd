/* The application description the engine unit tests evaluate. */
#ifndef TEST_ENGINE_APP_H
#define TEST_ENGINE_APP_H

#include "../../tool/engine.h"

/* An application named name (also its output name) running jobs, with
 * the default argv and reporter, declared at config.c line 1. name is
 * borrowed, not copied. */
struct eng_app test_app(const char *name, impl_list jobs);

#endif
