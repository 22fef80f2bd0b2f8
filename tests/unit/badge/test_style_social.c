/* test_style_social.c - tests badge/style_social.c against golden SVGs from badge-maker 6.0.0
 * (tests/badge/compare.mjs checks thousands more). */
#include "badge/style.h"

#include "tests/unit/check.h"

static const struct {
    lg_style_input_t in;
    const char *svg;
} cases[] = {
    {{"\xc7\x86x", "", "#4b0", NULL, NULL},
     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"20\" role=\"img\" aria-label=\"\xc7\x84"
     "x: \"><title>\xc7\x84x: </title><style>a:hover #llink{fill:url(#b);stroke:#ccc}a:hover #rlink{fill:#"
     "4183c4}</style><linearGradient id=\"a\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#fcfcfc"
     "\" stop-opacity=\"0\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient><linearGradient id=\""
     "b\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#ccc\" stop-opacity=\".1\"/><stop offset=\""
     "1\" stop-opacity=\".1\"/></linearGradient><g stroke=\"#d5d5d5\"><rect stroke=\"none\" fill=\"#fcfcfc"
     "\" x=\".5\" y=\".5\" width=\"29\" height=\"19\" rx=\"2\"/></g><g aria-hidden=\"true\" fill=\"#333\" "
     "text-anchor=\"middle\" font-family=\"Helvetica Neue,Helvetica,Arial,sans-serif\" text-rendering=\"ge"
     "ometricPrecision\" font-weight=\"700\" font-size=\"110px\" line-height=\"14px\"><rect id=\"llink\" s"
     "troke=\"#d5d5d5\" fill=\"url(#a)\" x=\".5\" y=\".5\" width=\"29\" height=\"19\" rx=\"2\"/><text aria"
     "-hidden=\"true\" x=\"145\" y=\"150\" fill=\"#fff\" transform=\"scale(.1)\" textLength=\"190\">\xc7\x84"
     "x</text><text x=\"145\" y=\"140\" transform=\"scale(.1)\" textLength=\"190\">\xc7\x84x</text></g></s"
     "vg>"},
    {{"\xf0\x90\x90\xa8\x61", "42", "#4b0", NULL, "data:x"},
     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"72\" height=\"20\" role=\"img\" aria-label=\"\xf0\x90"
     "\x90\xa8"
     "a: 42\"><title>\xf0\x90\x90\xa8"
     "a: 42</title><style>a:hover #llink{fill:url(#b);stroke:#ccc}a:hover #rlink{fill:#4183c4}</style><lin"
     "earGradient id=\"a\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#fcfcfc\" stop-opacity=\"0"
     "\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient><linearGradient id=\"b\" x2=\"0\" y2=\""
     "100%\"><stop offset=\"0\" stop-color=\"#ccc\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\""
     ".1\"/></linearGradient><g stroke=\"#d5d5d5\"><rect stroke=\"none\" fill=\"#fcfcfc\" x=\".5\" y=\".5\""
     " width=\"44\" height=\"19\" rx=\"2\"/><rect x=\"50.5\" y=\".5\" width=\"21\" height=\"19\" rx=\"2\" "
     "fill=\"#fafafa\"/><rect x=\"50\" y=\"7.5\" width=\".5\" height=\"5\" stroke=\"#fafafa\"/><path d=\"M"
     "50.5 6.5 l-3 3v1 l3 3\" fill=\"#fafafa\"/></g><image x=\"5\" y=\"3\" width=\"14\" height=\"14\" href"
     "=\"data:x\"/><g aria-hidden=\"true\" fill=\"#333\" text-anchor=\"middle\" font-family=\"Helvetica Ne"
     "ue,Helvetica,Arial,sans-serif\" text-rendering=\"geometricPrecision\" font-weight=\"700\" font-size="
     "\"110px\" line-height=\"14px\"><rect id=\"llink\" stroke=\"#d5d5d5\" fill=\"url(#a)\" x=\".5\" y=\"."
     "5\" width=\"44\" height=\"19\" rx=\"2\"/><text aria-hidden=\"true\" x=\"305\" y=\"150\" fill=\"#fff\""
     " transform=\"scale(.1)\" textLength=\"170\">\xf0\x90\x90\xa8"
     "a</text><text x=\"305\" y=\"140\" transform=\"scale(.1)\" textLength=\"170\">\xf0\x90\x90\xa8"
     "a</text><text aria-hidden=\"true\" x=\"605\" y=\"150\" fill=\"#fff\" transform=\"scale(.1)\" textLen"
     "gth=\"130\">42</text><text id=\"rlink\" x=\"605\" y=\"140\" transform=\"scale(.1)\" textLength=\"130"
     "\">42</text></g></svg>"},
};

static void
test_golden(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lg_buf_t out = LG_BUF_INIT;
        lg_style_social(&out, &cases[i].in);
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
