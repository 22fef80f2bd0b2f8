/* test_text.c - tests badge/text.c and the generated case_map.c: JavaScript trim, length, upper case. */
#include "badge/text.h"

#include "tests/unit/check.h"

static void
test_trim(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"", ""},
        {"   ", ""},
        {"  a b  ", "a b"},
        {"\t\n\v\f\ra\r\n", "a"},
        {"\xc2\xa0x\xe3\x80\x80", "x"},                             /* U+00A0, U+3000 */
        {"\xef\xbb\xbfx\xe2\x80\xa8\xe2\x80\xa9", "x"},             /* U+FEFF, U+2028, U+2029 */
        {"\xe1\xa0\x8ex\xe1\xa0\x8e", "\xe1\xa0\x8ex\xe1\xa0\x8e"}, /* U+180E is not white space any more */
        {"\xc2\x85x", "\xc2\x85x"},                                 /* nor is U+0085 */
        {"\xe2\x80\x8bx", "\xe2\x80\x8bx"},                         /* nor U+200B */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *s = cases[i].in;
        size_t n = strlen(s);
        lg_text_trim(&s, &n);
        CHECK_MSG(n == strlen(cases[i].out) && memcmp(s, cases[i].out, n) == 0, "case %zu", i);
    }
}

static void
test_utf16_len(void)
{
    CHECK_INT(lg_text_utf16_len("", 0), 0);
    CHECK_INT(lg_text_utf16_len("abc", 3), 3);
    CHECK_INT(lg_text_utf16_len("\xc3\xa9\xe2\x82\xac", 5), 2);
    CHECK_INT(lg_text_utf16_len("\xf0\x9f\x98\x80x", 5), 3); /* an emoji is two UTF-16 units */
}

static void
test_upper(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"", ""},
        {"Open in", "OPEN IN"},
        {"stra\xc3\x9f\x65", "STRASSE"},          /* straße: ß -> SS */
        {"\xef\xac\x81", "FI"},                   /* ﬁ ligature */
        {"\xc3\xbf\xc2\xb5", "\xc5\xb8\xce\x9c"}, /* ÿ -> Ÿ, µ -> Μ */
        {"\xc5\x89", "\xca\xbcN"},                /* ŉ -> ʼN */
        {"\xc7\x86", "\xc7\x84"},                 /* ǆ -> Ǆ */
        {"\xcf\x82\xcf\x83", "\xce\xa3\xce\xa3"}, /* ς σ -> Σ Σ */
        {"\xce\x90", "\xce\x99\xcc\x88\xcc\x81"}, /* ΐ -> Ϊ́ as three code points */
        {"\xd5\xa5\xd6\x82\xd6\x87", "\xd4\xb5\xd5\x92\xd4\xb5\xd5\x92"}, /* Armenian, with և */
        {"\xf0\x90\x90\xa8", "\xf0\x90\x90\x80"},                         /* Deseret, above U+FFFF */
        {"\xe4\xb8\xad 1!", "\xe4\xb8\xad 1!"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lg_buf_t out = LG_BUF_INIT;
        lg_text_upper(&out, cases[i].in, strlen(cases[i].in));
        CHECK_MSG(strcmp(lg_buf_str(&out), cases[i].out) == 0, "case %zu: %s", i, lg_buf_str(&out));
        lg_buf_free(&out);
    }
}

static void
test_capitalize(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"", ""},
        {"open in", "Open in"},
        {"\xc3\x9f\x61", "SSa"},
        {"\xc7\x86x", "\xc7\x84x"},                       /* upper case, not title case, like JavaScript */
        {"\xf0\x90\x90\xa8\x61", "\xf0\x90\x90\xa8\x61"}, /* charAt(0) is half a surrogate pair: unchanged */
        {"1abc", "1abc"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lg_buf_t out = LG_BUF_INIT;
        lg_text_capitalize(&out, cases[i].in, strlen(cases[i].in));
        CHECK_MSG(strcmp(lg_buf_str(&out), cases[i].out) == 0, "case %zu: %s", i, lg_buf_str(&out));
        lg_buf_free(&out);
    }
}

int
main(void)
{
    RUN(test_trim);
    RUN(test_utf16_len);
    RUN(test_upper);
    RUN(test_capitalize);
    return check_report();
}
