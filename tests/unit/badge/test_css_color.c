/* test_css_color.c - tests badge/css_color.c against css-color-converter 2.0.0's fromString, quirks included.
 */
#include "badge/css_color.h"

#include "tests/unit/check.h"

#define NONE -1

/* Expected channels are fromString(s).toRgbaArray() printed by node; NONE where it returns null. */
static const struct {
    const char *s;
    int r, g, b;
} cases[] = {
    {"red", 255, 0, 0},
    {"rebeccapurple", 102, 51, 153},
    {"#abc", 170, 187, 204},
    {"#ABCDEF", 171, 205, 239},
    {"#abcd", 170, 187, 204},
    {"#aabbccdd", 170, 187, 204},
    {"rgb(1,2,3)", 1, 2, 3},
    {"rgba(1, 2, 3, 0.5)", 1, 2, 3},
    {"rgb( 1,2,3 )", 1, 2, 3},
    {"rgb(1 ,2 ,3)", 1, 2, 3},
    {"rgb(\xc2\xa0\x31,2,3\xe2\x80\xa8)", 1, 2, 3}, /* \s is Unicode white space */
    {"rgb(100% 0% 50% / 50%)", 255, 0, 127},
    {"rgb(50%,50%,50%)", 127, 127, 127},
    {"rgb(300,0,0)", 255, 0, 0},
    {"rgb(99999999999999999999,0,0)", 255, 0, 0},
    {"rgb(1000000000000000000000,0,0)", 1, 0, 0},    /* String(1e21) is "1e+21", parseInt of that is 1 */
    {"rgb(1000000000000000000000%,0%,0%)", 2, 0, 0}, /* 2.55e+21 */
    {"hsl(120, 50%, 50%)", 63, 191, 63},
    {"hsl(2rad, 100%, 25%)", 11, 127, 0},
    {"hsl(200grad,10%,90%)", 226, 232, 232},
    {"hsl(1turn, 20%, 80%)", 214, 193, 193},
    {"hsl(7200deg, 99%, 1%)", 5, 0, 0}, /* the hue wraps around */
    {"hsl(3rad,100%,50%)", 0, 255, 220},
    {"hsl(10,500%,50%)", 255, 0, 0},
    {"hsl(60,100%,50%)", 255, 255, 0},
    {"hsla(180, 100%, 50%, .5)", 0, 255, 255},
    {"RED", NONE, 0, 0},
    {"RGB(1,2,3)", NONE, 0, 0},
    {"rgb(1,2)", NONE, 0, 0},
    {"rgb(1.5,0,0)", NONE, 0, 0},
    {"rgb(1,2,3,4)", NONE, 0, 0},
    {"rgb(1, 2 3)", NONE, 0, 0},
    {"rgb(1,2,3)x", NONE, 0, 0},
    {"hsl(1.5turn,1%,1%)", NONE, 0, 0},
    {"hsl(1,1,1)", NONE, 0, 0},
    {" red", NONE, 0, 0},
    {"transparent", NONE, 0, 0},
    {"#ab", NONE, 0, 0},
    {"#abcdefg", NONE, 0, 0},
    {"", NONE, 0, 0},
    {"constructor", NONE, 0, 0},
};

static void
test_parse(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double rgb[3] = {-1, -1, -1};
        int rc = lg_css_color_parse(cases[i].s, strlen(cases[i].s), rgb);
        if (cases[i].r == NONE) {
            CHECK_MSG(rc == -1, "case %zu (%s) parsed", i, cases[i].s);
            continue;
        }
        CHECK_MSG(rc == 0 && rgb[0] == cases[i].r && rgb[1] == cases[i].g && rgb[2] == cases[i].b,
                  "case %zu (%s): rc %d, %g %g %g", i, cases[i].s, rc, rgb[0], rgb[1], rgb[2]);
    }
}

int
main(void)
{
    RUN(test_parse);
    return check_report();
}
