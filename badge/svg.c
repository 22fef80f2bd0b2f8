/* svg.c - number formatting and escaping for SVG output. */
#include "svg.h"

#include "core/escape.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
lg_svg_num(lg_buf_t *out, double v)
{
    char tmp[64];

    if (v == 0) {
        lg_buf_putc(out, '0'); /* also for -0, like JavaScript */
        return;
    }
    if (v == trunc(v) && fabs(v) < 1e21) {
        lg_buf_printf(out, "%.0f", v);
        return;
    }
    for (int digits = 1; digits <= 20; digits++) {
        snprintf(tmp, sizeof(tmp), "%.*f", digits, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    size_t len = strlen(tmp);
    while (len > 0 && tmp[len - 1] == '0')
        len--;
    lg_buf_append(out, tmp, len);
}

void
lg_svg_fmt(lg_buf_t *out, const char *fmt, ...)
{
    va_list ap;
    const char *lit = fmt;

    va_start(ap, fmt);
    for (const char *p = fmt; *p != '\0'; p++) {
        if (*p != '%' || (p[1] != 'f' && p[1] != 's' && p[1] != '%'))
            continue;
        lg_buf_append(out, lit, (size_t)(p - lit));
        p++;
        if (*p == 'f') {
            lg_svg_num(out, va_arg(ap, double));
        } else if (*p == 's') {
            const char *s = va_arg(ap, const char *);
            lg_escape_xml(out, s, strlen(s));
        } else {
            lg_buf_putc(out, '%');
        }
        lit = p + 1;
    }
    lg_buf_append(out, lit, strlen(lit));
    va_end(ap);
}
