/* hub.c - the JupyterHub driver: the user's server on a hub, through its REST API with the labgate
 * service's token (scopes admin:users, servers, tokens, access:servers). The user is created when
 * missing; the server is started (201, 202 and "already running" are all fine) and followed through the
 * hub's progress stream until ready or failed, within start_timeout; the browser goes to
 * /user/NAME/notebooks/PATH on the hub, with a short-lived token scoped to that server unless users
 * sign in through the hub. The hub culls idle servers itself. */
#include "runtime/runtime.h"

#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/mkdirs.h"
#include "core/urlenc.h"
#include "runtime/http.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define API_TIMEOUT_MS 15000
#define TOKEN_SECONDS  600

typedef struct {
    lg_runtime_opts_t o;
} hub_t;

/* URL of the hub's API path /hub/api/users/USER + rest. */
static char *
user_url(const hub_t *h, const char *user, const char *rest)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_buf_printf(&b, "%s/hub/api/users/", h->o.hub_url);
    lg_url_encode(&b, user, strlen(user));
    lg_buf_puts(&b, rest);
    return lg_buf_detach(&b);
}

/* One API call; the answer in *a (status, body). */
static int
api(const hub_t *h, const char *method, const char *url, const char *body, lg_http_answer_t *a, lg_err_t *err)
{
    char auth[600];
    snprintf(auth, sizeof(auth), "Authorization: token %s", h->o.hub_token);
    const char *headers[] = {auth, "Content-Type: application/json", "Accept: application/json", NULL};
    if (lg_http_request(method, url, headers, body, API_TIMEOUT_MS, a, err) != 0)
        return lg_err_set(err, err->code, "JupyterHub did not answer: %s", err->msg);
    return 0;
}

/* How much of the hub's message m to quote (at most max), without its final full stop: the worker's
 * sentence around it ends with one. */
static int
quoted(const char *m, size_t max)
{
    size_t n = strlen(m);
    n = n < max ? n : max;
    while (n > 0 && (m[n - 1] == '.' || m[n - 1] == ' '))
        n--;
    return (int)n;
}

/* The hub's own words for an answer that is not what was hoped for. */
static int
refused(const lg_http_answer_t *a, const char *what, lg_err_t *err)
{
    json_t *doc = json_loadb(lg_buf_str(&a->body), a->body.len, 0, NULL);
    const char *message = json_string_value(json_object_get(doc, "message"));
    if (a->status == 401 || a->status == 403)
        lg_err_set(err, LG_ESTATE,
                   "JupyterHub refused labgate's token to %s (HTTP %ld): check jupyterhub_token and the "
                   "service's roles%s%.*s",
                   what, a->status, message ? ": " : "", message ? quoted(message, 200) : 0,
                   message ? message : "");
    else
        lg_err_set(err, LG_EIO, "JupyterHub could not %s (HTTP %ld)%s%.*s", what, a->status,
                   message ? ": " : "", message ? quoted(message, 300) : 0, message ? message : "");
    json_decref(doc);
    return -1;
}

static int
ensure_user(const hub_t *h, const char *user, lg_err_t *err)
{
    char *url = user_url(h, user, "");
    lg_http_answer_t a;
    int rc = api(h, "POST", url, "{}", &a, err);
    free(url);
    if (rc != 0)
        return -1;
    if (a.status != 201 && a.status != 409)
        rc = refused(&a, "create your user", err);
    lg_http_answer_free(&a);
    return rc;
}

typedef struct {
    lg_buf_t pending;
    int ready, failed;
    char message[400];
} progress_t;

/* The progress stream's events ("data: {...}"), until one says ready or failed. */
static int
on_progress(void *ctx, const char *data, size_t len)
{
    progress_t *p = ctx;
    for (size_t i = 0; i < len; i++) /* events end with a blank line, in LF or CRLF */
        if (data[i] != '\r')
            lg_buf_putc(&p->pending, data[i]);
    if (p->pending.len == 0)
        return 1;
    char *text = p->pending.data, *end;
    while ((end = strstr(text, "\n\n")) != NULL) {
        *end = '\0';
        char *line = strstr(text, "data:");
        json_t *doc = line ? json_loads(line + 5, 0, NULL) : NULL;
        const char *message = json_string_value(json_object_get(doc, "message"));
        if (message != NULL)
            snprintf(p->message, sizeof(p->message), "%s", message);
        p->ready = json_is_true(json_object_get(doc, "ready"));
        p->failed = json_is_true(json_object_get(doc, "failed"));
        json_decref(doc);
        text = end + 2;
        if (p->ready || p->failed)
            return 0;
    }
    size_t left = strlen(text);
    memmove(p->pending.data, text, left + 1);
    p->pending.len = left;
    return p->pending.len < 1024 * 1024;
}

