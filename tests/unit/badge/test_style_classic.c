/* test_style_classic.c - tests badge/style_classic.c against golden SVGs from badge-maker 6.0.0
 * (tests/badge/compare.mjs checks thousands more). */
#include "badge/style.h"

#include "tests/unit/check.h"

static const struct {
    lg_style_input_t in;
    lg_badge_style_t style;
    const char *svg;
} cases[] = {
    {{"build", "passing", "#4b0", NULL, NULL},
     LG_BADGE_FLAT,
     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"88\" height=\"20\" role=\"img\" aria-label=\"build"
     ": passing\"><title>build: passing</title><filter id=\"blur\"><feGaussianBlur stdDeviation=\"16\"/></"
     "filter><linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" stop-opa"
     "city=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient><clipPath id=\"r\"><rect width"
     "=\"88\" height=\"20\" rx=\"3\"/></clipPath><g clip-path=\"url(#r)\"><rect width=\"37\" height=\"20\""
     " fill=\"#555\"/><rect x=\"37\" width=\"51\" height=\"20\" fill=\"#4b0\"/><rect width=\"88\" height=\""
     "20\" fill=\"url(#s)\"/></g><g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,Deja"
     "Vu Sans,sans-serif\" text-rendering=\"geometricPrecision\" font-size=\"110\"><g transform=\"scale(.1"
     ")\"><g aria-hidden=\"true\" fill=\"#010101\"><text x=\"195\" y=\"150\" fill-opacity=\".8\" filter=\""
     "url(#blur)\" textLength=\"270\">build</text><text x=\"195\" y=\"150\" fill-opacity=\".3\" textLength"
     "=\"270\">build</text></g><text x=\"195\" y=\"140\" textLength=\"270\">build</text></g><g transform=\""
     "scale(.1)\"><g aria-hidden=\"true\" fill=\"#010101\"><text x=\"615\" y=\"150\" fill-opacity=\".8\" f"
     "ilter=\"url(#blur)\" textLength=\"410\">passing</text><text x=\"615\" y=\"150\" fill-opacity=\".3\" "
     "textLength=\"410\">passing</text></g><text x=\"615\" y=\"140\" textLength=\"410\">passing</text></g>"
     "</g></svg>"},
    {{"a\"<b", "m", "#d8b800", "white", NULL},
     LG_BADGE_FLAT_SQUARE,
     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"58\" height=\"20\" role=\"img\" aria-label=\"a&quo"
     "t;&lt;b: m\"><title>a&quot;&lt;b: m</title><g shape-rendering=\"crispEdges\"><rect width=\"37\" heig"
     "ht=\"20\" fill=\"white\"/><rect x=\"37\" width=\"21\" height=\"20\" fill=\"#d8b800\"/></g><g fill=\""
     "#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" text-rendering=\""
     "geometricPrecision\" font-size=\"110\"><text x=\"195\" y=\"140\" textLength=\"270\" transform=\"scal"
     "e(.1)\" fill=\"#333\">a&quot;&lt;b</text><text x=\"465\" y=\"140\" textLength=\"110\" transform=\"sc"
     "ale(.1)\">m</text></g></svg>"},
    {{"", "msg", "#007ec6", NULL, "data:x"},
     LG_BADGE_PLASTIC,
     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"51\" height=\"18\" role=\"img\" aria-label=\"msg\""
     "><title>msg</title><filter id=\"blur\"><feGaussianBlur stdDeviation=\"16\"/></filter><linearGradient"
     " id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#fff\" stop-opacity=\".7\"/><stop off"
     "set=\".1\" stop-color=\"#aaa\" stop-opacity=\".1\"/><stop offset=\".9\" stop-color=\"#000\" stop-opa"
     "city=\".3\"/><stop offset=\"1\" stop-color=\"#000\" stop-opacity=\".5\"/></linearGradient><clipPath "
     "id=\"r\"><rect width=\"51\" height=\"18\" rx=\"4\"/></clipPath><g clip-path=\"url(#r)\"><rect width="
     "\"0\" height=\"18\" fill=\"#555\"/><rect x=\"0\" width=\"51\" height=\"18\" fill=\"#007ec6\"/><rect "
     "width=\"51\" height=\"18\" fill=\"url(#s)\"/></g><g fill=\"#fff\" text-anchor=\"middle\" font-family"
     "=\"Verdana,Geneva,DejaVu Sans,sans-serif\" text-rendering=\"geometricPrecision\" font-size=\"110\"><"
     "image x=\"5\" y=\"2\" width=\"14\" height=\"14\" href=\"data:x\"/><g transform=\"scale(.1)\"><g aria"
     "-hidden=\"true\" fill=\"#010101\"><text x=\"345\" y=\"140\" fill-opacity=\".8\" filter=\"url(#blur)\""
     " textLength=\"230\">msg</text><text x=\"345\" y=\"140\" fill-opacity=\".3\" textLength=\"230\">msg</"
     "text></g><text x=\"345\" y=\"130\" textLength=\"230\">msg</text></g></g></svg>"},
    {{"", "", "#4b0", "#fff", "data:x"},
     LG_BADGE_FLAT,
     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"35\" height=\"20\" role=\"img\" aria-label=\"\"><t"
     "itle></title><filter id=\"blur\"><feGaussianBlur stdDeviation=\"16\"/></filter><linearGradient id=\""
     "s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\""
     "1\" stop-opacity=\".1\"/></linearGradient><clipPath id=\"r\"><rect width=\"35\" height=\"20\" rx=\"3"
     "\"/></clipPath><g clip-path=\"url(#r)\"><rect width=\"24\" height=\"20\" fill=\"#fff\"/><rect x=\"24"
     "\" width=\"11\" height=\"20\" fill=\"#4b0\"/><rect width=\"35\" height=\"20\" fill=\"url(#s)\"/></g>"
     "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" text-r"
     "endering=\"geometricPrecision\" font-size=\"110\"><image x=\"5\" y=\"3\" width=\"14\" height=\"14\" "
     "href=\"data:x\"/></g></svg>"},
};

static void
test_golden(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lg_buf_t out = LG_BUF_INIT;
        lg_style_classic(&out, cases[i].style, &cases[i].in);
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
