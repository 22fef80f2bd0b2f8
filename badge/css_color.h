/* css_color.h - the CSS colour syntax badge-maker accepts, as css-color-converter 2.0.0's fromString
 * parses it: colour keywords, #rgb #rgba #rrggbb #rrggbbaa, rgb()/rgba() with numbers or percentages,
 * comma- or space-separated, and hsl()/hsla() with deg/rad/grad/turn hues. Case-sensitive like it:
 * "RED" and "RGB(1,2,3)" are not colours, "#ABC" is. */
#ifndef LG_BADGE_CSS_COLOR_H
#define LG_BADGE_CSS_COLOR_H

#include <stddef.h>

/* Parses s[0..n). Returns 0 and the red, green and blue values its Color object holds (0..255 after
 * css-color-converter's own parseInt and clamping, quirks included; NaN where JavaScript gets NaN), or
 * -1 when fromString would return null. */
int lg_css_color_parse(const char *s, size_t n, double rgb[3]);

#endif
