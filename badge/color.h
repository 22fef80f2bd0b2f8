/* color.h - badge colours as badge-maker's color.js resolves them, and the text colour it picks. */
#ifndef LG_BADGE_COLOR_H
#define LG_BADGE_COLOR_H

#include <stddef.h>

/* Longest colour value accepted (bytes); longer ones are refused. */
#define LG_COLOR_MAX 64

/* normalizeColor + toSvgColor: writes to out (cap >= LG_COLOR_MAX + 1) what badge-maker puts in fill="":
 * a shields name ("brightgreen", ...) or alias ("success", ...) becomes its hex value, 3 or 6 hex
 * digits become "#" + lower case, a CSS colour (css_color.h, possibly with surrounding white space)
 * is kept as given but lower-cased. Returns 0, or -1 when badge-maker would not accept the colour
 * (it would fall back to its default; the empty string is such a colour). Names JavaScript finds on
 * Object.prototype ("constructor", "toString", ...) are refused: badge-maker writes fill="undefined"
 * for them or throws. */
int lg_color_to_svg(char *out, size_t cap, const char *s, size_t n);

/* 1 when badge-maker draws dark text (#333, shadow #ccc) on this SVG colour, i.e. its brightness()
 * rounded to 2 decimals exceeds 0.69; 0 for white text (#fff, shadow #010101). */
int lg_color_is_light(const char *svg);

#endif
