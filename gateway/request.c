/* request.c - the dispatcher every request goes through, and what routes read of a request. */
#include "request.h"

#include "core/log.h"
#include "core/urlenc.h"
#include "gateway/respond.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

typedef struct {
    h2o_handler_t super;
    const lg_route_t *routes;
    size_t nroutes; /* without the catch-all row */
} dispatcher_t;

uint64_t
lg_request_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t
next_random(lg_thread_t *t)
{
    if (t->rng == 0 && getrandom(&t->rng, sizeof(t->rng), 0) != sizeof(t->rng))
        t->rng = lg_request_now_us() ^ (uint64_t)(uintptr_t)t;
    t->rng |= 1;
    t->rng ^= t->rng << 13;
    t->rng ^= t->rng >> 7;
    t->rng ^= t->rng << 17;
    return t->rng;
}

/* 16 lower-case hex digits and a NUL: the request id (snprintf costs more than the rest of a cached badge).
 */
static void
write_id(char out[17], uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, v >>= 4)
        out[i] = hex[v & 15];
    out[16] = '\0';
}

/* A client's X-Request-Id, when short and plain, is logged beside our own id; otherwise "-". */
static h2o_iovec_t
client_id(lg_request_t *r)
{
    size_t len;
    const char *given = lg_request_header(r, "x-request-id", &len);
    int ok = given != NULL && len > 0 && len <= 64;
    for (size_t i = 0; ok && i < len; i++) {
        char c = given[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
             c == '_' || c == '.';
    }
    return ok ? h2o_iovec_init(given, len) : h2o_iovec_init(H2O_STRLIT("-"));
}

static const char *
protocol_name(int version)
{
    return version >= 0x200 ? "h2" : version == 0x101 ? "http/1.1" : "http/1.0";
}

/* The access log line. The request's memory is still whole: h2o runs this before freeing its pool. */
static void
log_request(lg_request_t *r, int status, uint64_t elapsed)
{
    h2o_req_t *req = r->req;
    size_t pathlen = req->input.path.len > 512 ? 512 : req->input.path.len;
    if (r->route->secret_query && req->query_at != SIZE_MAX && req->query_at < pathlen)
        pathlen = req->query_at;
    h2o_iovec_t client = client_id(r);
    lg_log(LG_LOG_INFO, r->id, "request", LG_SN("method", req->method.base, req->method.len),
           LG_SN("path", req->input.path.base, pathlen), LG_I("status", status),
           LG_S("route", r->route->name), LG_I("bytes", req->bytes_sent), LG_I("us", elapsed),
           LG_S("proto", protocol_name(req->version)), LG_SN("client_id", client.base, client.len));
}

/* Runs when h2o frees the request: after the response went out, or when the client gave up on it. */
static void
on_request_done(void *p)
{
    lg_request_t *r = p;
    uint64_t elapsed = lg_request_now_us() - r->started_us;
    int status = r->req->res.status ? r->req->res.status : 499;
    lg_metrics_observe(&r->thread->metrics, r->route_index, status, elapsed);
    lg_metrics_gauge_add(&r->thread->metrics.in_flight, -1);
    h2o_linklist_unlink(&r->link);
    if (r->await != NULL)
        r->await->r = NULL;
    if (lg_log_min_level <= LG_LOG_INFO)
        log_request(r, status, elapsed);
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
            (len == 3 && memcmp(m, "GET", 3) == 0 &&
             h2o_memis(method->base, method->len, H2O_STRLIT("HEAD"))))
            return 1;
        m += len + (m[len] == ' ');
    }
    return 0;
}

static int
path_matches(const lg_route_t *route, const h2o_iovec_t *path)
{
    const char *p = route->path;
    size_t len = strlen(p);
    return p[len - 1] == '/' && len > 1 ? path->len >= len && memcmp(path->base, p, len) == 0
                                        : h2o_memis(path->base, path->len, p, len);
}

/* The first row whose path matches and that takes the method; else the first whose path matches (to be
 * answered 405); else the catch-all. */
static size_t
find_route(const dispatcher_t *d, const h2o_iovec_t *path, const h2o_iovec_t *method)
{
    size_t first = d->nroutes;
    for (size_t i = 0; i < d->nroutes; i++) {
        if (!path_matches(&d->routes[i], path))
            continue;
        if (method_allowed(&d->routes[i], method))
            return i;
        if (first == d->nroutes)
            first = i;
    }
    return first;
}

/* 405, with Allow listing the methods of every row for this path. */
static void
refuse_method(lg_request_t *r, const dispatcher_t *d)
{
    lg_buf_t allow = LG_BUF_INIT;
    for (size_t i = 0; i < d->nroutes; i++) {
        if (strcmp(d->routes[i].path, r->route->path) != 0)
            continue;
        for (const char *m = d->routes[i].methods; *m;) {
            size_t len = strcspn(m, " ");
            lg_buf_printf(&allow, "%s%.*s", allow.len ? "," : "", (int)len, m);
            if (len == 3 && memcmp(m, "GET", 3) == 0)
                lg_buf_puts(&allow, ",HEAD");
            m += len + (m[len] == ' ');
        }
    }
    lg_respond_header(r, "allow", lg_buf_str(&allow));
    lg_buf_free(&allow);
    lg_respond_error(r, 405, "method_not_allowed", "This address does not take that method.");
}

