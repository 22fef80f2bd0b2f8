/* etag.c - entity tags. */
#include "etag.h"

#include "core/hash.h"

#include <stdio.h>
#include <string.h>

void
lg_etag_of(char out[LG_ETAG_SIZE], const void *data, size_t len)
{
    snprintf(out, LG_ETAG_SIZE, "\"%016llx\"", (unsigned long long)lg_hash64(data, len));
}

int
lg_etag_matches(const char *v, size_t len, const char *etag)
{
    size_t elen = strlen(etag), i = 0;
    while (i < len) {
        while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
            i++;
        if (i < len && v[i] == '*')
            return 1;
        if (i + 2 <= len && v[i] == 'W' && v[i + 1] == '/')
            i += 2;
        size_t start = i;
        while (i < len && v[i] != ',')
            i++;
        size_t end = i;
        while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
            end--;
        if (end - start == elen && memcmp(v + start, etag, elen) == 0)
            return 1;
    }
    return 0;
}
