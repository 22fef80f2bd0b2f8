/* css_color.c - css-color-converter's fromString, reimplemented with its numeric quirks. */
#include "css_color.h"

#include "core/urlenc.h"
#include "core/utf8.h"
#include "css_names.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A cursor over the colour string, for the hand-written equivalents of the library's regexes. */
typedef struct {
    const char *s;
    size_t n, pos;
} scan_t;

static int
eat(scan_t *sc, const char *lit)
{
    size_t len = strlen(lit);
    if (sc->n - sc->pos < len || memcmp(sc->s + sc->pos, lit, len) != 0)
        return 0;
    sc->pos += len;
    return 1;
}

/* \s*: skips white space and returns how many code points it skipped (\s+ when that is not 0). */
static size_t
eat_space(scan_t *sc)
{
    size_t count = 0;
    while (sc->pos < sc->n) {
        size_t next = sc->pos;
        int32_t cp = lg_utf8_next(sc->s, sc->n, &next);
        if (cp < 0 || !lg_text_is_space((uint32_t)cp))
            break;
        sc->pos = next;
        count++;
    }
    return count;
}

/* \d+ : copies the digits to buf as a NUL-terminated string; 0 when there are none. */
static int
eat_digits(scan_t *sc, char *buf, size_t cap)
{
    size_t start = sc->pos;
    while (sc->pos < sc->n && sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9')
        sc->pos++;
    size_t len = sc->pos - start;
    if (len == 0 || len >= cap)
        return 0;
    memcpy(buf, sc->s + start, len);
    buf[len] = '\0';
    return 1;
}

/* (0|1|0?\.\d+|\d+%) followed by what the regex requires next; the alpha value is never needed. */
static int
eat_alpha(scan_t *sc)
{
    size_t start = sc->pos;
    while (sc->pos < sc->n && strchr("0123456789.%", sc->s[sc->pos]) != NULL && sc->s[sc->pos] != '\0')
        sc->pos++;
    const char *a = sc->s + start;
    size_t len = sc->pos - start;
    if (len == 1 && (a[0] == '0' || a[0] == '1'))
        return 1;
    size_t i = (len > 0 && a[0] == '0') ? 1 : 0;
    if (i < len && a[i] == '.') {
        size_t d = i + 1;
        while (d < len && a[d] >= '0' && a[d] <= '9')
            d++;
        return d == len && d > i + 1;
    }
    size_t d = 0;
    while (d < len && a[d] >= '0' && a[d] <= '9')
        d++;
    return d > 0 && d + 1 == len && a[d] == '%';
}

/* The tail shared by every functional form: optional alpha after sep (',' or '/'), then \s*\)$. */
static int
eat_close(scan_t *sc, char sep)
{
    size_t save = sc->pos;
    eat_space(sc);
    if (sc->pos < sc->n && sc->s[sc->pos] == sep) {
        sc->pos++;
        eat_space(sc);
        if (!eat_alpha(sc))
            return 0;
    } else {
        sc->pos = save;
    }
    eat_space(sc);
    return eat(sc, ")") && sc->pos == sc->n;
}

/* JavaScript's parseInt(String(x)): String() switches to exponent form below 1e-6 and from 1e21 on,
 * and parseInt then stops at the '.' or 'e', keeping only the first digit. */
static double
js_parse_int_number(double x)
{
    char tmp[40];

    if (isnan(x) || isinf(x))
        return NAN;
    if (x == 0)
        return 0;
    double ax = fabs(x);
    if (ax >= 1e-6 && ax < 1e21)
        return trunc(x);
    for (int prec = 0; prec < 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec, ax);
        if (strtod(tmp, NULL) == ax)
            break;
    }
    return (x < 0 ? -1 : 1) * (double)(tmp[0] - '0');
}

/* new Color([r, g, b]): parseInt each and clamp to 0..255; NaN stays NaN. */
static void
to_channels(double rgb[3], double r, double g, double b)
{
    double in[3] = {r, g, b};
    for (int i = 0; i < 3; i++) {
        double v = js_parse_int_number(in[i]);
        if (!isnan(v))
            v = v > 255 ? 255 : v < 0 ? 0 : v;
        rgb[i] = v;
    }
}

static int
parse_name(const char *s, size_t n, double rgb[3])
{
    size_t lo = 0, hi = lg_css_nnames;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *name = lg_css_names[mid].name;
        size_t len = strlen(name);
        int c = strncmp(name, s, n < len ? n : len);
        if (c == 0)
            c = len < n ? -1 : len > n ? 1 : 0;
        if (c < 0) {
            lo = mid + 1;
        } else if (c > 0) {
            hi = mid;
        } else {
            to_channels(rgb, lg_css_names[mid].r, lg_css_names[mid].g, lg_css_names[mid].b);
            return 0;
        }
    }
    return -1;
}

