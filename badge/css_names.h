/* css_names.h - the generated table of CSS colour keywords (css_names.c); only css_color.c reads it. */
#ifndef LG_BADGE_CSS_NAMES_H
#define LG_BADGE_CSS_NAMES_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name; /* lower case; the table is sorted by strcmp */
    uint8_t r, g, b;
} lg_css_name_t;

extern const lg_css_name_t lg_css_names[];
extern const size_t lg_css_nnames;

#endif