static int
on_req(h2o_handler_t *self, h2o_req_t *req)
{
    dispatcher_t *d = (dispatcher_t *)self;
    lg_request_t *r = h2o_mem_alloc_shared(&req->pool, sizeof(*r), on_request_done);
    *r = (lg_request_t){
        .req = req, .thread = (lg_thread_t *)req->conn->ctx, .started_us = lg_request_now_us()};
    lg_metrics_gauge_add(&r->thread->metrics.in_flight, 1);
    h2o_linklist_insert(&r->thread->requests, &r->link);
    write_id(r->id, next_random(r->thread));

    size_t i = find_route(d, &req->path_normalized, &req->method);
    r->route_index = (unsigned)i;
    r->route = &d->routes[i];
    if (head_size(req) > (size_t)r->thread->server->cfg->max_header_bytes)
        lg_respond_error(r, 431, "headers_too_large",
                         "The request's path, query and headers are too large for this server.");
    else if (i == d->nroutes)
        lg_respond_error(r, 404, "not_found", "There is nothing at this address.");
    else if (!method_allowed(r->route, &req->method))
        refuse_method(r, d);
    else if ((int64_t)req->entity.len >
             (r->route->max_body ? r->route->max_body : r->thread->server->cfg->max_body_bytes))
        lg_respond_error(r, 413, "body_too_large", "The request's body is larger than this address takes.");
    else
        r->route->handle(r);
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

const lg_config_t *
lg_request_config(const lg_request_t *r)
{
    return r->thread->server->cfg;
}

h2o_iovec_t
lg_request_raw_path(const lg_request_t *r)
{
    return r->req->path;
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

/* The decoded value of name in text (name=value&... form encoding), in the request's memory. */
static const char *
find_param(lg_request_t *r, const char *q, size_t qlen, const char *name, int *bad)
{
    size_t pos = 0, nlen, vlen, want = strlen(name);
    const char *n, *v;
    *bad = 0;
    while (lg_query_next(q, qlen, &pos, &n, &nlen, &v, &vlen)) {
        if (nlen != want || memcmp(n, name, want) != 0)
            continue;
        lg_buf_t out = LG_BUF_INIT;
        const char *result = NULL;
        if (lg_url_decode(&out, v, vlen, 1, NULL) == 0 && memchr(lg_buf_str(&out), '\0', out.len) == NULL)
            result = h2o_strdup(&r->req->pool, lg_buf_str(&out), out.len).base;
        else
            *bad = 1;
        lg_buf_free(&out);
        return result;
    }
    return NULL;
}

const char *
lg_request_query(lg_request_t *r, const char *name, int *bad)
{
    size_t qlen;
    const char *q = lg_request_query_string(r, &qlen);
    return find_param(r, q, qlen, name, bad);
}

const char *
lg_request_form(lg_request_t *r, const char *name, int *bad)
{
    return find_param(r, r->req->entity.base ? r->req->entity.base : "", r->req->entity.len, name, bad);
}

const char *
lg_request_cookie(lg_request_t *r, const char *name, size_t *len)
{
    size_t want = strlen(name);
    h2o_headers_t *h = &r->req->headers;
    for (ssize_t i = -1; (i = h2o_find_header(h, H2O_TOKEN_COOKIE, i)) >= 0;) {
        const char *p = h->entries[i].value.base, *end = p + h->entries[i].value.len;
        while (p < end) {
            while (p < end && (*p == ' ' || *p == ';'))
                p++;
            const char *stop = memchr(p, ';', (size_t)(end - p));
            if (stop == NULL)
                stop = end;
            if ((size_t)(stop - p) > want && memcmp(p, name, want) == 0 && p[want] == '=') {
                *len = (size_t)(stop - p) - want - 1;
                return p + want + 1;
            }
            p = stop;
        }
    }
    return NULL;
}

int
lg_request_content_type_is(lg_request_t *r, const char *type)
{
    size_t len, want = strlen(type);
    const char *v = lg_request_header(r, "content-type", &len);
    if (v == NULL || len < want || strncasecmp(v, type, want) != 0)
        return 0;
    return len == want || v[want] == ';' || v[want] == ' ';
}

void
lg_request_await(lg_request_t *r, lg_await_t *a)
{
    a->r = r;
    r->await = a;
}

lg_request_t *
lg_request_resume(lg_await_t *a)
{
    lg_request_t *r = a->r;
    if (r != NULL)
        r->await = NULL;
    a->r = NULL;
    return r;
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
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '.' || c == ':' || c == '[' || c == ']'))
            return 0;
    }
    return 1;
}

/* The address the request came in on, as "host:port", for requests without a usable Host. */
static h2o_iovec_t
local_authority(lg_request_t *r)
{
    struct sockaddr_storage ss;
    char host[INET6_ADDRSTRLEN] = "localhost";
    uint16_t port = 0;
    if (r->req->conn->callbacks->get_sockname(r->req->conn, (struct sockaddr *)&ss) > 0) {
        if (ss.ss_family == AF_INET6) {
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
            port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
        } else {
            inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
            port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        }
    }
    int v6 = strchr(host, ':') != NULL;
    char text[INET6_ADDRSTRLEN + 16];
    int n = snprintf(text, sizeof(text), "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", port);
    return h2o_strdup(&r->req->pool, text, (size_t)n);
}

const char *
lg_request_base_url(lg_request_t *r)
{
    const lg_config_t *cfg = lg_request_config(r);
    if (cfg->public_url[0] != '\0')
        return cfg->public_url;
    h2o_req_t *req = r->req;
    h2o_iovec_t authority = req->input.authority; /* Host, or :authority */
    if (authority.base == req->hostconf->authority.hostport.base || !plain_authority(&authority))
        authority = local_authority(r); /* none was sent (h2o filled in its own), or it is not plain */
    const char *scheme = cfg->tls_cert[0] != '\0' ? "https" : "http";
    size_t n = strlen(scheme) + 3 + authority.len + 1;
    char *url = h2o_mem_alloc_pool(&req->pool, n);
    snprintf(url, n, "%s://%.*s", scheme, (int)authority.len, authority.base);
    return url;
}
