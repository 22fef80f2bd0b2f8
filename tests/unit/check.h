/* check.h - the unit-test harness: CHECK macros that count failures, and a runner for main().
 * A test file defines `static void test_x(void)` functions and ends with
 *     int main(void) { RUN(test_x); ...; return check_report(); }  */
#ifndef LG_CHECK_H
#define LG_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed, check_total;

#define CHECK(cond)                                                                                          \
    do {                                                                                                     \
        check_total++;                                                                                       \
        if (!(cond)) {                                                                                       \
            check_failed++;                                                                                  \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);                         \
        }                                                                                                    \
    } while (0)

#define CHECK_MSG(cond, ...)                                                                                 \
    do {                                                                                                     \
        check_total++;                                                                                       \
        if (!(cond)) {                                                                                       \
            check_failed++;                                                                                  \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond);                         \
            fprintf(stderr, __VA_ARGS__);                                                                    \
            fputc('\n', stderr);                                                                             \
        }                                                                                                    \
    } while (0)

#define CHECK_STR(got, want)                                                                                 \
    do {                                                                                                     \
        const char *got_ = (got), *want_ = (want);                                                           \
        check_total++;                                                                                       \
        if (got_ == NULL || want_ == NULL ? got_ != want_ : strcmp(got_, want_) != 0) {                      \
            check_failed++;                                                                                  \
            fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got,                  \
                    got_ ? got_ : "(null)", want_ ? want_ : "(null)");                                       \
        }                                                                                                    \
    } while (0)

#define CHECK_INT(got, want)                                                                                 \
    do {                                                                                                     \
        long long got_ = (long long)(got), want_ = (long long)(want);                                        \
        check_total++;                                                                                       \
        if (got_ != want_) {                                                                                 \
            check_failed++;                                                                                  \
            fprintf(stderr, "%s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__, #got, got_, want_);        \
        }                                                                                                    \
    } while (0)

#define RUN(fn) fn()

static inline int
check_report(void)
{
    fprintf(stderr, "%d of %d checks failed\n", check_failed, check_total);
    return check_failed == 0 && check_total > 0 ? 0 : 1;
}

#endif
