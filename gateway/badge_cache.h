/* badge_cache.h - a per-thread cache of rendered badges keyed by the raw query string: direct-mapped
 * (a new entry replaces whatever shared its slot) and bounded in bytes, so memory stays small however
 * many threads and distinct badges there are. */
#ifndef LG_BADGE_CACHE_H
#define LG_BADGE_CACHE_H

#include "gateway/etag.h"

#include <stddef.h>

#define LG_BADGE_CACHE_SLOTS   1024
#define LG_BADGE_CACHE_KEY_MAX 1024      /* longer queries are rendered every time */
#define LG_BADGE_CACHE_BYTES   (1 << 20) /* keys and bodies kept per thread, at most */

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
/* Takes over fresh->body and returns the stored entry (borrowed as above). An entry that is too long,
 * or would take the cache past LG_BADGE_CACHE_BYTES, is returned from a scratch slot and not kept. */
lg_badge_entry_t *lg_badge_cache_put(lg_badge_cache_t *cache, const char *key, size_t keylen,
                                     const lg_badge_entry_t *fresh);

#endif
