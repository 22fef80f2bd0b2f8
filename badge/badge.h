/* badge.h - SVG badges identical to shields.io's badge-maker 6.0.0, as pure functions: the request's
 * parameters (opts.h) in, SVG text out. Link snippets for READMEs are in snippet.h.
 *
 * badge-maker works on JavaScript strings; we reproduce what it does to UTF-8 text, astral code points
 * (above U+FFFF) included: text is measured per code point (anafanafo iterates code points, and
 * counts "m" for one without a width); for-the-badge adds letter spacing per UTF-16 unit (it uses
 * .length), so an emoji gets two; social's capitalize() looks at the first UTF-16 unit only, so a
 * first code point above U+FFFF stays as it is; upper-casing is String.prototype.toUpperCase as of
 * the node that generated case_map.c (Unicode 17). tests/badge/compare.mjs checks all of this. */
#ifndef LG_BADGE_BADGE_H
#define LG_BADGE_BADGE_H

#include "core/buf.h"
#include "opts.h"

/* Appends the SVG for o to out: byte for byte what badge-maker's makeBadge({label, message, color,
 * labelColor, style, logoBase64}) returns for the same values, logoBase64 being the logo's data URI
 * (logo.h). Values that did not come through lg_badge_opts_set are still rendered safely: text that
 * lg_badge_text_ok refuses is left out, and a colour badge-maker would not accept gets its default. */
void lg_badge_render(lg_buf_t *out, const lg_badge_opts_t *o);

#endif
