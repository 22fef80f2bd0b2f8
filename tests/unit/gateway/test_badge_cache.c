/* test_badge_cache.c - tests gateway/badge_cache.c: hits, replacement in a shared slot, long keys. */
#include "gateway/badge_cache.h"

#include "core/mem.h"
#include "tests/unit/check.h"

#include <stdio.h>
#include <stdlib.h>

static lg_badge_entry_t
fresh(const char *body)
{
    lg_badge_entry_t e = {0};
    e.body = lg_xstrdup(body);
    e.len = strlen(body);
    return e;
}

static void
test_get_put(void)
{
    lg_badge_cache_t *c = lg_badge_cache_new();
    CHECK(lg_badge_cache_get(c, "a=1", 3) == NULL);
    lg_badge_entry_t e = fresh("one");
    lg_badge_cache_put(c, "a=1", 3, &e);
    lg_badge_entry_t *hit = lg_badge_cache_get(c, "a=1", 3);
    CHECK(hit != NULL && strcmp(hit->body, "one") == 0);
    CHECK(lg_badge_cache_get(c, "a=2", 3) == NULL);
    CHECK(lg_badge_cache_get(c, "a=", 2) == NULL);

    /* many keys: each lookup returns its own body or nothing, never another key's */
    char key[32], body[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "k=%d", i);
        snprintf(body, sizeof(body), "b%d", i);
        lg_badge_entry_t f = fresh(body);
        lg_badge_cache_put(c, key, strlen(key), &f);
    }
    int found = 0;
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "k=%d", i);
        snprintf(body, sizeof(body), "b%d", i);
        lg_badge_entry_t *got = lg_badge_cache_get(c, key, strlen(key));
        if (got != NULL) {
            found++;
            CHECK_STR(got->body, body);
        }
    }
    CHECK(found > 0 && found <= LG_BADGE_CACHE_SLOTS);
    lg_badge_cache_free(c);
}

static void
test_long_key(void)
{
    lg_badge_cache_t *c = lg_badge_cache_new();
    size_t n = LG_BADGE_CACHE_KEY_MAX + 1;
    char *key = lg_xmalloc(n);
    memset(key, 'q', n);
    lg_badge_entry_t e = fresh("long");
    lg_badge_entry_t *kept = lg_badge_cache_put(c, key, n, &e);
    CHECK_STR(kept->body, "long");
    CHECK(lg_badge_cache_get(c, key, n) == NULL);
    free(key);
    lg_badge_cache_free(c);
}

static void
test_byte_budget(void)
{
    lg_badge_cache_t *c = lg_badge_cache_new();
    char key[32], *body = lg_xmalloc(10001);
    memset(body, 'b', 10000);
    body[10000] = '\0';
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof(key), "big=%d", i);
        lg_badge_entry_t f = fresh(body);
        lg_badge_entry_t *got = lg_badge_cache_put(c, key, strlen(key), &f);
        CHECK(got != NULL && got->len == 10000); /* answered from the cache or its scratch slot */
    }
    int kept = 0;
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof(key), "big=%d", i);
        kept += lg_badge_cache_get(c, key, strlen(key)) != NULL;
    }
    CHECK(kept > 0);
    CHECK(kept * 10000 <= LG_BADGE_CACHE_BYTES);
    free(body);
    lg_badge_cache_free(c);
}

int
main(void)
{
    RUN(test_get_put);
    RUN(test_long_key);
    RUN(test_byte_budget);
    return check_report();
}