/* Follows the hub's progress stream for user's server until it says ready or failed, for at most
 * timeout_ms; the outcome in *p. */
static int
follow(const hub_t *h, const char *user, int64_t timeout_ms, progress_t *p, lg_err_t *err)
{
    char *url = user_url(h, user, "/server/progress");
    char auth[600];
    snprintf(auth, sizeof(auth), "Authorization: token %s", h->o.hub_token);
    const char *headers[] = {auth, "Accept: text/event-stream", NULL};
    long status = 0;
    int rc = lg_http_stream(url, headers, timeout_ms, on_progress, p, &status, err);
    free(url);
    lg_buf_free(&p->pending);
    return rc;
}

static int
failed_to_start(const progress_t *p, lg_err_t *err)
{
    const char *m = p->message[0] ? p->message : "no reason given";
    return lg_err_set(err, LG_EIO, "JupyterHub could not start your Jupyter server: %.*s", quoted(m, 400), m);
}

static int
wait_ready(const hub_t *h, const char *user, lg_err_t *err)
{
    progress_t p = {LG_BUF_INIT, 0, 0, ""};
    int rc = follow(h, user, h->o.start_timeout_ms, &p, err);
    if (rc != 0 && err->code == LG_ETIMEOUT)
        return lg_err_set(err, LG_ETIMEOUT, "your Jupyter server on JupyterHub was not ready within %lld s",
                          (long long)(h->o.start_timeout_ms / 1000));
    if (rc != 0)
        return lg_err_set(err, err->code, "following your server's start on JupyterHub: %s", err->msg);
    if (p.failed)
        return failed_to_start(&p, err);
    if (!p.ready)
        return lg_err_set(err, LG_EIO,
                          "JupyterHub's progress stream ended without saying your server is ready");
    return 0;
}

/* A start that failed before the hub answered gets a generic 500 ("Spawner failed to start"); the hub's
 * progress stream still holds the reason (e.g. a pre-spawn hook's error), so the user is told that. */
static int
start_failed(const hub_t *h, const char *user, const lg_http_answer_t *a, lg_err_t *err)
{
    progress_t p = {LG_BUF_INIT, 0, 0, ""};
    lg_err_t ignored;
    int64_t ms = h->o.start_timeout_ms < API_TIMEOUT_MS ? h->o.start_timeout_ms : API_TIMEOUT_MS;
    if (follow(h, user, ms, &p, &ignored) == 0 && p.failed && p.message[0])
        return failed_to_start(&p, err);
    return refused(a, "start your Jupyter server", err);
}

static int
start_server(const hub_t *h, const char *user, lg_err_t *err)
{
    char *url = user_url(h, user, "/server");
    lg_http_answer_t a;
    int rc = api(h, "POST", url, "{}", &a, err);
    free(url);
    if (rc != 0)
        return -1;
    int ready = a.status == 201;
    int running = a.status == 400 && strstr(lg_buf_str(&a.body), "already running") != NULL;
    if (a.status >= 500)
        rc = start_failed(h, user, &a, err);
    else if (!ready && !running && a.status != 202)
        rc = refused(&a, "start your Jupyter server", err);
    lg_http_answer_free(&a);
    if (rc == 0 && !ready)
        rc = wait_ready(h, user, err);
    return rc;
}

/* A token for user that opens their server only, for ten minutes. */
static char *
server_token(const hub_t *h, const char *user, lg_err_t *err)
{
    char *url = user_url(h, user, "/tokens");
    lg_buf_t scope = LG_BUF_INIT;
    lg_buf_printf(&scope, "access:servers!user=%s", user);
    json_t *body = json_pack("{s:i,s:[s],s:s}", "expires_in", TOKEN_SECONDS, "scopes", scope.data, "note",
                             "labgate: open an imported notebook");
    char *text = json_dumps(body, JSON_COMPACT);
    lg_http_answer_t a;
    char *token = NULL;
    if (api(h, "POST", url, text, &a, err) == 0) {
        json_t *doc = json_loadb(lg_buf_str(&a.body), a.body.len, 0, NULL);
        const char *t = json_string_value(json_object_get(doc, "token"));
        if ((a.status == 200 || a.status == 201) && t != NULL)
            token = lg_xstrdup(t);
        else
            refused(&a, "give a token for your server", err);
        json_decref(doc);
        lg_http_answer_free(&a);
    }
    free(text);
    json_decref(body);
    lg_buf_free(&scope);
    free(url);
    return token;
}

