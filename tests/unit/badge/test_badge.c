/* test_badge.c - tests badge/badge.c: options through to SVG, escaping of hostile text, robustness. */
#include "badge/badge.h"

#include "core/utf8.h"
#include "tests/unit/check.h"

#include <stdlib.h>

static char *
render(const lg_badge_opts_t *o)
{
    lg_buf_t out = LG_BUF_INIT;
    lg_badge_render(&out, o);
    return lg_buf_detach(&out);
}

static void
set(lg_badge_opts_t *o, const char *name, const char *value)
{
    lg_err_t err;
    int rc = lg_badge_opts_set(o, name, strlen(name), value, strlen(value), &err);
    CHECK_MSG(rc == 0, "%s=%s: %s", name, value, err.msg);
}

static void
test_default(void)
{
    static const char head[] =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"121\" height=\"20\" role=\"img\" "
        "aria-label=\"Open in: labgate\"><title>Open in: labgate</title>";
    lg_badge_opts_t o;
    lg_buf_t logo = LG_BUF_INIT;
    lg_badge_opts_init(&o);
    char *svg = render(&o);

    lg_logo_data_uri(&logo, LG_LOGO_JUPYTER, 0);
    CHECK(strncmp(svg, head, strlen(head)) == 0);
    CHECK(strstr(svg, "<rect width=\"70\" height=\"20\" fill=\"#555\"/>") != NULL);
    CHECK(strstr(svg, "<rect x=\"70\" width=\"51\" height=\"20\" fill=\"#f37626\"/>") != NULL);
    CHECK(strstr(svg, lg_buf_str(&logo)) != NULL);
    CHECK(strcmp(svg + strlen(svg) - 6, "</svg>") == 0);
    free(svg);
    lg_buf_free(&logo);
}

static void
test_hostile_text(void)
{
    static const char *const styles[] = {"flat", "flat-square", "plastic", "for-the-badge", "social"};
    for (size_t i = 0; i < sizeof(styles) / sizeof(styles[0]); i++) {
        lg_badge_opts_t o;
        lg_badge_opts_init(&o);
        set(&o, "style", styles[i]);
        set(&o, "label", "<script>alert(\"x\")</script>");
        set(&o, "message", "' onload='x' & \"");
        char *svg = render(&o);
        CHECK_MSG(strstr(svg, "<script") == NULL && strstr(svg, "<SCRIPT") == NULL, "%s", styles[i]);
        CHECK_MSG(strstr(svg, "' onload") == NULL && strstr(svg, "\" &") == NULL, "%s", styles[i]);
        CHECK_MSG(strstr(svg, "lt;/script&gt;") != NULL || strstr(svg, "lt;/SCRIPT&gt;") != NULL, "%s",
                  styles[i]);
        CHECK(lg_utf8_valid(svg, strlen(svg)));
        free(svg);
    }
}

static void
test_trim_and_styles(void)
{
    lg_badge_opts_t o;
    lg_badge_opts_init(&o);
    set(&o, "label", " \xc2\xa0 build \xe3\x80\x80");
    set(&o, "message", "stra\xc3\x9f\x65");
    set(&o, "logo", "none");
    set(&o, "style", "for-the-badge");
    char *svg = render(&o);
    CHECK(strstr(svg, "aria-label=\"BUILD: STRASSE\"") != NULL);
    free(svg);

    set(&o, "style", "social");
    svg = render(&o);
    CHECK(strstr(svg, "aria-label=\"Build: stra\xc3\x9f\x65\"") != NULL);
    free(svg);
}

static void
test_unvalidated_fields(void)
{
    lg_badge_opts_t o;
    lg_badge_opts_init(&o);
    /* written directly, bypassing lg_badge_opts_set: no NUL terminator, invalid UTF-8, bad colours */
    memset(o.label, 'x', sizeof(o.label));
    memcpy(o.message, "bad\xff\x01", 6);
    memcpy(o.color, "notacolor", 10);
    memcpy(o.label_color, "RED", 4);
    o.style = (lg_badge_style_t)42;
    o.logo = LG_LOGO_NONE;
    char *svg = render(&o);
    CHECK(strncmp(svg, "<svg ", 5) == 0);
    CHECK(strstr(svg, "fill=\"#4b0\"") != NULL); /* badge-maker's own default colour */
    CHECK(strstr(svg, "bad") == NULL);           /* the invalid message is left out */
    CHECK(lg_utf8_valid(svg, strlen(svg)));
    free(svg);
}

int
main(void)
{
    RUN(test_default);
    RUN(test_hostile_text);
    RUN(test_trim_and_styles);
    RUN(test_unvalidated_fields);
    return check_report();
}
