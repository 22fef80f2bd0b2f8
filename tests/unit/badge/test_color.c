/* test_color.c - tests badge/color.c: badge-maker's colour resolution and text colour choice. */
#include "badge/color.h"

#include "tests/unit/check.h"

/* Expected values are badge-maker's toSvgColor(s), NULL where it returns undefined (we refuse those). */
static const struct {
    const char *s;
    const char *svg;
} cases[] = {
    {"brightgreen", "#4b0"},
    {"lightgrey", "#939393"},
    {"gray", "#555"},
    {"success", "#4b0"},
    {"critical", "#dd4343"},
    {"informational", "#007ec6"},
    {"red", "#dd4343"}, /* shields' red wins over CSS red */
    {"abc", "#abc"},
    {"ABCDEF", "#abcdef"},
    {"f37626", "#f37626"},
    {"#ABC", "#abc"},
    {"#f37626", "#f37626"},
    {"white", "white"},
    {"rgb(1,2,3)", "rgb(1,2,3)"},
    {"hsl(120, 50%, 50%)", "hsl(120, 50%, 50%)"},
    {" white ", " white "}, /* accepted after trimming, but kept as given */
    {"#ABCD", "#abcd"},
    {"09afAF", "#09afaf"}, /* every kind of hex digit */
    {"abg", NULL},
    {"12345g", NULL},
    {"", NULL},
    {"abcd", NULL},
    {"RED", NULL},
    {"Green", NULL},
    {"notacolor", NULL},
    {"#ggg", NULL},
    {"rgb(1,2)", NULL},
    {"constructor", NULL}, /* on Object.prototype: badge-maker writes fill="undefined" */
    {"toString", NULL},
    {"__proto__", NULL},
    {"rgb(0000000000000000000000000000000000000000000000000000000001,0,0)", NULL}, /* 67 bytes: too long */
};

static void
test_to_svg(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[LG_COLOR_MAX + 1] = "";
        int rc = lg_color_to_svg(out, sizeof(out), cases[i].s, strlen(cases[i].s));
        if (cases[i].svg == NULL)
            CHECK_MSG(rc == -1, "case %zu (%s) accepted as %s", i, cases[i].s, out);
        else
            CHECK_MSG(rc == 0 && strcmp(out, cases[i].svg) == 0, "case %zu (%s): rc %d, %s", i, cases[i].s,
                      rc, out);
    }
}

static void
test_is_light(void)
{
    /* badge-maker's brightness(): > 0.69 after rounding to 2 decimals means dark text */
    static const struct {
        const char *svg;
        int light;
    } light_cases[] = {
        {"#4b0", 0},
        {"#555", 0},
        {"#f37626", 0},
        {"#d8b800", 0}, /* 0.68 */
        {"#bbb", 1},    /* 0.73 */
        {"#fff", 1},
        {"white", 1},
        {"yellow", 1},           /* CSS yellow: brightness() sees the SVG colour */
        {"rgb(177,177,177)", 0}, /* 0.694 -> 0.69 */
        {"rgb(178,178,178)", 1}, /* 0.698 -> 0.70 */
        {"rgb(12,249,241)", 0},  /* exactly 0.695, which is just below it as a double -> 0.69 */
        {" white", 0},           /* not parsed untrimmed: brightness 0 */
        {"", 0},
    };
    for (size_t i = 0; i < sizeof(light_cases) / sizeof(light_cases[0]); i++)
        CHECK_MSG(lg_color_is_light(light_cases[i].svg) == light_cases[i].light, "case %zu (%s)", i,
                  light_cases[i].svg);
}

int
main(void)
{
    RUN(test_to_svg);
    RUN(test_is_light);
    return check_report();
}
