/* opts.c - badge parameters: one table row per query parameter, with its setter and its help. */
#include "opts.h"

#include "core/unicode.h"
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_COLOR "#f37626"

static const char *const style_names[] = {
    [LG_BADGE_FLAT] = "flat",       [LG_BADGE_FLAT_SQUARE] = "flat-square",
    [LG_BADGE_PLASTIC] = "plastic", [LG_BADGE_FOR_THE_BADGE] = "for-the-badge",
    [LG_BADGE_SOCIAL] = "social",
};

void
lg_badge_opts_init(lg_badge_opts_t *o)
{
    memset(o, 0, sizeof(*o));
    o->style = LG_BADGE_FLAT;
    snprintf(o->label, sizeof(o->label), "%s", "Open in");
    snprintf(o->message, sizeof(o->message), "%s", "labgate");
    snprintf(o->color, sizeof(o->color), "%s", DEFAULT_COLOR);
    o->logo = LG_LOGO_JUPYTER;
    o->cache_seconds = 86400;
}

const char *
lg_badge_style_name(lg_badge_style_t style)
{
    if ((size_t)style >= sizeof(style_names) / sizeof(style_names[0]))
        return "flat";
    return style_names[style];
}

int
lg_badge_text_ok(const char *s, size_t n)
{
    size_t pos = 0;
    while (pos < n) {
        int32_t cp = lg_utf8_next(s, n, &pos);
        if (cp < 0 || lg_unicode_is_control(cp) || cp == 0xFFFE || cp == 0xFFFF)
            return 0;
    }
    return 1;
}

static int
set_style(lg_badge_opts_t *o, const char *v, size_t n)
{
    for (size_t i = 0; i < sizeof(style_names) / sizeof(style_names[0]); i++) {
        if (strlen(style_names[i]) == n && memcmp(style_names[i], v, n) == 0) {
            o->style = (lg_badge_style_t)i;
            return 0;
        }
    }
    return -1;
}

static int
set_text(char *dst, size_t cap, const char *v, size_t n)
{
    if (n >= cap)
        return -1;
    memcpy(dst, v, n);
    dst[n] = '\0';
    return 0;
}

static int
set_label(lg_badge_opts_t *o, const char *v, size_t n)
{
    return set_text(o->label, sizeof(o->label), v, n);
}

static int
set_message(lg_badge_opts_t *o, const char *v, size_t n)
{
    return set_text(o->message, sizeof(o->message), v, n);
}

static int
set_color(lg_badge_opts_t *o, const char *v, size_t n)
{
    char svg[LG_COLOR_MAX + 1];
    if (n == 0)
        return set_text(o->color, sizeof(o->color), DEFAULT_COLOR, strlen(DEFAULT_COLOR));
    if (lg_color_to_svg(svg, sizeof(svg), v, n) != 0)
        return -1;
    return set_text(o->color, sizeof(o->color), v, n);
}

static int
set_label_color(lg_badge_opts_t *o, const char *v, size_t n)
{
    char svg[LG_COLOR_MAX + 1];
    if (n > 0 && lg_color_to_svg(svg, sizeof(svg), v, n) != 0)
        return -1;
    return set_text(o->label_color, sizeof(o->label_color), v, n);
}

static int
set_logo(lg_badge_opts_t *o, const char *v, size_t n)
{
    return lg_logo_from_name(v, n, &o->logo);
}

static int
set_cache_seconds(lg_badge_opts_t *o, const char *v, size_t n)
{
    uint32_t seconds = 0;
    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        seconds = seconds * 10 + (uint32_t)(v[i] - '0');
        if (seconds > LG_BADGE_CACHE_MAX)
            return -1;
    }
    o->cache_seconds = seconds;
    return 0;
}

#define COLOR_HELP                                                                                           \
    "use a name such as brightgreen, green, yellow, orange, red, blue, grey, lightgrey or success, 3 or 6 "  \
    "hex digits, or a CSS colour: #hex, rgb(), rgba(), hsl(), hsla() or a keyword; at most 64 bytes"

static const struct {
    const char *name;
    int (*set)(lg_badge_opts_t *o, const char *v, size_t n);
    const char *help;
} params[] = {
    {"style", set_style, "use one of flat, flat-square, plastic, for-the-badge, social"},
    {"label", set_label, "use at most 256 bytes of text"},
    {"message", set_message, "use at most 256 bytes of text"},
    {"color", set_color, COLOR_HELP},
    {"labelColor", set_label_color, COLOR_HELP},
    {"logo", set_logo, "use jupyter or none"},
    {"cacheSeconds", set_cache_seconds, "use an integer from 0 to 31536000"},
};

int
lg_badge_opts_set(lg_badge_opts_t *o, const char *name, size_t name_len, const char *value, size_t value_len,
                  lg_err_t *err)
{
    for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
        if (strlen(params[i].name) != name_len || memcmp(params[i].name, name, name_len) != 0)
            continue;
        if (!lg_utf8_valid(value, value_len))
            return lg_err_set(err, LG_EINVAL, "%s: the value is not valid UTF-8; %s", params[i].name,
                              params[i].help);
        if (!lg_badge_text_ok(value, value_len))
            return lg_err_set(err, LG_EINVAL, "%s: control characters are not allowed; %s", params[i].name,
                              params[i].help);
        if (params[i].set(o, value, value_len) != 0)
            return lg_err_set(err, LG_EINVAL, "%s: %s", params[i].name, params[i].help);
        return 0;
    }
    return 1;
}
