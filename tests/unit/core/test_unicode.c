/* test_unicode.c - tests core/unicode.c: control and hidden code points, and the text that shows them. */
#include "core/unicode.h"

#include "core/utf8.h"
#include "tests/unit/check.h"

static void
test_control(void)
{
    static const int32_t yes[] = {0x00, 0x09, 0x0A, 0x1F, 0x7F, 0x80, 0x85, 0x9F};
    static const int32_t no[] = {-1, 0x20, 'a', 0x7E, 0xA0, 0xAD, 0x202E, 0xFEFF, 0x10FFFF};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        CHECK_MSG(lg_unicode_is_control(yes[i]), "U+%04X", (unsigned)yes[i]);
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        CHECK_MSG(!lg_unicode_is_control(no[i]), "U+%04X", (unsigned)no[i]);
}

/* clang-format off */
static const int32_t hidden[] = {
    0x0000, 0x000A, 0x001F, 0x007F, 0x0080, 0x0085, 0x009F,  /* Cc */
    0x00AD, 0x0600, 0x0605, 0x061C, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x180E, /* Cf */
    0x200B, 0x200C, 0x200D, 0x200E, 0x200F,                  /* zero width, LRM, RLM */
    0x2028, 0x2029,                                          /* Zl, Zp */
    0x202A, 0x202B, 0x202C, 0x202D, 0x202E,                  /* LRE RLE PDF LRO RLO */
    0x2060, 0x2064, 0x2065, 0x2066, 0x2067, 0x2068, 0x2069, 0x206F, /* isolates, invisible operators */
    0xFEFF, 0xFFF9, 0xFFFB,                                  /* BOM, interlinear annotation */
    0x110BD, 0x110CD, 0x13430, 0x1343F, 0x1BCA0, 0x1BCA3, 0x1D173, 0x1D17A, /* Cf beyond the BMP */
    0xE0001, 0xE0020, 0xE0041, 0xE007F,                      /* tags */
    0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180F, 0x3164, 0xFFA0, /* default ignorable */
    0xFE00, 0xFE0F, 0xE0100, 0xE01EF, 0xE0FFF,               /* variation selectors */
    0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFE, 0x10FFFF,       /* noncharacters */
};
static const int32_t shown[] = {
    -1, 0x110000, ' ', '!', 'A', 'z', '~', '\\',
    0x00A0, 0x00A1, 0x00AC, 0x00AE, 0x00E9,                  /* NBSP and neighbours of SHY */
    0x0300, 0x034E, 0x0350, 0x05D0, 0x0606, 0x0627, 0x061B, 0x061D, /* marks, Hebrew, Arabic */
    0x1160 + 1, 0x115E, 0x180A, 0x1810, 0x17B3, 0x17B6,
    0x2000, 0x200A, 0x2010, 0x2027, 0x202F, 0x205F, 0x2070, 0x20AC, /* spaces and punctuation show */
    0x3000, 0x3163, 0x3165, 0x4E2D, 0xFDCF, 0xFDF0, 0xFDFF, 0xFE10, 0xFEFE, 0xFF21, 0xFF9F, 0xFFA1,
    0xFFEF, 0xFFFC, 0xFFFD, 0x10000, 0x110BC, 0x110BE, 0x1342F, 0x13440, 0x1BC9F, 0x1BCA4,
    0x1D172, 0x1D17B, 0x1F4D3, 0x1F600, 0xDFFFD, 0xE1000, 0xF0000, 0x10FFFD,
};
/* clang-format on */

static void
test_hidden(void)
{
    for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
        CHECK_MSG(lg_unicode_is_hidden(hidden[i]), "U+%04X should be hidden", (unsigned)hidden[i]);
    for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
        CHECK_MSG(!lg_unicode_is_hidden(shown[i]), "U+%04X should show", (unsigned)shown[i]);
    /* every control is hidden */
    for (int32_t cp = 0; cp < 0xA0; cp++)
        if (lg_unicode_is_control(cp))
            CHECK_MSG(lg_unicode_is_hidden(cp), "U+%04X", (unsigned)cp);
}

