/* route_badge.c - GET /badge.svg: the "Open in labgate" badge, shaped by style, label, message, color,
 * labelColor, logo and cacheSeconds. Rendered badges are kept per thread, keyed by the raw query, so a
 * README's repeated requests cost a lookup; answers carry a strong ETag and honour If-None-Match. */
#include "gateway/routes.h"

#include "badge/badge.h"
#include "core/urlenc.h"
#include "gateway/badge_cache.h"

#include <stdio.h>
#include <string.h>

/* Applies every badge parameter of the query; unknown names are ignored (cache busters and the like). */
static int
parse_query(lg_badge_opts_t *opts, const char *q, size_t qlen, lg_err_t *err)
{
    size_t pos = 0, nlen, vlen;
    const char *name, *value;
    lg_buf_t decoded = LG_BUF_INIT;
    int rc = 0;
    lg_badge_opts_init(opts);
    while (rc == 0 && lg_query_next(q, qlen, &pos, &name, &nlen, &value, &vlen)) {
        lg_buf_reset(&decoded);
        if (lg_url_decode(&decoded, value, vlen, 1, err) != 0) {
            rc = lg_err_set(err, LG_EINVAL, "%.*s: the value has a broken %%-escape",
                            (int)(nlen > 32 ? 32 : nlen), name);
            break;
        }
        rc = lg_badge_opts_set(opts, name, nlen, lg_buf_str(&decoded), decoded.len, err) < 0 ? -1 : 0;
    }
    lg_buf_free(&decoded);
    return rc;
}

static void
render(lg_badge_entry_t *e, const lg_badge_opts_t *opts)
{
    lg_buf_t svg = LG_BUF_INIT;
    lg_badge_render(&svg, opts);
    e->len = svg.len;
    e->body = lg_buf_detach(&svg);
    lg_etag_of(e->etag, e->body, e->len);
    if (opts->cache_seconds == 0)
        snprintf(e->cache_control, sizeof(e->cache_control), "no-cache");
    else
        snprintf(e->cache_control, sizeof(e->cache_control), "public, max-age=%u, s-maxage=%u",
                 (unsigned)opts->cache_seconds, (unsigned)opts->cache_seconds);
}

static void
respond(lg_request_t *r, const lg_badge_entry_t *e)
{
    lg_respond_header(r, "content-security-policy",
                      "default-src 'none'; img-src data:; style-src 'unsafe-inline'");
    lg_respond_cacheable(r, e->etag, e->cache_control, "image/svg+xml; charset=utf-8", e->body, e->len);
}

void
lg_route_badge(lg_request_t *r)
{
    size_t qlen;
    const char *q = lg_request_query_string(r, &qlen);
    lg_thread_t *t = r->thread;
    if (t->badge_cache == NULL)
        t->badge_cache = lg_badge_cache_new();
    lg_badge_entry_t *hit = lg_badge_cache_get(t->badge_cache, q, qlen);
    if (hit != NULL) {
        respond(r, hit);
        return;
    }
    lg_badge_opts_t opts;
    lg_err_t err;
    if (parse_query(&opts, q, qlen, &err) != 0) {
        lg_respond_error(r, 400, "bad_parameter", err.msg);
        return;
    }
    lg_badge_entry_t fresh = {0};
    render(&fresh, &opts);
    respond(r, lg_badge_cache_put(t->badge_cache, q, qlen, &fresh));
}
