/* test_style.c - tests badge/style.c: the shared <svg> opening and badge-maker's preferredWidthOf. */
#include "badge/style.h"

#include "tests/unit/check.h"

static void
test_open(void)
{
    lg_buf_t out = LG_BUF_INIT;
    lg_style_open(&out, 104, 20, "Open in", "labgate");
    CHECK_STR(lg_buf_str(&out),
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"104\" height=\"20\" role=\"img\" "
              "aria-label=\"Open in: labgate\"><title>Open in: labgate</title>");
    lg_buf_reset(&out);
    lg_style_open(&out, 51.75, 28, "", "<b>");
    CHECK_STR(lg_buf_str(&out),
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"51.75\" height=\"28\" role=\"img\" "
              "aria-label=\"&lt;b&gt;\"><title>&lt;b&gt;</title>");
    lg_buf_reset(&out);
    lg_style_open(&out, 34, 20, "lbl", "");
    CHECK(strstr(lg_buf_str(&out), "aria-label=\"lbl: \"><title>lbl: </title>") != NULL);
    lg_buf_free(&out);
}

static void
test_preferred_width(void)
{
    CHECK(lg_style_preferred_width(LG_FONT_VERDANA_11, "") == 1);         /* 0 is even */
    CHECK(lg_style_preferred_width(LG_FONT_VERDANA_11, "Open in") == 43); /* 42.87 -> 42 -> 43 */
    CHECK(lg_style_preferred_width(LG_FONT_VERDANA_11, "labgate") == 41); /* 40.82 -> 40 -> 41 */
    CHECK(lg_style_preferred_width(LG_FONT_VERDANA_11, "m") == 11);       /* 10.7 -> 10 -> 11 */
    CHECK(lg_style_preferred_width(LG_FONT_HELVETICA_11_BOLD, "labgate") == 39);
}

int
main(void)
{
    RUN(test_open);
    RUN(test_preferred_width);
    return check_report();
}
