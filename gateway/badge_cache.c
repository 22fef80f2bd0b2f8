/* badge_cache.c - the per-thread badge cache. */
#include "badge_cache.h"

#include "core/hash.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

struct lg_badge_cache {
    lg_badge_entry_t slots[LG_BADGE_CACHE_SLOTS];
    lg_badge_entry_t scratch; /* for entries not kept */
    size_t bytes;             /* keys and bodies in slots */
};

static size_t
slot_of(const char *key, size_t keylen)
{
    return (size_t)(lg_hash64(key, keylen) % LG_BADGE_CACHE_SLOTS);
}

static void
clear(lg_badge_cache_t *cache, lg_badge_entry_t *e)
{
    if (e != &cache->scratch)
        cache->bytes -= e->keylen + e->len;
    free(e->key);
    free(e->body);
    memset(e, 0, sizeof(*e));
}

lg_badge_cache_t *
lg_badge_cache_new(void)
{
    return lg_xcalloc(1, sizeof(lg_badge_cache_t));
}

void
lg_badge_cache_free(lg_badge_cache_t *cache)
{
    if (cache == NULL)
        return;
    for (size_t i = 0; i < LG_BADGE_CACHE_SLOTS; i++)
        clear(cache, &cache->slots[i]);
    clear(cache, &cache->scratch);
    free(cache);
}

lg_badge_entry_t *
lg_badge_cache_get(lg_badge_cache_t *cache, const char *key, size_t keylen)
{
    lg_badge_entry_t *e = &cache->slots[slot_of(key, keylen)];
    if (e->body != NULL && e->keylen == keylen && memcmp(e->key, key, keylen) == 0)
        return e;
    return NULL;
}

lg_badge_entry_t *
lg_badge_cache_put(lg_badge_cache_t *cache, const char *key, size_t keylen, const lg_badge_entry_t *fresh)
{
    lg_badge_entry_t *e = &cache->slots[slot_of(key, keylen)];
    clear(cache, e);
    if (keylen > LG_BADGE_CACHE_KEY_MAX || cache->bytes + keylen + fresh->len > LG_BADGE_CACHE_BYTES) {
        e = &cache->scratch;
        clear(cache, e);
    } else {
        cache->bytes += keylen + fresh->len;
    }
    *e = *fresh;
    e->key = lg_xstrndup(key, keylen);
    e->keylen = keylen;
    return e;
}
