/* fuzz_query.c - the request-side parsers of core/ and gateway/: query iteration, percent-decoding
 * (round trip through encoding) and If-None-Match matching. */
#include "core/urlenc.h"
#include "gateway/etag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *q = (const char *)data;
    size_t pos = 0, nlen, vlen;
    const char *name, *value;
    lg_buf_t decoded = LG_BUF_INIT, encoded = LG_BUF_INIT, again = LG_BUF_INIT;
    while (lg_query_next(q, size, &pos, &name, &nlen, &value, &vlen)) {
        if (name < q || value < q || name + nlen > q + size || value + vlen > q + size)
            abort();
        lg_buf_reset(&decoded);
        if (lg_url_decode(&decoded, value, vlen, 1, NULL) != 0)
            continue;
        lg_buf_reset(&encoded);
        lg_buf_reset(&again);
        lg_url_encode(&encoded, decoded.data, decoded.len);
        if (lg_url_decode(&again, encoded.data, encoded.len, 0, NULL) != 0 || again.len != decoded.len ||
            memcmp(lg_buf_str(&again), lg_buf_str(&decoded), decoded.len) != 0)
            abort();
    }
    lg_etag_matches(q, size, "\"0123456789abcdef\"");
    lg_buf_free(&decoded);
    lg_buf_free(&encoded);
    lg_buf_free(&again);
    return 0;
}
