/* route_webhook.c - POST /webhooks/github: GitHub's deliveries keep mirrors warm. Nothing of a delivery
 * is read before its X-Hub-Signature-256 checks out against webhook_secret (401 otherwise). Bodies are
 * JSON (application/json) or GitHub's form (application/x-www-form-urlencoded, payload=JSON). `ping`
 * answers 200; `push` queues a background refresh of the repository's mirror; `repository` renamed,
 * transferred or deleted queues dropping the mirror under the old name; any other event is 202 and
 * ignored. A delivery seen before (X-GitHub-Delivery) queues nothing again; pushes to one repository
 * that come together make one refresh (the queue's dedup). The gateway only verifies and queues. */
#include "gateway/routes.h"

#include "core/ghname.h"
#include "core/log.h"
#include "gateway/jobs.h"
#include "gateway/webhook_sig.h"

#include <ctype.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

static const char *const events[LG_WEBHOOK_EVENTS] = {"ping", "push", "repository", "other"};
static const char *const outcomes[LG_WEBHOOK_OUTCOMES] = {"answered", "queued", "duplicate", "ignored",
                                                          "refused"};

static void
count(lg_request_t *r, int event, lg_webhook_outcome_t outcome)
{
    lg_metrics_count(&r->thread->metrics.webhooks[event][outcome]);
}

static int
event_index(const char *name, size_t len)
{
    for (int i = 0; i < LG_WEBHOOK_EVENTS - 1; i++)
        if (strlen(events[i]) == len && memcmp(events[i], name, len) == 0)
            return i;
    return LG_WEBHOOK_EVENTS - 1;
}

/* 1 when full ("owner/repo") matches one of webhook_repos' patterns (OWNER/REPO, or OWNER/ and a star;
 * any case). */
static int
allowed(const char *patterns, const char *full)
{
    if (*patterns == '\0')
        return 1;
    size_t flen = strlen(full);
    for (const char *p = patterns; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t len = strcspn(p, ", ");
        if (len >= 2 && p[len - 1] == '*' && p[len - 2] == '/' && flen > len - 1 &&
            strncasecmp(p, full, len - 1) == 0 && strchr(full + len - 1, '/') == NULL)
            return 1;
        if (len == flen && len > 0 && strncasecmp(p, full, len) == 0)
            return 1;
        p += len;
    }
    return 0;
}

/* "owner/repo" from a string of the payload, checked against GitHub's name rules; NULL otherwise. */
static const char *
repo_name(const char *full)
{
    const char *slash = full ? strchr(full, '/') : NULL;
    if (slash == NULL || !lg_ghname_owner_valid(full, (size_t)(slash - full)) ||
        !lg_ghname_repo_valid(slash + 1, strlen(slash + 1)))
        return NULL;
    return full;
}

/* The X-GitHub-Event header as logged (at most 64 bytes; "-" when absent): "event" itself names the
 * log line, so the delivery's event goes in github_event. */
static const char *
event_for_log(lg_request_t *r, size_t *len)
{
    const char *name = lg_request_header(r, "x-github-event", len);
    if (name == NULL || *len == 0) {
        *len = 1;
        return "-";
    }
    if (*len > 64)
        *len = 64;
    return name;
}

static void
answer(lg_request_t *r, int status, int event, lg_webhook_outcome_t outcome, json_t *doc)
{
    size_t len;
    const char *name = event_for_log(r, &len);
    count(r, event, outcome);
    lg_log(LG_LOG_INFO, r->id, "webhook", LG_SN("github_event", name, len),
           LG_S("outcome", outcomes[outcome]));
    lg_respond_json(r, status, doc);
}

static void
on_queued(lg_request_t *r, const char *id, int existing)
{
    size_t len;
    const char *name = lg_request_header(r, "x-github-event", &len);
    int event = name ? event_index(name, len) : LG_WEBHOOK_EVENTS - 1;
    if (existing == 2)
        answer(r, 200, event, LG_WEBHOOK_DUPLICATE,
               json_pack("{s:s,s:s}", "status", "duplicate delivery: nothing queued again", "job", id));
    else
        answer(r, 202, event, LG_WEBHOOK_QUEUED,
               json_pack("{s:s,s:s,s:b}", "status", "queued", "job", id, "joined", existing == 1));
}

/* A mirror job for repository full ("owner/repo"), recorded against the delivery. */
static void
queue(lg_request_t *r, const char *full, const char *mode, const char *delivery)
{
    lg_buf_t link = LG_BUF_INIT;
    lg_buf_printf(&link, "https://github.com/%s", full);
    lg_jobs_enqueue(r, "", link.data, mode, LG_PRIO_BACKGROUND, delivery, on_queued);
    lg_buf_free(&link);
}

/* The old name of a repository that was renamed or transferred, or its name when deleted. */
static const char *
gone_name(json_t *doc, const char *action, lg_buf_t *out)
{
    const char *full = json_string_value(json_object_get(json_object_get(doc, "repository"), "full_name"));
    if (strcmp(action, "deleted") == 0)
        return full;
    json_t *changes = json_object_get(doc, "changes");
    const char *slash = full ? strchr(full, '/') : NULL;
    if (slash == NULL)
        return NULL;
    if (strcmp(action, "renamed") == 0) {
        const char *from = json_string_value(
            json_object_get(json_object_get(json_object_get(changes, "repository"), "name"), "from"));
        if (from == NULL)
            return NULL;
        lg_buf_printf(out, "%.*s/%s", (int)(slash - full), full, from);
        return out->data;
    }
    json_t *owner = json_object_get(json_object_get(changes, "owner"), "from");
    const char *login = json_string_value(json_object_get(json_object_get(owner, "user"), "login"));
    if (login == NULL)
        login = json_string_value(json_object_get(json_object_get(owner, "organization"), "login"));
    if (login == NULL)
        return NULL;
    lg_buf_printf(out, "%s%s", login, slash);
    return out->data;
}

