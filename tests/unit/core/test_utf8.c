/* test_utf8.c - tests core/utf8.c: strict validation, decoding and encoding. */
#include "core/utf8.h"

#include "tests/unit/check.h"

static const struct {
    const char *s;
    size_t n;
    int valid;
} cases[] = {
    {"", 0, 1},
    {"plain ascii", 11, 1},
    {"caf\xc3\xa9", 5, 1},
    {"\xe2\x82\xac", 3, 1},     /* euro sign */
    {"\xf0\x9f\x98\x80", 4, 1}, /* emoji */
    {"\xf4\x8f\xbf\xbf", 4, 1}, /* U+10FFFF */
    {"a\0b", 3, 1},             /* NUL is valid UTF-8; callers refuse it */
    {"\xc3", 1, 0},             /* truncated */
    {"\xe2\x82", 2, 0},         /* truncated */
    {"\xc0\xaf", 2, 0},         /* overlong '/' */
    {"\xe0\x80\xaf", 3, 0},     /* overlong '/' */
    {"\xf0\x80\x80\xaf", 4, 0}, /* overlong '/' */
    {"\xed\xa0\x80", 3, 0},     /* surrogate */
    {"\xf4\x90\x80\x80", 4, 0}, /* past U+10FFFF */
    {"\xff", 1, 0},
    {"\x80", 1, 0},                 /* lone continuation */
    {"\xf8\x88\x80\x80\x80", 5, 0}, /* 5-byte form */
    {"ok\xc3\xa9\xc3", 5, 0},
};

static void
test_valid(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK_MSG(lg_utf8_valid(cases[i].s, cases[i].n) == cases[i].valid, "case %zu", i);
}

static void
test_roundtrip(void)
{
    static const uint32_t cps[] = {0x24, 0xA2, 0x939, 0x20AC, 0xD55C, 0x10348, 0x10FFFF};
    for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
        char enc[4];
        size_t n = lg_utf8_encode(cps[i], enc), pos = 0;
        CHECK(n > 0);
        CHECK_INT(lg_utf8_next(enc, n, &pos), cps[i]);
        CHECK_INT(pos, n);
    }
    char enc[4];
    CHECK_INT(lg_utf8_encode(0xD800, enc), 0);
    CHECK_INT(lg_utf8_encode(0x110000, enc), 0);
}

int
main(void)
{
    RUN(test_valid);
    RUN(test_roundtrip);
    return check_report();
}
