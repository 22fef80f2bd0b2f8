/* style_social.c - social: a light, rounded label with a speech-bubble message beside it. */
#include "style.h"

#include "svg.h"
#include "text.h"

#include <string.h>

#define EXTERNAL_HEIGHT 20.0
#define INTERNAL_HEIGHT 19.0
#define LABEL_PADDING   5.0
#define MESSAGE_PADDING 4.0
#define GUTTER          6.0

static void
message_bubble(lg_buf_t *out, double label_rect_width, double message_rect_width)
{
    double main_x = label_rect_width + GUTTER + 0.5, notch_x = label_rect_width + GUTTER;

    lg_svg_fmt(out,
               "<rect x=\"%f\" y=\".5\" width=\"%f\" height=\"%f\" rx=\"2\" fill=\"#fafafa\"/>"
               "<rect x=\"%f\" y=\"7.5\" width=\".5\" height=\"5\" stroke=\"#fafafa\"/>"
               "<path d=\"M%f 6.5 l-3 3v1 l3 3\" fill=\"#fafafa\"/>",
               main_x, message_rect_width, INTERNAL_HEIGHT, notch_x, main_x);
}

/* The text twice: a white copy one pixel lower as the shadow, then the text itself. */
static void
shadowed_text(lg_buf_t *out, const char *s, double x, double text_width, const char *id)
{
    lg_svg_fmt(out,
               "<text aria-hidden=\"true\" x=\"%f\" y=\"150\" fill=\"#fff\" transform=\"scale(.1)\" "
               "textLength=\"%f\">%s</text><text",
               x, 10 * text_width, s);
    if (id != NULL)
        lg_svg_fmt(out, " id=\"%s\"", id);
    lg_svg_fmt(out, " x=\"%f\" y=\"140\" transform=\"scale(.1)\" textLength=\"%f\">%s</text>", x,
               10 * text_width, s);
}

static void
draw(lg_buf_t *out, const lg_style_input_t *in, const char *label)
{
    int has_message = in->message[0] != '\0';
    double logo_width = in->logo != NULL ? LG_STYLE_LOGO_WIDTH : 0;
    double total_logo_width = logo_width + (in->logo != NULL && in->label[0] != '\0' ? 3 : 0);
    double label_text_width = lg_style_preferred_width(LG_FONT_HELVETICA_11_BOLD, label);
    double message_text_width = lg_style_preferred_width(LG_FONT_HELVETICA_11_BOLD, in->message);
    double label_rect_width = label_text_width + total_logo_width + 2 * LABEL_PADDING;
    double message_rect_width = message_text_width + 2 * MESSAGE_PADDING;
    double width = label_rect_width + 1 + (has_message ? GUTTER + message_rect_width : 0);

    lg_style_open(out, width, EXTERNAL_HEIGHT, label, in->message);
    lg_buf_puts(out,
                "<style>a:hover #llink{fill:url(#b);stroke:#ccc}a:hover #rlink{fill:#4183c4}</style>"
                "<linearGradient id=\"a\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#fcfcfc\" "
                "stop-opacity=\"0\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>"
                "<linearGradient id=\"b\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#ccc\" "
                "stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>");
    lg_svg_fmt(out,
               "<g stroke=\"#d5d5d5\"><rect stroke=\"none\" fill=\"#fcfcfc\" x=\".5\" y=\".5\" width=\"%f\" "
               "height=\"%f\" rx=\"2\"/>",
               label_rect_width, INTERNAL_HEIGHT);
    if (has_message)
        message_bubble(out, label_rect_width, message_rect_width);
    lg_buf_puts(out, "</g>");
    if (in->logo != NULL)
        lg_svg_fmt(out, "<image x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" href=\"%s\"/>", LABEL_PADDING,
                   0.5 * (EXTERNAL_HEIGHT - LG_STYLE_LOGO_WIDTH), (double)LG_STYLE_LOGO_WIDTH,
                   (double)LG_STYLE_LOGO_WIDTH, in->logo);
    lg_svg_fmt(
        out,
        "<g aria-hidden=\"true\" fill=\"#333\" text-anchor=\"middle\" "
        "font-family=\"Helvetica Neue,Helvetica,Arial,sans-serif\" text-rendering=\"geometricPrecision\" "
        "font-weight=\"700\" font-size=\"110px\" line-height=\"14px\"><rect id=\"llink\" stroke=\"#d5d5d5\" "
        "fill=\"url(#a)\" x=\".5\" y=\".5\" width=\"%f\" height=\"%f\" rx=\"2\"/>",
        label_rect_width, INTERNAL_HEIGHT);
    shadowed_text(out, label, 10 * (total_logo_width + label_text_width / 2 + LABEL_PADDING),
                  label_text_width, NULL);
    if (has_message)
        shadowed_text(out, in->message, 10 * (label_rect_width + GUTTER + message_rect_width / 2),
                      message_text_width, "rlink");
    lg_buf_puts(out, "</g></svg>");
}

void
lg_style_social(lg_buf_t *out, const lg_style_input_t *in)
{
    lg_buf_t label = LG_BUF_INIT;

    lg_text_capitalize(&label, in->label, strlen(in->label));
    lg_buf_putc(&label, '\0');
    draw(out, in, lg_buf_str(&label));
    lg_buf_free(&label);
}