/* The delivery's id: GitHub's GUID (hex and hyphens), or NULL when absent or not one. */
static const char *
delivery_of(lg_request_t *r)
{
    size_t len;
    const char *v = lg_request_header(r, "x-github-delivery", &len);
    if (v == NULL || len == 0 || len > 64)
        return NULL;
    for (size_t i = 0; i < len; i++)
        if (!isxdigit((unsigned char)v[i]) && v[i] != '-')
            return NULL;
    return h2o_strdup(&r->req->pool, v, len).base;
}

/* The body's JSON text: the body itself, or its payload field for GitHub's form encoding (empty when
 * the form has none, or not a decodable one: the JSON check answers 400); NULL for any other type. */
static const char *
payload_of(lg_request_t *r, size_t *len, int *form)
{
    h2o_iovec_t body = r->req->entity;
    *form = lg_request_content_type_is(r, "application/x-www-form-urlencoded");
    if (*form) {
        int bad;
        const char *p = lg_request_form(r, "payload", &bad);
        *len = p ? strlen(p) : 0;
        return p ? p : "";
    }
    if (!lg_request_content_type_is(r, "application/json"))
        return NULL;
    *len = body.len;
    return body.base ? body.base : "";
}

static void
act(lg_request_t *r, int event, json_t *doc, const char *delivery)
{
    const char *patterns = lg_request_config(r)->webhook_repos;
    const char *full =
        repo_name(json_string_value(json_object_get(json_object_get(doc, "repository"), "full_name")));
    if (event == 0) {
        answer(
            r, 200, event, LG_WEBHOOK_ANSWERED,
            json_pack("{s:s,s:s?}", "status", "pong", "zen", json_string_value(json_object_get(doc, "zen"))));
        return;
    }
    if (event == 3 || (event == 2 && full == NULL)) {
        answer(r, 202, event, LG_WEBHOOK_IGNORED,
               json_pack("{s:s}", "status", "ignored: labgate does not use this event"));
        return;
    }
    if (full == NULL) {
        answer(r, 400, event, LG_WEBHOOK_REFUSED,
               json_pack("{s:{s:s,s:s}}", "error", "code", "no_repository", "message",
                         "The payload names no repository (repository.full_name), or not a valid one."));
        return;
    }
    if (!allowed(patterns, full)) {
        answer(r, 202, event, LG_WEBHOOK_IGNORED,
               json_pack("{s:s,s:s}", "status", "ignored: the repository is not in webhook_repos",
                         "repository", full));
        return;
    }
    if (event == 1) {
        queue(r, full, "refresh", delivery);
        return;
    }
    const char *action = json_string_value(json_object_get(doc, "action"));
    lg_buf_t old = LG_BUF_INIT;
    const char *gone = action && (strcmp(action, "renamed") == 0 || strcmp(action, "transferred") == 0 ||
                                  strcmp(action, "deleted") == 0)
                           ? repo_name(gone_name(doc, action, &old))
                           : NULL;
    if (gone != NULL)
        queue(r, gone, "forget", delivery);
    else
        answer(r, 202, event, LG_WEBHOOK_IGNORED,
               json_pack("{s:s,s:s?}", "status", "ignored: this repository event leaves mirrors alone",
                         "action", action));
    lg_buf_free(&old);
}

void
lg_route_webhook(lg_request_t *r)
{
    const lg_config_t *cfg = lg_request_config(r);
    size_t len, slen;
    const char *name = lg_request_header(r, "x-github-event", &len);
    int event = name ? event_index(name, len) : LG_WEBHOOK_EVENTS - 1;
    if (cfg->webhook_secret[0] == '\0') {
        lg_respond_error(r, 404, "webhooks_off",
                         "Webhooks are off on this labgate: it has no webhook_secret.");
        return;
    }
    h2o_iovec_t body = r->req->entity;
    const char *sig = lg_request_header(r, "x-hub-signature-256", &slen);
    if (!lg_webhook_signature_ok(cfg->webhook_secret, body.base ? body.base : "", body.len, sig, slen)) {
        size_t elen;
        const char *ename = event_for_log(r, &elen);
        count(r, event, LG_WEBHOOK_REFUSED);
        lg_log(LG_LOG_WARN, r->id, "webhook_bad_signature", LG_SN("github_event", ename, elen));
        lg_respond_error(r, 401, "bad_signature",
                         "X-Hub-Signature-256 is missing or does not match: sign the exact body with the "
                         "webhook's secret (HMAC-SHA256, sha256=HEX).");
        return;
    }
    int form;
    size_t plen;
    const char *payload = payload_of(r, &plen, &form);
    const char *delivery = delivery_of(r);
    json_error_t jerr;
    json_t *doc = NULL;
    if (payload == NULL)
        lg_respond_error(
            r, 415, "unsupported_media_type",
            "Send deliveries as application/json (or GitHub's application/x-www-form-urlencoded).");
    else if (name == NULL || delivery == NULL)
        lg_respond_error(r, 400, "missing_headers",
                         "A delivery carries X-GitHub-Event and X-GitHub-Delivery (a GUID).");
    else if ((doc = json_loadb(payload, plen, JSON_REJECT_DUPLICATES, &jerr)) == NULL || !json_is_object(doc))
        lg_respond_error(r, 400, "invalid_json", doc ? "The payload is not a JSON object." : jerr.text);
    else {
        act(r, event, doc, delivery);
        json_decref(doc);
        return;
    }
    count(r, event, LG_WEBHOOK_REFUSED);
    json_decref(doc);
}
