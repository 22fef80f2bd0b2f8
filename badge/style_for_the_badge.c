/* style_for_the_badge.c - for-the-badge: taller, upper-case, letter-spaced text, square corners. */
#include "style.h"

#include "color.h"
#include "svg.h"
#include "text.h"

#include <string.h>

#define HEIGHT           28.0
#define TEXT_MARGIN      12.0
#define LOGO_MARGIN      9.0
#define LOGO_TEXT_GUTTER 6.0
#define LETTER_SPACING   1.25

typedef struct {
    int label_rect; /* whether there is a label side at all */
    double label_text_width, message_text_width;
    double label_text_min_x, message_text_min_x;
    double label_rect_width, message_rect_width; /* label_rect_width is 0 without a label side */
} layout_t;

/* Text width as for-the-badge measures it: the table width truncated, plus letter spacing per UTF-16
 * unit (badge-maker uses .length, so a code point above U+FFFF adds two spacings). */
static double
text_width(lg_font_t font, const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return 0;
    return (double)(long)lg_font_width(font, s, n) + LETTER_SPACING * (double)lg_text_utf16_len(s, n);
}

static layout_t
layout(const lg_style_input_t *in, const char *label, const char *message)
{
    layout_t l = {0};
    int has_logo = in->logo != NULL, has_label = label[0] != '\0';
    int no_text = !has_label && message[0] == '\0';
    double gutter = no_text ? LOGO_TEXT_GUTTER - LOGO_MARGIN : LOGO_TEXT_GUTTER;

    l.label_text_width = text_width(LG_FONT_VERDANA_10, label);
    l.message_text_width = text_width(LG_FONT_VERDANA_10_BOLD, message);
    l.label_rect = has_label || (has_logo && in->label_color != NULL);
    l.label_text_min_x = has_logo ? LOGO_MARGIN + LG_STYLE_LOGO_WIDTH + gutter : TEXT_MARGIN;
    if (l.label_rect) {
        l.label_rect_width = has_label ? l.label_text_min_x + l.label_text_width + TEXT_MARGIN
                                       : 2 * LOGO_MARGIN + LG_STYLE_LOGO_WIDTH;
        l.message_text_min_x = l.label_rect_width + TEXT_MARGIN;
        l.message_rect_width = 2 * TEXT_MARGIN + l.message_text_width;
    } else if (has_logo) {
        l.message_text_min_x = TEXT_MARGIN + LG_STYLE_LOGO_WIDTH + gutter;
        l.message_rect_width = 2 * TEXT_MARGIN + LG_STYLE_LOGO_WIDTH + gutter + l.message_text_width;
    } else {
        l.message_text_min_x = TEXT_MARGIN;
        l.message_rect_width = 2 * TEXT_MARGIN + l.message_text_width;
    }
    return l;
}

static void
text(lg_buf_t *out, const char *s, double min_x, double width, const char *bg, int bold)
{
    lg_svg_fmt(out, "<text transform=\"scale(.1)\" x=\"%f\" y=\"175\" textLength=\"%f\"",
               10 * (min_x + 0.5 * width), 10 * width);
    if (bold)
        lg_buf_puts(out, " font-weight=\"bold\"");
    if (lg_color_is_light(bg))
        lg_buf_puts(out, " fill=\"#333\"");
    lg_svg_fmt(out, ">%s</text>", s);
}

static void
draw(lg_buf_t *out, const lg_style_input_t *in, const char *label, const char *message)
{
    layout_t l = layout(in, label, message);
    const char *label_color = in->label_color != NULL ? in->label_color : "#555";

    lg_style_open(out, l.label_rect_width + l.message_rect_width, HEIGHT, label, message);
    lg_buf_puts(out, "<g shape-rendering=\"crispEdges\">");
    if (l.label_rect)
        lg_svg_fmt(out, "<rect width=\"%f\" height=\"%f\" fill=\"%s\"/><rect x=\"%f\"", l.label_rect_width,
                   HEIGHT, label_color, l.label_rect_width);
    else
        lg_buf_puts(out, "<rect");
    lg_svg_fmt(out, " width=\"%f\" height=\"%f\" fill=\"%s\"/></g>", l.message_rect_width, HEIGHT, in->color);
    lg_buf_puts(
        out, "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" "
             "text-rendering=\"geometricPrecision\" font-size=\"100\">");
    if (in->logo != NULL)
        lg_svg_fmt(out, "<image x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" href=\"%s\"/>", LOGO_MARGIN,
                   0.5 * (HEIGHT - LG_STYLE_LOGO_WIDTH), (double)LG_STYLE_LOGO_WIDTH,
                   (double)LG_STYLE_LOGO_WIDTH, in->logo);
    if (label[0] != '\0')
        text(out, label, l.label_text_min_x, l.label_text_width, label_color, 0);
    text(out, message, l.message_text_min_x, l.message_text_width, in->color, 1);
    lg_buf_puts(out, "</g></svg>");
}

void
lg_style_for_the_badge(lg_buf_t *out, const lg_style_input_t *in)
{
    lg_buf_t label = LG_BUF_INIT, message = LG_BUF_INIT;

    lg_text_upper(&label, in->label, strlen(in->label));
    lg_buf_putc(&label, '\0');
    lg_text_upper(&message, in->message, strlen(in->message));
    lg_buf_putc(&message, '\0');
    draw(out, in, lg_buf_str(&label), lg_buf_str(&message));
    lg_buf_free(&label);
    lg_buf_free(&message);
}
