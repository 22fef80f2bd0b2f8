/* svg.h - writing SVG markup the way badge-maker's xml.js serialises it. */
#ifndef LG_BADGE_SVG_H
#define LG_BADGE_SVG_H

#include "core/buf.h"

#include <stddef.h>

/* Appends v as JavaScript's Number#toString writes it (shortest round-trip digits, no exponent; the
 * badge geometry stays far inside the range where JavaScript uses plain notation). */
void lg_svg_num(lg_buf_t *out, double v);

/* A small template writer: appends fmt with "%f" replaced by a double written by lg_svg_num, "%s" by a
 * NUL-terminated string escaped by lg_escape_xml (core/escape.h), and "%%" by "%". Nothing else is special.
 * lg_escape_xml escapes & < > " ' as xml.js escapeXml does; callers pass text without control characters
 * (see lg_badge_opts_set), so the output is the same as badge-maker's. */
void lg_svg_fmt(lg_buf_t *out, const char *fmt, ...);

#endif
