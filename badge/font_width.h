/* font_width.h - text widths in pixels exactly as badge-maker measures them (anafanafo's tables). */
#ifndef LG_BADGE_FONT_WIDTH_H
#define LG_BADGE_FONT_WIDTH_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    LG_FONT_VERDANA_11,        /* "11px Verdana": flat, flat-square, plastic */
    LG_FONT_VERDANA_10,        /* "10px Verdana": for-the-badge label */
    LG_FONT_VERDANA_10_BOLD,   /* "bold 10px Verdana": for-the-badge message */
    LG_FONT_HELVETICA_11_BOLD, /* "bold 11px Helvetica": social */
    LG_FONT_COUNT
} lg_font_t;

/* Width of one code point: 0 for control characters (U+0000..U+001F, U+007F), the table's width, or
 * -1 when the table has none (the caller then substitutes the width of "m", as anafanafo does). */
double lg_font_char_width(lg_font_t font, uint32_t cp);

/* Width of UTF-8 text s[0..n): the widths of its code points summed left to right in doubles, like
 * anafanafo's widthOf; code points without a width count as "m". Invalid bytes count as U+FFFD. */
double lg_font_width(lg_font_t font, const char *s, size_t n);

/* The name of the data the font's table came from ("verdana-11px-normal", ...). */
const char *lg_font_name(lg_font_t font);

#endif
