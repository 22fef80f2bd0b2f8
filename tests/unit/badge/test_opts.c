/* test_opts.c - tests badge/opts.c: defaults, and every parameter with good and bad values. */
#include "badge/opts.h"

#include "tests/unit/check.h"

static void
test_defaults(void)
{
    lg_badge_opts_t o;
    lg_badge_opts_init(&o);
    CHECK_INT(o.style, LG_BADGE_FLAT);
    CHECK_STR(o.label, "Open in");
    CHECK_STR(o.message, "labgate");
    CHECK_STR(o.color, "#f37626");
    CHECK_STR(o.label_color, "");
    CHECK_INT(o.logo, LG_LOGO_JUPYTER);
    CHECK_INT(o.cache_seconds, 86400);
}

/* name, value, the return value, and for errors a text the message must start with */
static const struct {
    const char *name, *value;
    int rc;
    const char *err;
} cases[] = {
    {"style", "flat", 0, NULL},
    {"style", "flat-square", 0, NULL},
    {"style", "plastic", 0, NULL},
    {"style", "for-the-badge", 0, NULL},
    {"style", "social", 0, NULL},
    {"style", "Flat", -1, "style: use one of flat, flat-square, plastic, for-the-badge, social"},
    {"style", "", -1, "style: use one of"},
    {"label", "", 0, NULL},
    {"label", "<script>\"'&", 0, NULL},
    {"label", "caf\xc3\xa9 \xf0\x9f\x98\x80", 0, NULL},
    {"label", "tab\there", -1, "label: control characters are not allowed"},
    {"label", "nl\n", -1, "label: control characters are not allowed"},
    {"label", "del\x7f", -1, "label: control characters"},
    {"label", "c1\xc2\x85", -1, "label: control characters"},
    {"label", "\xef\xbf\xbf", -1, "label: control characters"}, /* U+FFFF cannot appear in XML */
    {"label", "bad\xff", -1, "label: the value is not valid UTF-8"},
    {"label", "\xed\xa0\x80", -1, "label: the value is not valid UTF-8"}, /* a surrogate */
    {"message", "", 0, NULL},
    {"color", "blue", 0, NULL},
    {"color", "ABC", 0, NULL},
    {"color", "rgba(1, 2, 3, 0.5)", 0, NULL},
    {"color", "", 0, NULL},
    {"color", "notacolor", -1, "color: use a name such as brightgreen"},
    {"color", "constructor", -1, "color: use"},
    {"labelColor", "#fff", 0, NULL},
    {"labelColor", "", 0, NULL},
    {"labelColor", "RED", -1, "labelColor: use a name such as"},
    {"logo", "jupyter", 0, NULL},
    {"logo", "none", 0, NULL},
    {"logo", "github", -1, "logo: use jupyter or none"},
    {"cacheSeconds", "0", 0, NULL},
    {"cacheSeconds", "31536000", 0, NULL},
    {"cacheSeconds", "31536001", -1, "cacheSeconds: use an integer from 0 to 31536000"},
    {"cacheSeconds", "99999999999999999999999", -1, "cacheSeconds: use an integer"},
    {"cacheSeconds", "-1", -1, "cacheSeconds: use an integer"},
    {"cacheSeconds", "1.5", -1, "cacheSeconds: use an integer"},
    {"cacheSeconds", "", -1, "cacheSeconds: use an integer"},
    {"Style", "flat", 1, NULL},
    {"label_color", "red", 1, NULL},
    {"link", "https://example.com", 1, NULL},
    {"", "", 1, NULL},
};

static void
test_set(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lg_badge_opts_t o, before;
        lg_err_t err = {LG_OK, ""};
        lg_badge_opts_init(&o);
        memcpy(&before, &o, sizeof(o));
        int rc = lg_badge_opts_set(&o, cases[i].name, strlen(cases[i].name), cases[i].value,
                                   strlen(cases[i].value), &err);
        CHECK_MSG(rc == cases[i].rc, "case %zu (%s=%s): rc %d, want %d", i, cases[i].name, cases[i].value, rc,
                  cases[i].rc);
        if (cases[i].rc == -1) {
            CHECK_MSG(strncmp(err.msg, cases[i].err, strlen(cases[i].err)) == 0, "case %zu: message \"%s\"",
                      i, err.msg);
            CHECK_INT(err.code, LG_EINVAL);
        }
        if (cases[i].rc != 0)
            CHECK_MSG(memcmp(&o, &before, sizeof(o)) == 0, "case %zu changed the options", i);
    }
}

