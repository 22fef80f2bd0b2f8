/* test_font_width.c - tests badge/font_width.c and its generated tables against anafanafo's results. */
#include "badge/font_width.h"

#include "tests/unit/check.h"

/* Expected values are anafanafo(s, {font}) printed by node: exact doubles, summation order included. */
static const struct {
    lg_font_t font;
    const char *s;
    double width;
} cases[] = {
    {LG_FONT_VERDANA_11, "", 0},
    {LG_FONT_VERDANA_11, "m", 10.7},
    {LG_FONT_VERDANA_11, "Open in", 42.870000000000005},
    {LG_FONT_VERDANA_11, "labgate", 40.81999999999999},
    {LG_FONT_VERDANA_11, "WWWWWWWWWW", 108.79999999999998},
    {LG_FONT_VERDANA_11, "caf\xc3\xa9", 22.76},
    {LG_FONT_VERDANA_11, "\xe4\xb8\xad\xe6\x96\x87", 22}, /* CJK */
    {LG_FONT_VERDANA_11, "\xf0\x9f\x98\x80", 10.7},       /* emoji: not in the table, counts as "m" */
    {LG_FONT_VERDANA_11, "\xf3\xa0\x81\xbf", 10.7},       /* U+E007F, past the table's end */
    {LG_FONT_VERDANA_11, "a\x01\x62", 13.46},             /* control characters are 0 wide */
    {LG_FONT_VERDANA_10, "Open in", 38.98},
    {LG_FONT_VERDANA_10, "OPEN IN", 42.91},
    {LG_FONT_VERDANA_10, "WWWWWWWWWW", 98.9},
    {LG_FONT_VERDANA_10, "\xf0\x9f\x98\x80", 9.73},
    {LG_FONT_VERDANA_10_BOLD, "OPEN IN", 48.480000000000004},
    {LG_FONT_VERDANA_10_BOLD, "caf\xc3\xa9", 23.419999999999998},
    {LG_FONT_VERDANA_10_BOLD, "\xcd\xb8", 10}, /* unassigned U+0378 has a width */
    {LG_FONT_HELVETICA_11_BOLD, "Open in", 40.53},
    {LG_FONT_HELVETICA_11_BOLD, "labgate", 39.08},
    {LG_FONT_HELVETICA_11_BOLD, "\xcd\xb8", 5.5},
    {LG_FONT_HELVETICA_11_BOLD, "\xf0\x9f\x98\x80", 9.97},
};

static void
test_widths(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double w = lg_font_width(cases[i].font, cases[i].s, strlen(cases[i].s));
        CHECK_MSG(w == cases[i].width, "case %zu: %.17g, want %.17g", i, w, cases[i].width);
    }
}

static void
test_char_widths(void)
{
    CHECK(lg_font_char_width(LG_FONT_VERDANA_11, 0x00) == 0.0);
    CHECK(lg_font_char_width(LG_FONT_VERDANA_11, 0x1F) == 0.0);
    CHECK(lg_font_char_width(LG_FONT_VERDANA_11, 0x7F) == 0.0);
    CHECK(lg_font_char_width(LG_FONT_VERDANA_11, ' ') == 3.87);
    CHECK(lg_font_char_width(LG_FONT_VERDANA_11, '0') == 6.99);
    CHECK(lg_font_char_width(LG_FONT_VERDANA_11, '9') == 6.99);
    CHECK(lg_font_char_width(LG_FONT_VERDANA_11, 0x1F600) < 0);
    CHECK(lg_font_char_width(LG_FONT_VERDANA_11, 0x10FFFF) < 0);
    CHECK(lg_font_char_width(LG_FONT_HELVETICA_11_BOLD, 'm') == 9.97);
}

static void
test_names(void)
{
    CHECK_STR(lg_font_name(LG_FONT_VERDANA_11), "verdana-11px-normal");
    CHECK_STR(lg_font_name(LG_FONT_VERDANA_10), "verdana-10px-normal");
    CHECK_STR(lg_font_name(LG_FONT_VERDANA_10_BOLD), "verdana-10px-bold");
    CHECK_STR(lg_font_name(LG_FONT_HELVETICA_11_BOLD), "helvetica-11px-bold");
}

int
main(void)
{
    RUN(test_widths);
    RUN(test_char_widths);
    RUN(test_names);
    return check_report();
}
