/* etag.h - strong entity tags for content held in memory, and If-None-Match. */
#ifndef LG_ETAG_H
#define LG_ETAG_H

#include <stddef.h>

#define LG_ETAG_SIZE 20 /* "\"" + 16 hex digits + "\"" + NUL, rounded */

/* Writes a strong ETag (quoted) derived from the bytes (64-bit FNV-1a). */
void lg_etag_of(char out[LG_ETAG_SIZE], const void *data, size_t len);
/* 1 when an If-None-Match value (a list, or "*") names etag, comparing weakly as RFC 9110 asks. */
int lg_etag_matches(const char *if_none_match, size_t len, const char *etag);

#endif
