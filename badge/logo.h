/* logo.h - the logos a badge can carry, as the data: URIs badge-maker embeds. */
#ifndef LG_BADGE_LOGO_H
#define LG_BADGE_LOGO_H

#include "core/buf.h"

#include <stddef.h>

typedef enum {
    LG_LOGO_NONE,
    LG_LOGO_JUPYTER,
} lg_logo_t;

/* Finds a logo by its parameter value ("none", "jupyter"); 0 and *out set, or -1. */
int lg_logo_from_name(const char *s, size_t n, lg_logo_t *out);
const char *lg_logo_name(lg_logo_t logo);

/* Appends the logo as "data:image/svg+xml;base64,..." the way shields.io prepares a simple-icons logo:
 * the icon's SVG with fill="whitesmoke" for the dark label of most styles, or with the brand colour
 * when brand_color is set (social, whose label is light). Appends nothing for LG_LOGO_NONE. */
void lg_logo_data_uri(lg_buf_t *out, lg_logo_t logo, int brand_color);

#endif
