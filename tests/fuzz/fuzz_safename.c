/* fuzz_safename.c - fuzzes importer/safename.c: whatever the tree holds, an accepted path is UTF-8
 * without controls, backslashes, "." / ".." / empty parts or a spelling of ".git"; an accepted link
 * target, resolved lexically from the link's folder, never climbs above the imported folder. */
#include "importer/safename.h"

#include "core/unicode.h"
#include "core/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond)                                                                                        \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "fuzz_safename: %s:%d: %s\n", __FILE__, __LINE__, #cond);                        \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

static void
check_path(const char *s, size_t n)
{
    if (lg_safename_check(s, n) != NULL)
        return;
    REQUIRE(n > 0 && lg_utf8_valid(s, n) && !lg_unicode_has_control(s, n));
    REQUIRE(memchr(s, '\\', n) == NULL && s[0] != '/' && s[n - 1] != '/');
    for (const char *p = s, *end = s + n; p < end;) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        size_t len = (size_t)((slash ? slash : end) - p);
        REQUIRE(len > 0 && !(len == 1 && p[0] == '.') && !(len == 2 && p[0] == '.' && p[1] == '.'));
        REQUIRE(!lg_safename_is_dotgit(p, len));
        p += len + 1;
    }
}

/* The input split at its first NUL-free '\n': link path, then target. */
static void
check_link(const char *s, size_t n)
{
    const char *nl = memchr(s, '\n', n);
    if (nl == NULL)
        return;
    char link[256];
    size_t ll = (size_t)(nl - s);
    if (ll >= sizeof(link) || memchr(s, '\0', ll) != NULL)
        return;
    memcpy(link, s, ll);
    link[ll] = '\0';
    const char *target = nl + 1;
    size_t tl = n - ll - 1;
    if (!lg_safename_link_inside(link, target, tl))
        return;
    long depth = 0;
    for (size_t i = 0; i < ll; i++)
        depth += link[i] == '/';
    REQUIRE(tl > 0 && target[0] != '/' && memchr(target, '\0', tl) == NULL);
    for (const char *p = target, *end = target + tl; p < end;) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        size_t len = (size_t)((slash ? slash : end) - p);
        REQUIRE(!(len == 1 && p[0] == '.'));
        depth += len == 2 && p[0] == '.' && p[1] == '.' ? -1 : 1;
        REQUIRE(depth >= 0);
        p += len + 1;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_path((const char *)data, size);
    check_link((const char *)data, size);
    return 0;
}
