/* request.h - one HTTP request as the routes see it, the route table's shape, and the helpers routes
 * answer with. The dispatcher (request.c) gives every request an id, enforces the header limit, finds
 * the route, and at the end logs the request and counts it in the metrics. */
#ifndef LG_REQUEST_H
#define LG_REQUEST_H

#include "gateway/server.h"

#include <stdint.h>

typedef struct lg_request lg_request_t;

/* How a route's errors are written: a page for browsers, JSON for the API, plain text for images. */
typedef enum { LG_ERRORS_HTML, LG_ERRORS_JSON, LG_ERRORS_TEXT } lg_error_format_t;

typedef struct {
    const char *path;    /* matched exactly, or as a prefix when it ends in '/' */
    const char *methods; /* space-separated; GET also allows HEAD */
    int (*handle)(lg_request_t *r);
    const char *name;    /* label in metrics and logs */
    lg_error_format_t errors;
} lg_route_t;

struct lg_request {
    h2o_req_t *req; /* NULL once the request is gone (client reset); async work checks it */
    lg_thread_t *thread;
    const lg_route_t *route;
    unsigned route_index;
    uint64_t started_us;
    char id[40];
};

/* Registers the dispatcher for every path of hostconf, routing by `routes` (n rows). */
void lg_request_register(h2o_hostconf_t *hostconf, const lg_route_t *routes, size_t n);

/* The decoded value of query parameter `name` ("+" is a space), NUL-terminated, in the request's
 * memory; NULL when absent. A malformed percent-escape makes it return NULL with *bad set. */
const char *lg_request_query(lg_request_t *r, const char *name, int *bad);
/* The raw query string after '?', or an empty one; *len receives its length. */
const char *lg_request_query_string(lg_request_t *r, size_t *len);
/* The first value of a request header (lower-case name), or NULL; *len receives its length. */
const char *lg_request_header(lg_request_t *r, const char *name, size_t *len);
/* "https://host" for links in answers: public_url when configured, else the request's scheme and Host. */
const char *lg_request_base_url(lg_request_t *r);

/* Adds a response header: name must be a lower-case literal; value is copied. */
void lg_request_add_header(lg_request_t *r, const char *name, const char *value);
/* Answers with status and body (copied); HEAD requests get the headers only. */
void lg_request_respond(lg_request_t *r, int status, const char *content_type, const char *body, size_t len);
/* Answers with an error in the route's format: {"error":{"code","message"}}, a page, or text. */
void lg_request_error(lg_request_t *r, int status, const char *code, const char *message);
/* Answers 3xx with Location. */
void lg_request_redirect(lg_request_t *r, int status, const char *location);

#endif
