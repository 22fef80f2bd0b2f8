/* respond.c - answering a request: headers, bodies, errors, redirects, cacheable answers, JSON. */
#include "respond.h"

#include "core/buf.h"
#include "core/log.h"
#include "gateway/etag.h"
#include "gateway/page.h"
#include "gateway/status.h"

#include <stdlib.h>
#include <string.h>

/* A header whose value lives as long as the request or the program: nothing is copied. */
static void
add_kept(lg_request_t *r, const char *name, const char *value)
{
    h2o_req_t *req = r->req;
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 1, NULL, value, strlen(value));
}

void
lg_respond_header(lg_request_t *r, const char *name, const char *value)
{
    add_kept(r, name, h2o_strdup(&r->req->pool, value, strlen(value)).base);
}

/* Sends status and body. Answers that caches share (with_id 0) carry no X-Request-Id: it would
 * describe only the request that filled the cache. */
static void
send_answer(lg_request_t *r, int status, const char *content_type, const char *body, size_t len, int with_id)
{
    h2o_req_t *req = r->req;
    req->res.status = status;
    req->res.reason = lg_status_reason(status);
    req->res.content_length = len;
    if (with_id)
        add_kept(r, "x-request-id", r->id); /* r lives until the request is freed */
    add_kept(r, "content-type", content_type);
    add_kept(r, "x-content-type-options", "nosniff");
    if (strncmp(content_type, "text/html", 9) == 0) {
        add_kept(r, "content-security-policy",
                 "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
                 "form-action 'self'");
        add_kept(r, "referrer-policy", "same-origin");
    }
    h2o_send_inline(req, body, len);
}

void
lg_respond(lg_request_t *r, int status, const char *content_type, const char *body, size_t len)
{
    send_answer(r, status, content_type, body, len, 1);
}

void
lg_respond_cacheable(lg_request_t *r, const char *etag, const char *cache_control, const char *content_type,
                     const char *body, size_t len)
{
    size_t inm_len;
    const char *inm = lg_request_header(r, "if-none-match", &inm_len);
    lg_respond_header(r, "etag", etag);
    lg_respond_header(r, "cache-control", cache_control);
    if (inm == NULL || !lg_etag_matches(inm, inm_len, etag)) {
        send_answer(r, 200, content_type, body, len, 0);
        return;
    }
    h2o_req_t *req = r->req; /* 304: no body, and no Content-Length that would describe one */
    req->res.status = 304;
    req->res.reason = lg_status_reason(304);
    h2o_send_inline(req, "", 0);
}

static void
error_json(lg_buf_t *out, const char *code, const char *message)
{
    json_t *doc = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    lg_buf_puts(out,
                text ? text
                     : "{\"error\":{\"code\":\"internal\",\"message\":\"The error could not be written.\"}}");
    lg_buf_putc(out, '\n');
    free(text);
    json_decref(doc);
}

void
lg_respond_error(lg_request_t *r, int status, const char *code, const char *message)
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
    lg_respond_header(r, "cache-control", "no-store");
    lg_respond(r, status, type, lg_buf_str(&body), body.len);
    lg_buf_free(&body);
}

void
lg_respond_redirect(lg_request_t *r, int status, const char *location)
{
    lg_respond_header(r, "location", location);
    lg_buf_t body = LG_BUF_INIT;
    lg_buf_printf(&body, "Moved to %s\n", location);
    lg_respond(r, status, "text/plain; charset=utf-8", lg_buf_str(&body), body.len);
    lg_buf_free(&body);
}

void
lg_respond_json(lg_request_t *r, int status, json_t *doc)
{
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (text == NULL) {
        lg_log(LG_LOG_ERROR, r->id, "json_failed", LG_S("route", r->route->name));
        lg_respond_error(r, 500, "internal",
                         "The answer could not be written; the server log has the details.");
        return;
    }
    lg_respond(r, status, "application/json", text, strlen(text));
    free(text);
}