/* The bytes of a user name the hub leaves as they are in /user/NAME/ (its url_escape_path): letters,
 * digits, - . _ ~ and also @ (names like ann@example.org). */
static int
in_hub_path(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '@';
}

static int
hub_open(void *d, const char *user, const char *path, lg_open_kind_t kind, char **url, lg_err_t *err)
{
    hub_t *h = d;
    lg_buf_t project = LG_BUF_INIT;
    lg_buf_printf(&project, "%s/%s", h->o.projects_dir, user);
    int rc = lg_mkdirs(project.data, err);
    lg_buf_free(&project);
    if (rc != 0)
        return lg_err_set(err, LG_EIO, "cannot create your project folder: %s", err->msg);
    if (ensure_user(h, user, err) != 0 || start_server(h, user, err) != 0)
        return -1;
    char *token = h->o.hub_signin ? NULL : server_token(h, user, err);
    if (!h->o.hub_signin && token == NULL)
        return -1;
    lg_buf_t u = LG_BUF_INIT;
    lg_buf_printf(&u, "%s/user/", h->o.hub_public_url);
    lg_url_encode_except(&u, user, strlen(user), in_hub_path); /* as the hub spells /user/NAME/ */
    lg_buf_putc(&u, '/');
    lg_runtime_path(&u, path, kind);
    if (token != NULL)
        lg_buf_printf(&u, "?token=%s", token);
    free(token);
    *url = lg_buf_detach(&u);
    return 0;
}

static int
hub_status(void *d, const char *user, lg_server_state_t *state, lg_err_t *err)
{
    hub_t *h = d;
    char *url = user_url(h, user, "");
    lg_http_answer_t a;
    int rc = api(h, "GET", url, NULL, &a, err);
    free(url);
    if (rc != 0)
        return -1;
    *state = LG_SERVER_STOPPED;
    if (a.status == 200) {
        json_t *doc = json_loadb(lg_buf_str(&a.body), a.body.len, 0, NULL);
        json_t *server = json_object_get(json_object_get(doc, "servers"), "");
        if (json_is_true(json_object_get(server, "ready")))
            *state = LG_SERVER_RUNNING;
        else if (server != NULL || json_string_value(json_object_get(doc, "pending")) != NULL)
            *state = LG_SERVER_STARTING;
        json_decref(doc);
    } else if (a.status != 404) {
        rc = refused(&a, "say how your server is", err);
    }
    lg_http_answer_free(&a);
    return rc;
}

static int
hub_stop(void *d, const char *user, lg_err_t *err)
{
    hub_t *h = d;
    char *url = user_url(h, user, "/server");
    lg_http_answer_t a;
    int rc = api(h, "DELETE", url, NULL, &a, err);
    free(url);
    if (rc != 0)
        return -1;
    if (a.status != 202 && a.status != 204 && a.status != 400 && a.status != 404)
        rc = refused(&a, "stop your Jupyter server", err);
    lg_http_answer_free(&a);
    return rc;
}

static void
hub_tick(void *d)
{
    (void)d; /* the hub culls idle servers itself */
}

static void
hub_free(void *d)
{
    free(d);
}

void *
lg_runtime_hub_new(const lg_runtime_opts_t *opts, lg_err_t *err)
{
    if (opts->hub_url[0] == '\0' || opts->hub_token[0] == '\0') {
        lg_err_set(err, LG_EINVAL,
                   "runtime = jupyterhub needs jupyterhub_url (where the hub is) and jupyterhub_token (the "
                   "API token of a hub service with the roles admin:users, servers, tokens, "
                   "access:servers)");
        return NULL;
    }
    hub_t *h = lg_xcalloc(1, sizeof(*h));
    h->o = *opts;
    return h;
}

const lg_runtime_driver_t lg_runtime_hub = {hub_open, hub_status, hub_stop, hub_tick, hub_free};
