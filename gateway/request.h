/* request.h - one HTTP request as the routes see it, and the route table's shape. The dispatcher
 * (request.c) gives every request an id, enforces the header limit, finds the route, keeps the request
 * on its thread's in-flight list, and at the end logs it and counts it in the metrics. Routes answer
 * with the functions of respond.h. */
#ifndef LG_REQUEST_H
#define LG_REQUEST_H

#include "core/config.h"
#include "gateway/server.h"

#include <stdint.h>

typedef struct lg_request lg_request_t;

/* How a route's errors are written: a page for browsers, JSON for the API, plain text for images. */
typedef enum { LG_ERRORS_HTML, LG_ERRORS_JSON, LG_ERRORS_TEXT } lg_error_format_t;

typedef struct {
    const char *path;    /* matched exactly, or as a prefix when it ends in '/' */
    const char *methods; /* space-separated; GET also allows HEAD */
    void (*handle)(lg_request_t *r);
    const char *name; /* label in metrics and logs */
    lg_error_format_t errors;
    int64_t max_body; /* largest body it takes; 0: max_body_bytes */
    int secret_query; /* its query carries secrets (a sign-in code): the access log leaves it out */
} lg_route_t;

#define LG_WEBHOOK_MAX_BODY (25LL * 1024 * 1024) /* GitHub's own cap on a delivery */

/* An asynchronous operation a request waits on (Redis): embedded in the operation's own memory, it is
 * told when the request goes away first (a client reset on HTTP/2), so the answer is dropped. */
typedef struct {
    lg_request_t *r; /* NULL once the request is gone */
} lg_await_t;

struct lg_request {
    h2o_req_t *req; /* NULL once the request is gone (client reset); async work checks it */
    lg_thread_t *thread;
    const lg_route_t *route;
    unsigned route_index;
    uint64_t started_us;
    h2o_linklist_t link;     /* in thread->requests */
    unsigned long_lived : 1; /* exempt from response_timeout (event streams) */
    unsigned cut : 1;        /* its connection was cut for taking too long */
    lg_await_t *await;       /* the operation it waits on, if any */
    char id[24];
};

/* Registers the dispatcher for every path of hostconf, routing by `routes` (n rows, the last one the
 * catch-all answer for paths no row matches). */
void lg_request_register(h2o_hostconf_t *hostconf, const lg_route_t *routes, size_t n);

/* A monotonic clock in microseconds, the one requests are timed by. */
uint64_t lg_request_now_us(void);

/* The configuration the gateway runs with. */
const lg_config_t *lg_request_config(const lg_request_t *r);
/* The request path exactly as sent (not normalized), with its query. */
h2o_iovec_t lg_request_raw_path(const lg_request_t *r);
/* The decoded value of query parameter `name` ("+" is a space), NUL-terminated, in the request's
 * memory; NULL when absent. A malformed percent-escape, or a NUL byte in the value, makes it return
 * NULL with *bad set. */
const char *lg_request_query(lg_request_t *r, const char *name, int *bad);
/* The raw query string after '?', or an empty one; *len receives its length. */
const char *lg_request_query_string(lg_request_t *r, size_t *len);
/* The first value of a request header (lower-case name), or NULL; *len receives its length. */
const char *lg_request_header(lg_request_t *r, const char *name, size_t *len);
/* The decoded value of field `name` of an application/x-www-form-urlencoded body, like lg_request_query. */
const char *lg_request_form(lg_request_t *r, const char *name, int *bad);
/* The value of cookie `name`, or NULL; *len receives its length. */
const char *lg_request_cookie(lg_request_t *r, const char *name, size_t *len);
/* 1 when the request's Content-Type is `type` (parameters such as charset aside). */
int lg_request_content_type_is(lg_request_t *r, const char *type);

/* r waits on a: if r goes away before lg_request_resume, a->r becomes NULL. */
void lg_request_await(lg_request_t *r, lg_await_t *a);
/* The request a waited on, no longer tied to it; NULL when it went away meanwhile. */
lg_request_t *lg_request_resume(lg_await_t *a);

/* "https://host:port" for links in answers: public_url when configured; otherwise the scheme this
 * listener serves (https with TLS) and the request's Host, or the address the request came in on. */
const char *lg_request_base_url(lg_request_t *r);

#endif
