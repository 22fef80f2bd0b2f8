/* badge.c - from options to badge-maker's renderer input: trimming, colours, logo. */
#include "badge.h"

#include "color.h"
#include "logo.h"
#include "style.h"
#include "text.h"

#include <string.h>

/* Copies the field (which need not be NUL-terminated within cap) trimmed into buf, or nothing when it
 * is not acceptable badge text. */
static const char *
trimmed(lg_buf_t *buf, const char *field, size_t cap)
{
    const char *s = field;
    size_t n = strnlen(field, cap);
    if (lg_badge_text_ok(s, n)) {
        lg_text_trim(&s, &n);
        lg_buf_append(buf, s, n);
    }
    lg_buf_putc(buf, '\0');
    return lg_buf_str(buf);
}

/* The SVG colour for field, or NULL when badge-maker would not accept it. */
static const char *
svg_color(char *out, size_t cap, const char *field, size_t field_cap)
{
    size_t n = strnlen(field, field_cap);
    if (!lg_badge_text_ok(field, n) || lg_color_to_svg(out, cap, field, n) != 0)
        return NULL;
    return out;
}

void
lg_badge_render(lg_buf_t *out, const lg_badge_opts_t *o)
{
    lg_buf_t label = LG_BUF_INIT, message = LG_BUF_INIT, logo = LG_BUF_INIT;
    char color[LG_COLOR_MAX + 1], label_color[LG_COLOR_MAX + 1];
    lg_style_input_t in;

    in.label = trimmed(&label, o->label, sizeof(o->label));
    in.message = trimmed(&message, o->message, sizeof(o->message));
    in.color = svg_color(color, sizeof(color), o->color, sizeof(o->color));
    if (in.color == NULL)
        in.color = "#4b0";
    in.label_color = svg_color(label_color, sizeof(label_color), o->label_color, sizeof(o->label_color));
    lg_logo_data_uri(&logo, o->logo, o->style == LG_BADGE_SOCIAL);
    in.logo = logo.len > 0 ? lg_buf_str(&logo) : NULL;

    switch (o->style) {
    case LG_BADGE_FOR_THE_BADGE:
        lg_style_for_the_badge(out, &in);
        break;
    case LG_BADGE_SOCIAL:
        lg_style_social(out, &in);
        break;
    case LG_BADGE_FLAT_SQUARE:
    case LG_BADGE_PLASTIC:
        lg_style_classic(out, o->style, &in);
        break;
    default:
        lg_style_classic(out, LG_BADGE_FLAT, &in);
        break;
    }
    lg_buf_free(&label);
    lg_buf_free(&message);
    lg_buf_free(&logo);
}