static void
test_has_control(void)
{
    CHECK_INT(lg_unicode_has_control("", 0), 0);
    CHECK_INT(lg_unicode_has_control("caf\xc3\xa9 \xe2\x80\xae", 9), 0); /* hidden, but not a control */
    CHECK_INT(lg_unicode_has_control("a\x01", 2), 1);
    CHECK_INT(lg_unicode_has_control("a\x7f", 2), 1);
    CHECK_INT(lg_unicode_has_control("a\xc2\x85", 3), 1); /* NEL */
    CHECK_INT(lg_unicode_has_control("\xc2\x80", 2), 1);
    CHECK_INT(lg_unicode_has_control("\xc2\x9f", 2), 1);
    CHECK_INT(lg_unicode_has_control("\xc2\xa0", 2), 0); /* NBSP */
    CHECK_INT(lg_unicode_has_control("\x85", 1), 0);     /* not UTF-8: skipped */
    CHECK_INT(lg_unicode_has_control("a\0", 2), 1);      /* the length counts, not a NUL */
    CHECK_INT(lg_unicode_has_control("a\x01", 1), 0);
}

/* Runs lg_unicode_escape_next over s and joins what it writes, or the raw characters. */
static void
show(char *dst, size_t cap, const char *s, size_t n)
{
    size_t used = 0, pos = 0;
    while (pos < n) {
        size_t at = pos;
        char esc[LG_UNICODE_ESCAPE_MAX];
        size_t len = lg_unicode_escape_next(esc, s, n, &pos);
        CHECK(pos > at);
        CHECK(len == 0 || len == strlen(esc));
        const char *src = len ? esc : s + at;
        size_t k = len ? len : pos - at;
        if (used + k >= cap)
            break;
        memcpy(dst + used, src, k);
        used += k;
    }
    dst[used] = '\0';
}

static void
test_escape_next(void)
{
    /* clang-format off */
    static const struct {
        const char *in;
        size_t len; /* 0: strlen(in) */
        const char *want;
    } cases[] = {
        {"plain.ipynb", 0, "plain.ipynb"},
        {"caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x93\x93", 0, "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x93\x93"},
        {"x\xe2\x80\xae" "bnypi.exe", 0, "x\\u202Ebnypi.exe"},
        {"a\xe2\x80\x8b" "b\xef\xbb\xbf", 0, "a\\u200Bb\\uFEFF"},
        {"\xe2\x81\xa6" "x\xe2\x81\xa9", 0, "\\u2066x\\u2069"},
        {"nel\xc2\x85", 0, "nel\\u0085"},
        {"tab\tnl\n", 0, "tab\\u0009nl\\u000A"},
        {"nul\0x", 5, "nul\\u0000x"},
        {"del\x7f", 0, "del\\u007F"},
        {"tag\xf3\xa0\x81\x81", 0, "tag\\U000E0041"},
        {"bad\xff\xc0\xaf", 0, "bad\\xFF\\xC0\\xAF"},
        {"cut\xe6\x97", 0, "cut\\xE6\\x97"},
        {"back\\slash", 0, "back\\\\slash"},
        {"\\u202E", 0, "\\\\u202E"}, /* a literal escape cannot pass for a real one */
        {"<&\"'>", 0, "<&\"'>"},    /* markup is not this function's business */
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char got[128];
        show(got, sizeof(got), cases[i].in, cases[i].len ? cases[i].len : strlen(cases[i].in));
        CHECK_STR(got, cases[i].want);
        CHECK_MSG(lg_utf8_valid(got, strlen(got)), "row %zu", i);
    }
}

int
main(void)
{
    RUN(test_control);
    RUN(test_hidden);
    RUN(test_has_control);
    RUN(test_escape_next);
    return check_report();
}
