/* request.c - the dispatcher every request goes through, and the helpers routes answer with. */
#include "request.h"

#include "core/escape.h"
#include "core/log.h"
#include "core/urlenc.h"
#include "gateway/page.h"
#include "gateway/status.h"

#include <jansson.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

typedef struct {
    h2o_handler_t super;
    const lg_route_t *routes;
    size_t nroutes;
} dispatcher_t;

static uint64_t
now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t
next_random(lg_thread_t *t)
{
    if (t->rng == 0 && getrandom(&t->rng, sizeof(t->rng), 0) != sizeof(t->rng))
        t->rng = now_us() ^ (uint64_t)(uintptr_t)t;
    t->rng |= 1;
    t->rng ^= t->rng << 13;
    t->rng ^= t->rng >> 7;
    t->rng ^= t->rng << 17;
    return t->rng;
}

/* A client-sent X-Request-Id is kept when it is short and plain; otherwise a fresh one is made. */
static void
assign_id(lg_request_t *r)
{
    size_t len;
    const char *given = lg_request_header(r, "x-request-id", &len);
    int ok = given != NULL && len > 0 && len < sizeof(r->id);
    for (size_t i = 0; ok && i < len; i++) {
        char c = given[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
             c == '.';
    }
    if (ok) {
        memcpy(r->id, given, len);
        r->id[len] = '\0';
    } else {
        snprintf(r->id, sizeof(r->id), "%016llx", (unsigned long long)next_random(r->thread));
    }
    lg_request_add_header(r, "x-request-id", r->id);
}

static const char *
protocol_name(int version)
{
    return version >= 0x200 ? "h2" : version == 0x101 ? "http/1.1" : "http/1.0";
}

/* Runs when h2o frees the request: after the response went out, or when the client gave up on it. */
static void
on_request_done(void *p)
{
    lg_request_t *r = p;
    h2o_req_t *req = r->req;
    uint64_t elapsed = now_us() - r->started_us;
    int status = req->res.status ? req->res.status : 499;
    lg_metrics_observe(&r->thread->metrics, r->route_index, status, elapsed);
    lg_metrics_gauge_add(&r->thread->metrics.in_flight, -1);
    size_t pathlen = req->input.path.len > 512 ? 512 : req->input.path.len;
    lg_log(LG_LOG_INFO, r->id, "request", LG_SN("method", req->method.base, req->method.len),
           LG_SN("path", req->input.path.base, pathlen), LG_I("status", status), LG_S("route", r->route->name),
           LG_I("bytes", req->bytes_sent), LG_I("us", elapsed), LG_S("proto", protocol_name(req->version)));
    r->req = NULL;
}

static size_t
head_size(const h2o_req_t *req)
{
    size_t n = req->input.path.len + req->input.authority.len + req->method.len;
    for (size_t i = 0; i < req->headers.size; i++)
        n += req->headers.entries[i].name->len + req->headers.entries[i].value.len + 4;
    return n;
}

static int
method_allowed(const lg_route_t *route, const h2o_iovec_t *method)
{
    const char *m = route->methods;
    while (*m) {
        size_t len = strcspn(m, " ");
        if ((len == method->len && memcmp(m, method->base, len) == 0) ||
            (len == 3 && memcmp(m, "GET", 3) == 0 && h2o_memis(method->base, method->len, H2O_STRLIT("HEAD"))))
            return 1;
        m += len + (m[len] == ' ');
    }
    return 0;
}

static size_t
find_route(const dispatcher_t *d, const h2o_iovec_t *path)
{
    for (size_t i = 0; i < d->nroutes; i++) {
        const char *p = d->routes[i].path;
        size_t len = strlen(p);
        if (p[len - 1] == '/' && len > 1 ? path->len >= len && memcmp(path->base, p, len) == 0
                                         : h2o_memis(path->base, path->len, p, len))
            return i;
    }
    return d->nroutes; /* the last row is the catch-all */
}

static int
on_req(h2o_handler_t *self, h2o_req_t *req)
{
    dispatcher_t *d = (dispatcher_t *)self;
    lg_request_t *r = h2o_mem_alloc_shared(&req->pool, sizeof(*r), on_request_done);
    *r = (lg_request_t){.req = req, .thread = lg_thread_of(req), .started_us = now_us()};
    lg_metrics_gauge_add(&r->thread->metrics.in_flight, 1);

    size_t i = find_route(d, &req->path_normalized);
    r->route_index = (unsigned)i;
    r->route = &d->routes[r->route_index];
    assign_id(r);

    if (head_size(req) > (size_t)r->thread->server->cfg->max_header_bytes) {
        lg_request_error(r, 431, "headers_too_large",
                         "The request's path, query and headers are too large for this server.");
    } else if (i == d->nroutes) {
        lg_request_error(r, 404, "not_found", "There is nothing at this address.");
    } else if (!method_allowed(r->route, &req->method)) {
        char allow[64];
        snprintf(allow, sizeof(allow), "%s%s", r->route->methods,
                 strncmp(r->route->methods, "GET", 3) == 0 ? " HEAD" : "");
        for (char *c = allow; *c; c++)
            if (*c == ' ')
                *c = ',';
        lg_request_add_header(r, "allow", allow);
        lg_request_error(r, 405, "method_not_allowed", "This address does not take that method.");
    } else {
        r->route->handle(r);
    }
    return 0;
}

void
lg_request_register(h2o_hostconf_t *hostconf, const lg_route_t *routes, size_t n)
{
    h2o_pathconf_t *pathconf = h2o_config_register_path(hostconf, "/", 0);
    dispatcher_t *d = (dispatcher_t *)h2o_create_handler(pathconf, sizeof(*d));
    d->super.on_req = on_req;
    d->routes = routes;
    d->nroutes = n - 1;
}

const char *
lg_request_query_string(lg_request_t *r, size_t *len)
{
    h2o_req_t *req = r->req;
    if (req->query_at == SIZE_MAX) {
        *len = 0;
        return "";
    }
    *len = req->path.len - req->query_at - 1;
    return req->path.base + req->query_at + 1;
}

const char *
lg_request_query(lg_request_t *r, const char *name, int *bad)
{
    size_t qlen, pos = 0, nlen, vlen, want = strlen(name);
    const char *q = lg_request_query_string(r, &qlen), *n, *v;
    *bad = 0;
    while (lg_query_next(q, qlen, &pos, &n, &nlen, &v, &vlen)) {
        if (nlen != want || memcmp(n, name, want) != 0)
            continue;
        lg_buf_t out = LG_BUF_INIT;
        const char *result = NULL;
        if (lg_url_decode(&out, v, vlen, 1, NULL) == 0) {
            char *copy = h2o_mem_alloc_pool(&r->req->pool, out.len + 1);
            memcpy(copy, lg_buf_str(&out), out.len + 1);
            result = copy;
        } else {
            *bad = 1;
        }
        lg_buf_free(&out);
        return result;
    }
    return NULL;
}

const char *
lg_request_header(lg_request_t *r, const char *name, size_t *len)
{
    ssize_t i = h2o_find_header_by_str(&r->req->headers, name, strlen(name), -1);
    if (i < 0)
        return NULL;
    *len = r->req->headers.entries[i].value.len;
    return r->req->headers.entries[i].value.base;
}

static int
plain_authority(const h2o_iovec_t *a)
{
    if (a->len == 0 || a->len > 255)
        return 0;
    for (size_t i = 0; i < a->len; i++) {
        char c = a->base[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
              c == ':' || c == '[' || c == ']'))
            return 0;
    }
    return 1;
}

