/* badge_cache.h - a per-thread, fixed-size cache of rendered badges keyed by the raw query string:
 * direct-mapped (a new entry replaces whatever shared its slot), so memory stays bounded. */
#ifndef LG_BADGE_CACHE_H
#define LG_BADGE_CACHE_H

#include "gateway/etag.h"

#include <stddef.h>

#define LG_BADGE_CACHE_SLOTS   1024
#define LG_BADGE_CACHE_KEY_MAX 4096 /* longer queries are rendered every time */

typedef struct {
    char *key;
    size_t keylen;
    char *body;
    size_t len;
    char etag[LG_ETAG_SIZE];
    char cache_control[64];
} lg_badge_entry_t;

typedef struct lg_badge_cache lg_badge_cache_t;

lg_badge_cache_t *lg_badge_cache_new(void);
void lg_badge_cache_free(lg_badge_cache_t *cache);
/* The entry rendered for this query, or NULL; borrowed until the next put on this cache. */
lg_badge_entry_t *lg_badge_cache_get(lg_badge_cache_t *cache, const char *key, size_t keylen);
/* Takes over fresh->body and returns the stored entry (borrowed as above). A key too long to keep is
 * still returned, from a scratch slot. */
lg_badge_entry_t *lg_badge_cache_put(lg_badge_cache_t *cache, const char *key, size_t keylen,
                                     const lg_badge_entry_t *fresh);

#endif
