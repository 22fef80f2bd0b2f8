/* test_style_for_the_badge.c - tests badge/style_for_the_badge.c against golden SVGs from badge-maker 6.0.0
 * (tests/badge/compare.mjs checks thousands more). */
#include "badge/style.h"

#include "tests/unit/check.h"

static const struct {
    lg_style_input_t in;
    const char *svg;
} cases[] = {
    {{"Stra\xc3\x9f\x65", "ok", "#4b0", NULL, NULL},
     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"121.25\" height=\"28\" role=\"img\" aria-label=\"S"
     "TRASSE: OK\"><title>STRASSE: OK</title><g shape-rendering=\"crispEdges\"><rect width=\"78.75\" heigh"
     "t=\"28\" fill=\"#555\"/><rect x=\"78.75\" width=\"42.5\" height=\"28\" fill=\"#4b0\"/></g><g fill=\""
     "#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" text-rendering=\""
     "geometricPrecision\" font-size=\"100\"><text transform=\"scale(.1)\" x=\"393.75\" y=\"175\" textLeng"
     "th=\"547.5\">STRASSE</text><text transform=\"scale(.1)\" x=\"1000\" y=\"175\" textLength=\"185\" fon"
     "t-weight=\"bold\">OK</text></g></svg>"},
    {{"", "", "#4b0", "#fff", "data:x"},
     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"56\" height=\"28\" role=\"img\" aria-label=\"\"><t"
     "itle></title><g shape-rendering=\"crispEdges\"><rect width=\"32\" height=\"28\" fill=\"#fff\"/><rect"
     " x=\"32\" width=\"24\" height=\"28\" fill=\"#4b0\"/></g><g fill=\"#fff\" text-anchor=\"middle\" font"
     "-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" text-rendering=\"geometricPrecision\" font-size=\""
     "100\"><image x=\"9\" y=\"7\" width=\"14\" height=\"14\" href=\"data:x\"/><text transform=\"scale(.1)"
     "\" x=\"440\" y=\"175\" textLength=\"0\" font-weight=\"bold\"></text></g></svg>"},
    {{"", "\xf0\x90\x90\xa8z", "white", NULL, "data:x"},
     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"60.75\" height=\"28\" role=\"img\" aria-label=\"\xf0"
     "\x90\x90\x80Z\"><title>\xf0\x90\x90\x80Z</title><g shape-rendering=\"crispEdges\"><rect width=\"60.7"
     "5\" height=\"28\" fill=\"white\"/></g><g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,"
     "Geneva,DejaVu Sans,sans-serif\" text-rendering=\"geometricPrecision\" font-size=\"100\"><image x=\"9"
     "\" y=\"7\" width=\"14\" height=\"14\" href=\"data:x\"/><text transform=\"scale(.1)\" x=\"403.75\" y="
     "\"175\" textLength=\"167.5\" font-weight=\"bold\" fill=\"#333\">\xf0\x90\x90\x80Z</text></g></svg>"},
};

static void
test_golden(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lg_buf_t out = LG_BUF_INIT;
        lg_style_for_the_badge(&out, &cases[i].in);
        CHECK_MSG(strcmp(lg_buf_str(&out), cases[i].svg) == 0, "case %zu:\n got  %s\n want %s", i,
                  lg_buf_str(&out), cases[i].svg);
        lg_buf_free(&out);
    }
}

int
main(void)
{
    RUN(test_golden);
    return check_report();
}