static void
test_values(void)
{
    lg_badge_opts_t o;
    lg_err_t err;
    lg_badge_opts_init(&o);
    CHECK_INT(lg_badge_opts_set(&o, "style", 5, "social", 6, &err), 0);
    CHECK_INT(o.style, LG_BADGE_SOCIAL);
    CHECK_INT(lg_badge_opts_set(&o, "label", 5, " padded ", 8, &err), 0);
    CHECK_STR(o.label, " padded "); /* kept as given; trimmed when rendered */
    CHECK_INT(lg_badge_opts_set(&o, "color", 5, "red", 3, &err), 0);
    CHECK_STR(o.color, "red");
    CHECK_INT(lg_badge_opts_set(&o, "color", 5, "", 0, &err), 0);
    CHECK_STR(o.color, "#f37626");
    CHECK_INT(lg_badge_opts_set(&o, "labelColor", 10, "white", 5, &err), 0);
    CHECK_STR(o.label_color, "white");
    CHECK_INT(lg_badge_opts_set(&o, "labelColor", 10, "", 0, &err), 0);
    CHECK_STR(o.label_color, "");
    CHECK_INT(lg_badge_opts_set(&o, "logo", 4, "none", 4, &err), 0);
    CHECK_INT(o.logo, LG_LOGO_NONE);
    CHECK_INT(lg_badge_opts_set(&o, "cacheSeconds", 12, "0300", 4, &err), 0);
    CHECK_INT(o.cache_seconds, 300);
    CHECK_INT(lg_badge_opts_set(&o, "label", 5, "a\0b", 3, &err), -1); /* NUL inside the value */
    CHECK_INT(lg_badge_opts_set(&o, "label", 5, "x", 1, NULL), 0);     /* err may be NULL */
    CHECK_INT(lg_badge_opts_set(&o, "label", 5, "\x01", 1, NULL), -1);
}

static void
test_lengths(void)
{
    char text[LG_BADGE_TEXT_MAX + 2];
    lg_badge_opts_t o;
    lg_err_t err;

    memset(text, 'x', sizeof(text));
    lg_badge_opts_init(&o);
    CHECK_INT(lg_badge_opts_set(&o, "label", 5, text, LG_BADGE_TEXT_MAX, &err), 0);
    CHECK_INT(strlen(o.label), LG_BADGE_TEXT_MAX);
    CHECK_INT(lg_badge_opts_set(&o, "message", 7, text, LG_BADGE_TEXT_MAX, &err), 0);
    CHECK_INT(lg_badge_opts_set(&o, "label", 5, text, LG_BADGE_TEXT_MAX + 1, &err), -1);
    CHECK_STR(err.msg, "label: use at most 256 bytes of text");
    CHECK_INT(lg_badge_opts_set(&o, "message", 7, text, LG_BADGE_TEXT_MAX + 1, &err), -1);
    CHECK_STR(err.msg, "message: use at most 256 bytes of text");
}

static void
test_help_fits(void)
{
    lg_badge_opts_t o;
    lg_err_t err;
    lg_badge_opts_init(&o);
    CHECK_INT(lg_badge_opts_set(&o, "labelColor", 10, "\x01", 1, &err), -1);
    CHECK_MSG(strlen(err.msg) < sizeof(err.msg) - 1, "truncated: %s", err.msg);
    CHECK(strstr(err.msg, "at most 64 bytes") != NULL);
}

static void
test_style_names(void)
{
    CHECK_STR(lg_badge_style_name(LG_BADGE_FLAT), "flat");
    CHECK_STR(lg_badge_style_name(LG_BADGE_FLAT_SQUARE), "flat-square");
    CHECK_STR(lg_badge_style_name(LG_BADGE_FOR_THE_BADGE), "for-the-badge");
    CHECK_STR(lg_badge_style_name(LG_BADGE_SOCIAL), "social");
}

int
main(void)
{
    RUN(test_defaults);
    RUN(test_set);
    RUN(test_values);
    RUN(test_lengths);
    RUN(test_help_fits);
    RUN(test_style_names);
    return check_report();
}
