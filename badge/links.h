/* links.h - everything a README needs to point at one import: the import link, the badge image URL,
 * and the Markdown, HTML and reStructuredText that show the badge linking to the import. */
#ifndef LG_BADGE_LINKS_H
#define LG_BADGE_LINKS_H

#include "core/ghlink.h"

#define LG_LINKS_ALT "Open in labgate"

typedef struct {
    char *import_url;
    char *badge_url;
    char *markdown;
    char *html;
    char *rst;
} lg_links_t;

/* Fills out for `link` served from base_url ("https://labgate.example.org", no trailing '/'); a
 * non-empty badge_query ("style=flat-square", already encoded) is added to the badge URL. The caller
 * frees out with lg_links_free. */
void lg_links_make(lg_links_t *out, const char *base_url, const lg_ghlink_t *link, const char *badge_query);
void lg_links_free(lg_links_t *links);

#endif
