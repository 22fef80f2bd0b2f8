/* respond.h - how routes answer: headers, bodies, errors in the route's format, redirects, and
 * cacheable answers with an ETag and 304. */
#ifndef LG_RESPOND_H
#define LG_RESPOND_H

#include "gateway/request.h"

#include <jansson.h>

/* Adds a response header: name must be a lower-case literal; value is copied. */
void lg_respond_header(lg_request_t *r, const char *name, const char *value);
/* Answers with status and body (copied), and X-Request-Id; HEAD requests get the headers only. */
void lg_respond(lg_request_t *r, int status, const char *content_type, const char *body, size_t len);
/* Answers 200 with body, or 304 without one when If-None-Match names etag; both carry etag and
 * cache_control, and no X-Request-Id (caches share these answers). */
void lg_respond_cacheable(lg_request_t *r, const char *etag, const char *cache_control,
                          const char *content_type, const char *body, size_t len);
/* Answers with an error in the route's format: {"error":{"code","message"}}, a page, or text. */
void lg_respond_error(lg_request_t *r, int status, const char *code, const char *message);
/* Answers 3xx with Location. */
void lg_respond_redirect(lg_request_t *r, int status, const char *location);
/* Answers with a JSON document (which it releases); a document that cannot be written is a 500. */
void lg_respond_json(lg_request_t *r, int status, json_t *doc);

#endif
