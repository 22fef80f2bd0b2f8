/* route_jobs.c - jobs for their owner: POST /api/v1/imports queues one; GET /api/v1/jobs/ID is its
 * record; GET /api/v1/jobs/ID/events its live events (sse.h); GET /jobs/ID its progress page, which
 * follows those events (assets/job.js). Another user's job is answered exactly like a missing one. */
#include "gateway/routes.h"

#include "core/escape.h"
#include "core/ghlink.h"
#include "core/queue_cmd.h"
#include "gateway/auth.h"
#include "gateway/jobs.h"
#include "gateway/page.h"
#include "gateway/sse.h"

#include <stdlib.h>
#include <string.h>

#define STATUS_URL "/api/v1/jobs/%s"
#define EVENTS_URL "/api/v1/jobs/%s/events"
#define PAGE_URL   "/jobs/%s"

/* What the page calls each step: lg_job_states but the last, failed, which is not a step. */
#define NSTEPS (LG_JOB_NSTATES - 1)
static const char *const labels[NSTEPS] = {
    "Queued", "Finding the commit", "Fetching from GitHub", "Copying the files", "Starting your Jupyter",
    "Ready"};

/* The job id after prefix in the path, and what follows it; NULL when the path has no job id. What
 * follows is compared as a C string, so a path holding a NUL (sent as %00) has none. */
static const char *
job_in_path(lg_request_t *r, const char *prefix, char id[LG_JOB_ID_LEN + 1], const char **rest)
{
    h2o_iovec_t p = r->req->path_normalized;
    size_t n = strlen(prefix);
    if (p.len < n + LG_JOB_ID_LEN || !lg_jobs_id_ok(p.base + n, LG_JOB_ID_LEN) ||
        memchr(p.base + n + LG_JOB_ID_LEN, '\0', p.len - n - LG_JOB_ID_LEN) != NULL)
        return NULL;
    memcpy(id, p.base + n, LG_JOB_ID_LEN);
    id[LG_JOB_ID_LEN] = '\0';
    *rest = h2o_strdup(&r->req->pool, p.base + n + LG_JOB_ID_LEN, p.len - n - LG_JOB_ID_LEN).base;
    return id;
}

/* --- the progress page --- */

static void
state_list(lg_buf_t *out, const char *state)
{
    size_t at = 0;
    for (size_t i = 0; i < NSTEPS; i++)
        if (strcmp(state, lg_job_states[i]) == 0)
            at = i;
    lg_buf_puts(out, "<ol class=\"states\">\n");
    for (size_t i = 0; i < NSTEPS; i++)
        lg_buf_printf(out, "<li data-state=\"%s\" class=\"%s\">%s</li>\n", lg_job_states[i],
                      i < at || strcmp(state, "ready") == 0 ? "done"
                      : i == at                             ? "current"
                                                            : "",
                      labels[i]);
    lg_buf_puts(out, "</ol>\n");
}

static void
on_page_job(lg_request_t *r, const redisReply *record)
{
    const char *id = lg_qreply_field(record, "id"), *link = lg_qreply_field(record, "link");
    const char *state = lg_qreply_field(record, "state"), *error = lg_qreply_field(record, "error");
    const char *mode = lg_qreply_field(record, "mode");
    state = state ? state : "queued";
    lg_buf_t out = LG_BUF_INIT;
    lg_page_begin(&out, "Import");
    lg_buf_printf(&out,
                  "<section class=\"job\" id=\"job\" data-job=\"%s\" data-events=\"" EVENTS_URL
                  "\" data-state=\"",
                  id, id);
    lg_escape_xml_str(&out, state);
    const char *updated = lg_qreply_field(record, "updated_ms");
    lg_buf_printf(&out, "\" data-updated=\"%lld\">\n<h1>", updated ? atoll(updated) : 0LL);
    lg_buf_puts(&out, mode && strcmp(mode, "repo") == 0 ? "Cloning from GitHub" : "Importing from GitHub");
    lg_buf_puts(&out, "</h1>\n<p class=\"link\">");
    lg_escape_xml_str(&out, link ? link : "");
    lg_buf_puts(&out, "</p>\n");
    state_list(&out, state);
    lg_buf_puts(&out, "<div class=\"progress\" hidden><progress max=\"100\"></progress>"
                      "<span class=\"detail\"></span></div>\n<p class=\"status\" role=\"status\">");
    if (strcmp(state, "failed") == 0) {
        lg_buf_puts(&out, "</p>\n<p class=\"message\">The import failed: ");
        lg_escape_xml_str(&out, error && *error ? error : "no reason was given");
    } else if (strcmp(state, "ready") == 0) {
        lg_buf_puts(&out, "Done.");
    } else {
        lg_buf_puts(&out, "Working on it…");
    }
    lg_buf_puts(&out, "</p>\n<div class=\"outcome\" hidden></div>\n"
                      "<noscript><p class=\"note\">This page follows the import with JavaScript; without it, "
                      "reload the page to see how far it got.</p></noscript>\n</section>\n"
                      "<script src=\"/assets/job.js\" defer></script>\n");
    lg_page_end(&out);
    lg_respond_header(r, "cache-control", "no-store");
    lg_respond(r, 200, "text/html; charset=utf-8", lg_buf_str(&out), out.len);
    lg_buf_free(&out);
}

