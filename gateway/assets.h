/* assets.h - the static files of gateway/assets/, embedded at build time (embed_assets.cmake). */
#ifndef LG_ASSETS_H
#define LG_ASSETS_H

#include <stddef.h>

typedef struct {
    const char *path; /* "/assets/style.css" */
    const char *content_type;
    const unsigned char *data;
    size_t size;
    const char *etag; /* strong, from the file's SHA-256 at build time */
} lg_asset_t;

extern const lg_asset_t lg_assets[];
extern const size_t lg_nassets;

#endif
