/* opts.h - what a badge request asks for: the parameters, their defaults and their validation. */
#ifndef LG_BADGE_OPTS_H
#define LG_BADGE_OPTS_H

#include "color.h"
#include "core/err.h"
#include "logo.h"

#include <stddef.h>
#include <stdint.h>

#define LG_BADGE_TEXT_MAX  256      /* bytes of label or message */
#define LG_BADGE_CACHE_MAX 31536000 /* one year, in seconds */

typedef enum {
    LG_BADGE_FLAT,
    LG_BADGE_FLAT_SQUARE,
    LG_BADGE_PLASTIC,
    LG_BADGE_FOR_THE_BADGE,
    LG_BADGE_SOCIAL,
} lg_badge_style_t;

/* Plain data, no heap: lives on the stack. Strings are NUL-terminated and hold the values as given
 * (label and message are trimmed when rendered, like badge-maker does). */
typedef struct {
    lg_badge_style_t style;
    char label[LG_BADGE_TEXT_MAX + 1];
    char message[LG_BADGE_TEXT_MAX + 1];
    char color[LG_COLOR_MAX + 1];       /* the message background */
    char label_color[LG_COLOR_MAX + 1]; /* "" for badge-maker's default, #555 */
    lg_logo_t logo;
    uint32_t cache_seconds; /* for the caller's Cache-Control; the SVG does not depend on it */
} lg_badge_opts_t;

/* The default labgate badge: "Open in | labgate", Jupyter logo, message in Jupyter orange (#f37626),
 * default label colour, flat, cacheable for a day. */
void lg_badge_opts_init(lg_badge_opts_t *o);

/* Sets one parameter from a query-string name and its already percent-decoded value. Names: style,
 * label, message, color, labelColor, logo, cacheSeconds (exact case). Returns 0 when set, 1 when the
 * name is not a badge parameter (the caller ignores it), -1 when the value is invalid: then o is
 * unchanged and err (LG_EINVAL) says which parameter and what it allows.
 * Every value must be UTF-8 without control characters (U+0000..U+001F, U+007F..U+009F) or the XML
 * non-characters U+FFFE and U+FFFF. label and message: at most LG_BADGE_TEXT_MAX bytes. color and
 * labelColor: see color.h; an empty value restores the default. logo: jupyter or none. cacheSeconds:
 * decimal digits, 0..LG_BADGE_CACHE_MAX. */
int lg_badge_opts_set(lg_badge_opts_t *o, const char *name, size_t name_len, const char *value,
                      size_t value_len, lg_err_t *err);

/* The parameter value naming a style ("flat-square", ...). */
const char *lg_badge_style_name(lg_badge_style_t style);

/* 1 when s[0..n) is text a badge may carry (the value rule of lg_badge_opts_set), else 0. */
int lg_badge_text_ok(const char *s, size_t n);

#endif