/* #rgb #rgba #rrggbb #rrggbbaa */
static int
parse_hex(const char *s, size_t n, double rgb[3])
{
    if (n < 1 || s[0] != '#' || (n != 4 && n != 5 && n != 7 && n != 9))
        return -1;
    for (size_t i = 1; i < n; i++) {
        if (lg_hex_value(s[i]) < 0)
            return -1;
    }
    int v[3];
    for (int i = 0; i < 3; i++) {
        if (n <= 5)
            v[i] = lg_hex_value(s[1 + i]) * 17;
        else
            v[i] = lg_hex_value(s[1 + 2 * i]) * 16 + lg_hex_value(s[2 + 2 * i]);
    }
    to_channels(rgb, v[0], v[1], v[2]);
    return 0;
}

/* One rgb() channel: \d+ or \d+% ; percentages scale as parseInt(p) * 255 / 100. */
static int
rgb_channel(scan_t *sc, int percent, double *out)
{
    char digits[80];
    if (!eat_digits(sc, digits, sizeof(digits)))
        return 0;
    double v = strtod(digits, NULL);
    if (percent) {
        if (!eat(sc, "%"))
            return 0;
        v = v * 255 / 100;
    }
    *out = v;
    return 1;
}

/* rgba?( a , b , c [, alpha] ) or rgba?( a b c [/ alpha] ), all numbers or all percentages */
static int
parse_rgb(const char *s, size_t n, double rgb[3])
{
    for (int form = 0; form < 4; form++) {
        int percent = form & 1, spaces = form >> 1;
        scan_t sc = {s, n, 0};
        double v[3];
        if (!eat(&sc, "rgb"))
            return -1;
        eat(&sc, "a");
        if (!eat(&sc, "("))
            return -1;
        eat_space(&sc);
        int ok = rgb_channel(&sc, percent, &v[0]);
        for (int i = 1; ok && i < 3; i++) {
            if (spaces) {
                ok = eat_space(&sc) > 0;
            } else {
                eat_space(&sc);
                ok = eat(&sc, ",");
                eat_space(&sc);
            }
            ok = ok && rgb_channel(&sc, percent, &v[i]);
        }
        if (ok && eat_close(&sc, spaces ? '/' : ',')) {
            to_channels(rgb, v[0], v[1], v[2]);
            return 0;
        }
    }
    return -1;
}

/* css-unit-converter: the hue in degrees, rounded to 5 decimals with Math.round. */
static double
hue_degrees(double h, const char *unit)
{
    double factor = 1;
    if (strcmp(unit, "grad") == 0)
        factor = 0.9;
    else if (strcmp(unit, "rad") == 0)
        factor = 180 / M_PI;
    else if (strcmp(unit, "turn") == 0)
        factor = 360;
    double x = factor * h * 100000;
    double r = floor(x);
    if (x - r >= 0.5)
        r += 1;
    return r / 100000;
}

/* hslToRgb, operation for operation. */
static void
hsl_to_rgb(double h, double s, double l, double rgb[3])
{
    double hprim = h / 60, sprim = s / 100, lprim = l / 100;
    double c = (1 - fabs(2 * lprim - 1)) * sprim;
    double x = c * (1 - fabs(fmod(hprim, 2) - 1));
    double m = lprim - c / 2;
    double p[3];

    if (hprim < 1)
        p[0] = c, p[1] = x, p[2] = 0;
    else if (hprim < 2)
        p[0] = x, p[1] = c, p[2] = 0;
    else if (hprim < 3)
        p[0] = 0, p[1] = c, p[2] = x;
    else if (hprim < 4)
        p[0] = 0, p[1] = x, p[2] = c;
    else if (hprim < 5)
        p[0] = x, p[1] = 0, p[2] = c;
    else
        p[0] = c, p[1] = 0, p[2] = x;
    to_channels(rgb, (p[0] + m) * 255, (p[1] + m) * 255, (p[2] + m) * 255);
}

/* hsla?( h[unit] , s% , l% [, alpha] ) */
static int
parse_hsl(const char *s, size_t n, double rgb[3])
{
    static const char *const units[] = {"deg", "rad", "grad", "turn"};
    char hd[80], sd[80], ld[80];
    const char *unit = "deg";
    scan_t sc = {s, n, 0};

    if (!eat(&sc, "hsl"))
        return -1;
    eat(&sc, "a");
    if (!eat(&sc, "("))
        return -1;
    eat_space(&sc);
    if (!eat_digits(&sc, hd, sizeof(hd)))
        return -1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (eat(&sc, units[i])) {
            unit = units[i];
            break;
        }
    }
    eat_space(&sc);
    if (!eat(&sc, ","))
        return -1;
    eat_space(&sc);
    if (!eat_digits(&sc, sd, sizeof(sd)) || !eat(&sc, "%"))
        return -1;
    eat_space(&sc);
    if (!eat(&sc, ","))
        return -1;
    eat_space(&sc);
    if (!eat_digits(&sc, ld, sizeof(ld)) || !eat(&sc, "%") || !eat_close(&sc, ','))
        return -1;
    hsl_to_rgb(hue_degrees(strtod(hd, NULL), unit), strtod(sd, NULL), strtod(ld, NULL), rgb);
    return 0;
}

int
lg_css_color_parse(const char *s, size_t n, double rgb[3])
{
    if (parse_name(s, n, rgb) == 0 || parse_hex(s, n, rgb) == 0)
        return 0;
    if (parse_rgb(s, n, rgb) == 0 || parse_hsl(s, n, rgb) == 0)
        return 0;
    return -1;
}
