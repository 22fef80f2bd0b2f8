/* style_classic.c - flat, flat-square and plastic: label and message side by side, optional shadow. */
#include "style.h"

#include "color.h"
#include "svg.h"

#define HORIZ_PADDING 5.0

typedef struct {
    double height, vertical_margin;
    int shadow;
} look_t;

/* badge-maker's Badge constructor, resolved to numbers. */
typedef struct {
    double label_margin, message_margin;
    double label_width, message_width; /* of the text */
    double left_width, right_width;
    const char *label_color;
} layout_t;

static layout_t
layout(const lg_style_input_t *in)
{
    layout_t l;
    int has_logo = in->logo != NULL;
    int has_label = in->label[0] != '\0' || in->label_color != NULL;
    double logo_width = has_logo ? LG_STYLE_LOGO_WIDTH : 0;
    double logo_padding = has_logo && in->label[0] != '\0' ? 3 : 0;
    double total_logo_width = logo_width + logo_padding;

    l.label_color = in->label_color != NULL ? in->label_color : "#555";
    if (!has_label && !has_logo)
        l.label_color = in->color;
    l.label_margin = total_logo_width + 1;
    l.label_width = in->label[0] != '\0' ? lg_style_preferred_width(LG_FONT_VERDANA_11, in->label) : 0;
    l.left_width = has_label ? l.label_width + 2 * HORIZ_PADDING + total_logo_width : 0;
    l.message_width = lg_style_preferred_width(LG_FONT_VERDANA_11, in->message);
    l.message_margin = l.left_width - (in->message[0] != '\0' ? 1 : 0);
    if (!has_label)
        l.message_margin += has_logo ? total_logo_width + HORIZ_PADDING : 1;
    l.right_width = l.message_width + 2 * HORIZ_PADDING;
    if (has_logo && !has_label)
        l.right_width += total_logo_width + (in->message[0] != '\0' ? HORIZ_PADDING - 1 : 0);
    return l;
}

/* getTextElement: the text, with a blurred shadow in flat and plastic; nothing for empty text. */
static void
text_element(lg_buf_t *out, const look_t *look, double left_margin, const char *text, const char *bg,
             double text_width)
{
    int light = lg_color_is_light(bg);
    double x = 10 * (left_margin + 0.5 * text_width + HORIZ_PADDING);
    double y = 140 + look->vertical_margin;
    double text_length = 10 * text_width;
    const char *fill = light ? " fill=\"#333\"" : "";

    if (text[0] == '\0')
        return;
    if (!look->shadow) {
        lg_svg_fmt(out, "<text x=\"%f\" y=\"%f\" textLength=\"%f\" transform=\"scale(.1)\"", x, y,
                   text_length);
        lg_buf_puts(out, fill);
        lg_svg_fmt(out, ">%s</text>", text);
        return;
    }
    lg_svg_fmt(out,
               "<g transform=\"scale(.1)\"><g aria-hidden=\"true\" fill=\"%s\">"
               "<text x=\"%f\" y=\"%f\" fill-opacity=\".8\" filter=\"url(#blur)\" textLength=\"%f\">%s</text>"
               "<text x=\"%f\" y=\"%f\" fill-opacity=\".3\" textLength=\"%f\">%s</text></g>"
               "<text x=\"%f\" y=\"%f\" textLength=\"%f\"",
               light ? "#ccc" : "#010101", x, y + 10, text_length, text, x, y + 10, text_length, text, x, y,
               text_length);
    lg_buf_puts(out, fill);
    lg_svg_fmt(out, ">%s</text></g>", text);
}

static void
background(lg_buf_t *out, lg_badge_style_t style, const look_t *look, const layout_t *l, const char *color)
{
    double width = l->left_width + l->right_width;

    if (style == LG_BADGE_FLAT_SQUARE) {
        lg_buf_puts(out, "<g shape-rendering=\"crispEdges\">");
    } else {
        lg_buf_puts(out, "<filter id=\"blur\"><feGaussianBlur stdDeviation=\"16\"/></filter>");
        if (style == LG_BADGE_PLASTIC)
            lg_buf_puts(out, "<linearGradient id=\"s\" x2=\"0\" y2=\"100%\">"
                             "<stop offset=\"0\" stop-color=\"#fff\" stop-opacity=\".7\"/>"
                             "<stop offset=\".1\" stop-color=\"#aaa\" stop-opacity=\".1\"/>"
                             "<stop offset=\".9\" stop-color=\"#000\" stop-opacity=\".3\"/>"
                             "<stop offset=\"1\" stop-color=\"#000\" stop-opacity=\".5\"/></linearGradient>");
        else
            lg_buf_puts(out, "<linearGradient id=\"s\" x2=\"0\" y2=\"100%\">"
                             "<stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/>"
                             "<stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>");
        lg_svg_fmt(out, "<clipPath id=\"r\"><rect width=\"%f\" height=\"%f\" rx=\"%f\"/></clipPath>", width,
                   look->height, style == LG_BADGE_PLASTIC ? 4.0 : 3.0);
        lg_buf_puts(out, "<g clip-path=\"url(#r)\">");
    }
    lg_svg_fmt(out,
               "<rect width=\"%f\" height=\"%f\" fill=\"%s\"/><rect x=\"%f\" width=\"%f\" height=\"%f\" "
               "fill=\"%s\"/>",
               l->left_width, look->height, l->label_color, l->left_width, l->right_width, look->height,
               color);
    if (style != LG_BADGE_FLAT_SQUARE)
        lg_svg_fmt(out, "<rect width=\"%f\" height=\"%f\" fill=\"url(#s)\"/>", width, look->height);
    lg_buf_puts(out, "</g>");
}

void
lg_style_classic(lg_buf_t *out, lg_badge_style_t style, const lg_style_input_t *in)
{
    look_t look = {20, 0, style != LG_BADGE_FLAT_SQUARE};
    if (style == LG_BADGE_PLASTIC)
        look.height = 18, look.vertical_margin = -10;
    layout_t l = layout(in);

    lg_style_open(out, l.left_width + l.right_width, look.height, in->label, in->message);
    background(out, style, &look, &l, in->color);
    lg_buf_puts(
        out, "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" "
             "text-rendering=\"geometricPrecision\" font-size=\"110\">");
    if (in->logo != NULL)
        lg_svg_fmt(out, "<image x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" href=\"%s\"/>", HORIZ_PADDING,
                   0.5 * (look.height - LG_STYLE_LOGO_WIDTH), (double)LG_STYLE_LOGO_WIDTH,
                   (double)LG_STYLE_LOGO_WIDTH, in->logo);
    text_element(out, &look, l.label_margin, in->label, l.label_color, l.label_width);
    text_element(out, &look, l.message_margin, in->message, in->color, l.message_width);
    lg_buf_puts(out, "</g></svg>");
}
