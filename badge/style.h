/* style.h - the five badge drawings; badge.c prepares their input, each style file draws one family. */
#ifndef LG_BADGE_STYLE_H
#define LG_BADGE_STYLE_H

#include "core/buf.h"
#include "font_width.h"
#include "opts.h"

#define LG_STYLE_LOGO_WIDTH 14

/* What badge-maker's renderers receive, after its trimming and colour resolution. */
typedef struct {
    const char *label;       /* trimmed, NUL-terminated */
    const char *message;     /* trimmed, NUL-terminated */
    const char *color;       /* SVG colour of the message side */
    const char *label_color; /* SVG colour of the label side, NULL when not given */
    const char *logo;        /* data URI, NULL without a logo */
} lg_style_input_t;

/* flat, flat-square and plastic: badge-maker's Badge classes. */
void lg_style_classic(lg_buf_t *out, lg_badge_style_t style, const lg_style_input_t *in);
void lg_style_for_the_badge(lg_buf_t *out, const lg_style_input_t *in);
void lg_style_social(lg_buf_t *out, const lg_style_input_t *in);

/* The <svg> opening tag with its accessible name and <title>, shared by every style: badge-maker's
 * renderBadge without links. The text is "label: message", or the message alone without a label. */
void lg_style_open(lg_buf_t *out, double width, double height, const char *label, const char *message);

/* badge-maker's preferredWidthOf: the width truncated to an integer and rounded up to an odd one. */
double lg_style_preferred_width(lg_font_t font, const char *s);

#endif