void
lg_route_job_page(lg_request_t *r)
{
    lg_session_t s;
    char id[LG_JOB_ID_LEN + 1];
    const char *rest;
    if (!lg_auth_request(r, &s))
        lg_auth_challenge(r);
    else if (job_in_path(r, "/jobs/", id, &rest) == NULL || *rest != '\0')
        lg_jobs_not_found(r);
    else
        lg_jobs_read(r, s.user, id, on_page_job);
}

/* --- the API --- */

static void
on_api_job(lg_request_t *r, const redisReply *record)
{
    lg_err_t err;
    char *json = lg_qreply_job_json(record, &err);
    lg_respond_header(r, "cache-control", "no-store");
    lg_respond(r, 200, "application/json", json, strlen(json));
    free(json);
}

/* Last-Event-ID, when it is a history entry id ("MS-SEQ", each part at most 15 digits, which Redis
 * takes); else "". */
static const char *
resume_from(lg_request_t *r)
{
    size_t len;
    const char *v = lg_request_header(r, "last-event-id", &len);
    if (v == NULL || len < 3 || len > 31)
        return "";
    const char *dash = memchr(v, '-', len);
    if (dash == NULL || dash == v || dash - v > 15 || len - (size_t)(dash - v) - 1 > 15 ||
        dash + 1 == v + len)
        return "";
    for (size_t i = 0; i < len; i++)
        if (v + i != dash && (v[i] < '0' || v[i] > '9'))
            return "";
    return h2o_strdup(&r->req->pool, v, len).base;
}

static void
on_events_job(lg_request_t *r, const redisReply *record)
{
    lg_sse_start(r, lg_qreply_field(record, "id"), resume_from(r),
                 lg_job_state_final(lg_qreply_field(record, "state")));
}

void
lg_route_api_job(lg_request_t *r)
{
    lg_session_t s;
    char id[LG_JOB_ID_LEN + 1];
    const char *rest;
    if (!lg_auth_request(r, &s))
        lg_auth_challenge(r);
    else if (job_in_path(r, "/api/v1/jobs/", id, &rest) == NULL)
        lg_jobs_not_found(r);
    else if (*rest == '\0')
        lg_jobs_read(r, s.user, id, on_api_job);
    else if (strcmp(rest, "/events") == 0)
        lg_jobs_read(r, s.user, id, on_events_job);
    else
        lg_jobs_not_found(r);
}

static void
on_api_enqueued(lg_request_t *r, const char *id, int existing)
{
    char status[64], events[80], page[48];
    snprintf(status, sizeof(status), STATUS_URL, id);
    snprintf(events, sizeof(events), EVENTS_URL, id);
    snprintf(page, sizeof(page), PAGE_URL, id);
    lg_respond_header(r, "location", status);
    lg_respond_json(r, 202,
                    json_pack("{s:s,s:s,s:s,s:s,s:b}", "id", id, "status_url", status, "events_url", events,
                              "page_url", page, "existing", existing));
}

/* {"url": GITHUB_URL, "mode": "notebook" | "repo"} from the body; answers 400 itself when it is not. */
static int
read_import(lg_request_t *r, lg_buf_t *url, const char **mode)
{
    json_error_t jerr;
    h2o_iovec_t body = r->req->entity;
    json_t *doc = json_loadb(body.base ? body.base : "", body.len, JSON_REJECT_DUPLICATES, &jerr);
    const char *given = json_string_value(json_object_get(doc, "url"));
    json_t *m = json_object_get(doc, "mode");
    int ok = 0;
    lg_ghlink_t link;
    lg_err_t err;
    if (doc == NULL || !json_is_object(doc))
        lg_respond_error(
            r, 400, "invalid_json",
            doc ? "The body must be a JSON object: {\"url\": GITHUB_URL, \"mode\": \"notebook\"}."
                : jerr.text);
    else if (given == NULL)
        lg_respond_error(r, 400, "missing_url", "Give the GitHub link to import as \"url\", a string.");
    else if (m != NULL && (!json_is_string(m) || (strcmp(json_string_value(m), "notebook") != 0 &&
                                                  strcmp(json_string_value(m), "repo") != 0)))
        lg_respond_error(r, 400, "invalid_mode", "\"mode\" is \"notebook\" (the default) or \"repo\".");
    else if (lg_ghlink_parse_url(&link, given, strlen(given), &err) != 0)
        lg_respond_error(r, err.code == LG_ETOOBIG ? 414 : 400, "invalid_github_url", err.msg);
    else {
        lg_ghlink_web_url(url, "https://github.com", &link);
        lg_ghlink_free(&link);
        *mode = m && strcmp(json_string_value(m), "repo") == 0 ? "repo" : "notebook";
        ok = 1;
    }
    json_decref(doc);
    return ok;
}

void
lg_route_api_imports(lg_request_t *r)
{
    lg_session_t s;
    lg_buf_t url = LG_BUF_INIT;
    const char *mode;
    if (!lg_request_content_type_is(r, "application/json"))
        lg_respond_error(r, 415, "unsupported_media_type",
                         "Send the import as JSON, with Content-Type: application/json.");
    else if (!lg_auth_same_site(r))
        lg_respond_error(r, 403, "cross_site", "This request came from another site, so it was refused.");
    else if (!lg_auth_request(r, &s))
        lg_auth_challenge(r);
    else if (read_import(r, &url, &mode))
        lg_jobs_enqueue(r, s.user, url.data, mode, LG_PRIO_INTERACTIVE, NULL, on_api_enqueued);
    lg_buf_free(&url);
}