const char *
lg_request_base_url(lg_request_t *r)
{
    const char *configured = r->thread->server->cfg->public_url;
    if (configured[0] != '\0')
        return configured;
    h2o_req_t *req = r->req;
    const char *scheme = req->scheme == &H2O_URL_SCHEME_HTTPS ? "https" : "http";
    h2o_iovec_t host = plain_authority(&req->authority) ? req->authority : h2o_iovec_init(H2O_STRLIT("localhost"));
    size_t n = strlen(scheme) + 3 + host.len + 1;
    char *url = h2o_mem_alloc_pool(&req->pool, n);
    snprintf(url, n, "%s://%.*s", scheme, (int)host.len, host.base);
    return url;
}

void
lg_request_add_header(lg_request_t *r, const char *name, const char *value)
{
    h2o_req_t *req = r->req;
    h2o_iovec_t copy = h2o_strdup(&req->pool, value, strlen(value));
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 1, NULL, copy.base, copy.len);
}

void
lg_request_respond(lg_request_t *r, int status, const char *content_type, const char *body, size_t len)
{
    h2o_req_t *req = r->req;
    req->res.status = status;
    req->res.reason = lg_status_reason(status);
    req->res.content_length = len;
    lg_request_add_header(r, "content-type", content_type);
    lg_request_add_header(r, "x-content-type-options", "nosniff");
    if (strncmp(content_type, "text/html", 9) == 0) {
        lg_request_add_header(r, "content-security-policy",
                              "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
                              "form-action 'self'");
        lg_request_add_header(r, "referrer-policy", "same-origin");
    }
    h2o_send_inline(req, body, len);
}

static void
error_json(lg_buf_t *out, const char *code, const char *message)
{
    json_t *doc = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
    char *text = json_dumps(doc, JSON_COMPACT);
    lg_buf_puts(out, text);
    lg_buf_putc(out, '\n');
    free(text);
    json_decref(doc);
}

void
lg_request_error(lg_request_t *r, int status, const char *code, const char *message)
{
    lg_buf_t body = LG_BUF_INIT;
    const char *type;
    switch (r->route->errors) {
    case LG_ERRORS_JSON:
        error_json(&body, code, message);
        type = "application/json";
        break;
    case LG_ERRORS_TEXT:
        lg_buf_printf(&body, "%s\n", message);
        type = "text/plain; charset=utf-8";
        break;
    default:
        lg_page_error(&body, status, message);
        type = "text/html; charset=utf-8";
        break;
    }
    lg_request_add_header(r, "cache-control", "no-store");
    lg_request_respond(r, status, type, lg_buf_str(&body), body.len);
    lg_buf_free(&body);
}

void
lg_request_redirect(lg_request_t *r, int status, const char *location)
{
    lg_request_add_header(r, "location", location);
    lg_buf_t body = LG_BUF_INIT;
    lg_buf_puts(&body, "Moved to ");
    lg_buf_puts(&body, location);
    lg_buf_putc(&body, '\n');
    lg_request_respond(r, status, "text/plain; charset=utf-8", lg_buf_str(&body), body.len);
    lg_buf_free(&body);
}
