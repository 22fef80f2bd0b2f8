/* style.c - the pieces every badge style shares: the <svg> element and text measurement. */
#include "style.h"

#include "svg.h"

#include <string.h>

void
lg_style_open(lg_buf_t *out, double width, double height, const char *label, const char *message)
{
    lg_buf_t text = LG_BUF_INIT;

    if (label[0] != '\0') {
        lg_buf_puts(&text, label);
        lg_buf_puts(&text, ": ");
    }
    lg_buf_puts(&text, message);
    lg_svg_fmt(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%f\" height=\"%f\" role=\"img\" "
               "aria-label=\"%s\"><title>%s</title>",
               width, height, lg_buf_str(&text), lg_buf_str(&text));
    lg_buf_free(&text);
}

double
lg_style_preferred_width(lg_font_t font, const char *s)
{
    /* anafanafo(s) | 0, then odd: widths stay far below 2^31, so truncation is JavaScript's ToInt32 */
    long w = (long)lg_font_width(font, s, strlen(s));
    return (double)(w % 2 == 0 ? w + 1 : w);
}
