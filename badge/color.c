/* color.c - shields' named colours, hex shorthand and CSS colours; brightness for the text colour. */
#include "color.h"

#include "css_color.h"
#include "text.h"

#include "core/urlenc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name, *svg;
} named[] = {
    {"brightgreen", "#4b0"},
    {"green", "#67ac09"},
    {"yellow", "#d8b800"},
    {"yellowgreen", "#95991a"},
    {"orange", "#ea7233"},
    {"red", "#dd4343"},
    {"blue", "#007ec6"},
    {"grey", "#555"},
    {"lightgrey", "#939393"},
    /* aliases */
    {"gray", "#555"},
    {"lightgray", "#939393"},
    {"critical", "#dd4343"},
    {"important", "#ea7233"},
    {"success", "#4b0"},
    {"informational", "#007ec6"},
    {"inactive", "#939393"},
};

/* /^([\da-f]{3}){1,2}$/i */
static int
is_hex_shorthand(const char *s, size_t n)
{
    if (n != 3 && n != 6)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (lg_hex_value(s[i]) < 0)
            return 0;
    }
    return 1;
}

static void
copy_lower(char *out, const char *prefix, const char *s, size_t n)
{
    size_t plen = strlen(prefix);
    memcpy(out, prefix, plen);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        out[plen + i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[plen + n] = '\0';
}

int
lg_color_to_svg(char *out, size_t cap, const char *s, size_t n)
{
    double rgb[3];

    if (n == 0 || n > LG_COLOR_MAX || cap < LG_COLOR_MAX + 1)
        return -1;
    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
        if (strlen(named[i].name) == n && memcmp(named[i].name, s, n) == 0) {
            snprintf(out, cap, "%s", named[i].svg);
            return 0;
        }
    }
    if (is_hex_shorthand(s, n)) {
        copy_lower(out, "#", s, n);
        return 0;
    }
    const char *core = s;
    size_t core_len = n;
    lg_text_trim(&core, &core_len);
    if (lg_css_color_parse(core, core_len, rgb) == 0) {
        /* only ASCII letters can change: white space has no case, and the rest of a colour is ASCII */
        copy_lower(out, "", s, n);
        return 0;
    }
    return -1;
}

int
lg_color_is_light(const char *svg)
{
    double rgb[3];
    char fixed[32];

    if (svg[0] == '\0' || lg_css_color_parse(svg, strlen(svg), rgb) != 0)
        return 0;
    double brightness = (rgb[0] * 299 + rgb[1] * 587 + rgb[2] * 114) / 255000;
    if (isnan(brightness))
        return 1; /* NaN <= 0.69 is false in JavaScript too */
    /* +x.toFixed(2) <= 0.69; "%.2f" rounds the exact binary value like toFixed, and differs only on
     * exact ties (x.xx5 representable in binary), of which there is none near 0.695 */
    snprintf(fixed, sizeof(fixed), "%.2f", brightness);
    return !(strtod(fixed, NULL) <= 0.69);
}
