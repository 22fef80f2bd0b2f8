/* http.h - the small blocking HTTP client the runtime drivers use (libcurl): one request, a bounded
 * answer, a deadline. Only http and https; redirects are not followed. */
#ifndef LG_RUNTIME_HTTP_H
#define LG_RUNTIME_HTTP_H

#include "core/buf.h"
#include "core/err.h"

#include <stdint.h>

typedef struct {
    long status; /* 0 when no answer came */
    lg_buf_t body;
} lg_http_answer_t;

/* method url, with header lines (NULL-terminated list, may be NULL) and body (may be NULL), within
 * timeout_ms. 0 with out filled (release with lg_http_answer_free) when an answer came, whatever its
 * status; -1 with err (LG_ETIMEOUT or LG_EIO) when none did. */
int lg_http_request(const char *method, const char *url, const char *const *headers, const char *body,
                    int64_t timeout_ms, lg_http_answer_t *out, lg_err_t *err);

/* Streams the answer of GET url to each(ctx, data, len) until it returns 0 or the deadline passes:
 * 0 when each stopped it, -1 with err otherwise. */
int lg_http_stream(const char *url, const char *const *headers, int64_t timeout_ms,
                   int (*each)(void *ctx, const char *data, size_t len), void *ctx, long *status,
                   lg_err_t *err);

void lg_http_answer_free(lg_http_answer_t *a);

#endif
