/* test_svg.c - tests badge/svg.c: JavaScript number formatting, and the template writer with its xml.js
 * escaping. */
#include "badge/svg.h"

#include "tests/unit/check.h"

static void
test_num(void)
{
    static const struct {
        double v;
        const char *s;
    } cases[] = {
        {0, "0"},
        {-0.0, "0"},
        {1, "1"},
        {-3, "-3"},
        {104, "104"},
        {0.5, "0.5"},
        {158.5, "158.5"},
        {51.75, "51.75"},
        {543.75, "543.75"},
        {1336.25, "1336.25"},
        {0.1, "0.1"},
        {12.375, "12.375"},
        {1e20, "100000000000000000000"},
        {0.3 - 0.1, "0.19999999999999998"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lg_buf_t out = LG_BUF_INIT;
        lg_svg_num(&out, cases[i].v);
        CHECK_STR(lg_buf_str(&out), cases[i].s);
        lg_buf_free(&out);
    }
}

static void
test_text(void)
{
    lg_buf_t out = LG_BUF_INIT;
    const char *hostile = "<script>alert(\"x\" & 'y')</script>";
    lg_svg_fmt(&out, "<text>%s</text>", hostile);
    CHECK_STR(lg_buf_str(&out),
              "<text>&lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)&lt;/script&gt;</text>");
    lg_buf_free(&out);
}

static void
test_fmt(void)
{
    lg_buf_t out = LG_BUF_INIT;
    lg_svg_fmt(&out, "<rect width=\"%f\" fill=\"%s\" y2=\"100%\" pct=\"%%\"/>", 12.5, "a\"b");
    CHECK_STR(lg_buf_str(&out), "<rect width=\"12.5\" fill=\"a&quot;b\" y2=\"100%\" pct=\"%\"/>");
    lg_buf_free(&out);
}

int
main(void)
{
    RUN(test_num);
    RUN(test_text);
    RUN(test_fmt);
    return check_report();
}
