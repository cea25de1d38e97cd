/* <assert.h> of the freestanding libc subset. A failed assertion prints
 * "Assertion failed: EXPR (FILE:LINE: FUNC)" on the console and aborts the
 * unikernel (lib/rt/assert.c). Like every <assert.h>, this one may be
 * included again after changing NDEBUG. */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e)                                                              \
    ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef _MIRAGE_ASSERT_H
#define _MIRAGE_ASSERT_H
_Noreturn void __assert_fail(const char *expr, const char *file,
                             unsigned int line, const char *func);
#if !defined(__cplusplus) && !defined(static_assert)
#define static_assert _Static_assert
#endif
#endif
