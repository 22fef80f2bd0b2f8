/* route_oauth.c - signing in through JupyterHub (auth = jupyterhub), an OAuth2 code flow with the hub as
 * provider and labgate's hub service as the client. GET /signin sends the browser to the hub's
 * authorize page with a fresh `state`, kept with the address to come back to in a signed, short-lived
 * cookie (so the state is bound to this browser); GET /oauth_callback checks it, trades the code for a
 * token, asks the hub whose token it is, and signs that user in. The hub's user name is the labgate
 * user. The two calls to the hub run on libuv's thread pool: the event loop never waits on them. */
#include "gateway/routes.h"

#include "core/log.h"
#include "core/mem.h"
#include "core/random.h"
#include "core/urlenc.h"
#include "core/username.h"
#include "gateway/auth.h"
#include "runtime/http.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STATE_COOKIE  "labgate_oauth"
#define STATE_BYTES   16
#define STATE_SECONDS 600 /* a sign-in at the hub must come back within this */
#define HUB_TIMEOUT   10000

static const lg_auth_t *
auth_of(lg_request_t *r)
{
    return &r->thread->server->auth;
}

/* The redirect_uri the hub's service is registered with: this site's /oauth_callback. */
static void
callback_url(lg_buf_t *out, lg_request_t *r)
{
    lg_buf_printf(out, "%s/oauth_callback", lg_request_base_url(r));
}

void
lg_oauth_start(lg_request_t *r, const char *next)
{
    const lg_auth_t *a = auth_of(r);
    char state[2 * STATE_BYTES + 1], mac[LG_SESSION_TOKEN_LEN + 1];
    lg_random_hex(state, STATE_BYTES);
    lg_buf_t value = LG_BUF_INIT, cookie = LG_BUF_INIT, location = LG_BUF_INIT, back = LG_BUF_INIT;
    lg_buf_printf(&value, "%s:%lld:", state, (long long)time(NULL) + STATE_SECONDS);
    lg_url_encode(&value, next, strlen(next));
    lg_auth_mac(r, "oauth", value.data, mac);
    lg_buf_printf(&cookie, STATE_COOKIE "=%s:%s; Path=/oauth_callback; Max-Age=%d; HttpOnly; SameSite=Lax%s",
                  value.data, mac, STATE_SECONDS, a->secure ? "; Secure" : "");
    lg_respond_header(r, "set-cookie", cookie.data);
    callback_url(&back, r);
    lg_buf_printf(&location, "%s/hub/api/oauth2/authorize?response_type=code&client_id=", a->hub_public_url);
    lg_url_encode(&location, a->hub_client_id, strlen(a->hub_client_id));
    lg_buf_puts(&location, "&redirect_uri=");
    lg_url_encode(&location, back.data, back.len);
    lg_buf_printf(&location, "&state=%s", state);
    lg_respond_header(r, "cache-control", "no-store");
    lg_respond_redirect(r, 302, location.data);
    lg_buf_free(&value);
    lg_buf_free(&cookie);
    lg_buf_free(&location);
    lg_buf_free(&back);
}

/* The state cookie ("STATE:EXPIRES:NEXT:MAC"), when it is ours, unaltered and not expired: its state and
 * (decoded) next into the request's memory. */
static int
read_state(lg_request_t *r, const char **state, const char **next)
{
    size_t len;
    const char *v = lg_request_cookie(r, STATE_COOKIE, &len);
    if (v == NULL || len < 2 * STATE_BYTES + 2 + LG_SESSION_TOKEN_LEN || len > 6000)
        return 0;
    char *copy = h2o_strdup(&r->req->pool, v, len).base;
    char *mac = strrchr(copy, ':');
    if (mac == NULL || strlen(mac + 1) != LG_SESSION_TOKEN_LEN)
        return 0;
    *mac++ = '\0';
    char want[LG_SESSION_TOKEN_LEN + 1];
    lg_auth_mac(r, "oauth", copy, want);
    if (CRYPTO_memcmp(want, mac, LG_SESSION_TOKEN_LEN) != 0 || copy[2 * STATE_BYTES] != ':')
        return 0;
    copy[2 * STATE_BYTES] = '\0';
    char *end;
    long long expires = strtoll(copy + 2 * STATE_BYTES + 1, &end, 10);
    if (*end != ':' || expires <= (long long)time(NULL))
        return 0;
    lg_buf_t decoded = LG_BUF_INIT;
    const char *enc = end + 1;
    int ok = lg_url_decode(&decoded, enc, strlen(enc), 0, NULL) == 0 && lg_auth_next_ok(lg_buf_str(&decoded));
    *state = copy;
    *next = ok ? h2o_strdup(&r->req->pool, lg_buf_str(&decoded), decoded.len).base : "/";
    lg_buf_free(&decoded);
    return 1;
}

typedef struct {
    lg_await_t await; /* first */
    uv_work_t work;
    char *hub_url, *client_id, *secret, *code, *redirect_uri, *next;
    char user[LG_USERNAME_MAX + 1];
    lg_err_t err;
} exchange_t;

/* On the thread pool: the code for a token, then the token's user. */
static void
exchange(uv_work_t *work)
{
    exchange_t *x = work->data;
    lg_buf_t url = LG_BUF_INIT, body = LG_BUF_INIT, auth = LG_BUF_INIT;
    lg_buf_printf(&url, "%s/hub/api/oauth2/token", x->hub_url);
    const char *fields[][2] = {{"client_id", x->client_id},
                               {"client_secret", x->secret},
                               {"grant_type", "authorization_code"},
                               {"code", x->code},
                               {"redirect_uri", x->redirect_uri}};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        lg_buf_printf(&body, "%s%s=", i ? "&" : "", fields[i][0]);
        lg_url_encode(&body, fields[i][1], strlen(fields[i][1]));
    }
    const char *form[] = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json",
                          NULL};
    lg_http_answer_t a = {0}, who = {0};
    json_t *doc = NULL, *user = NULL;
    if (lg_http_request("POST", url.data, form, body.data, HUB_TIMEOUT, &a, &x->err) != 0)
        goto out;
    doc = json_loadb(lg_buf_str(&a.body), a.body.len, 0, NULL);
    const char *token = json_string_value(json_object_get(doc, "access_token"));
    if (a.status != 200 || token == NULL) {
        lg_err_set(&x->err, LG_ESTATE, "JupyterHub did not accept the sign-in (HTTP %ld)", a.status);
        goto out;
    }
    lg_buf_reset(&url);
    lg_buf_printf(&url, "%s/hub/api/user", x->hub_url);
    lg_buf_printf(&auth, "Authorization: Bearer %s", token);
    const char *bearer[] = {auth.data, "Accept: application/json", NULL};
    if (lg_http_request("GET", url.data, bearer, NULL, HUB_TIMEOUT, &who, &x->err) != 0)
        goto out;
    user = json_loadb(lg_buf_str(&who.body), who.body.len, 0, NULL);
    const char *name = json_string_value(json_object_get(user, "name"));
    const char *bad = name ? lg_username_check(name, strlen(name)) : "the hub did not say";
    if (who.status != 200 || bad != NULL)
        lg_err_set(&x->err, LG_ESTATE, "JupyterHub's user name cannot be used here: %s", bad ? bad : "");
    else
        snprintf(x->user, sizeof(x->user), "%s", name);
out:
    json_decref(doc);
    json_decref(user);
    lg_http_answer_free(&a);
    lg_http_answer_free(&who);
    lg_buf_free(&url);
    lg_buf_free(&body);
    lg_buf_free(&auth);
}

static void
exchange_free(exchange_t *x)
{
    free(x->hub_url);
    free(x->client_id);
    free(x->secret);
    free(x->code);
    free(x->redirect_uri);
    free(x->next);
    free(x);
}

/* Back on the loop thread: the user signed in, or told why not. */
static void
exchanged(uv_work_t *work, int status)
{
    (void)status;
    exchange_t *x = work->data;
    lg_request_t *r = lg_request_resume(&x->await);
    if (r != NULL && x->user[0] == '\0') {
        lg_log(LG_LOG_WARN, r->id, "oauth_failed", LG_S("why", x->err.msg));
        lg_respond_error(r, 502, "signin_failed", x->err.msg);
    } else if (r != NULL) {
        lg_session_t s;
        lg_auth_sign_in(r, x->user, &s);
        lg_respond_header(r, "set-cookie",
                          STATE_COOKIE "=; Path=/oauth_callback; Max-Age=0; HttpOnly; SameSite=Lax");
        lg_respond_redirect(r, 303, x->next);
    }
    exchange_free(x);
}

void
lg_route_oauth_callback(lg_request_t *r)
{
    const lg_auth_t *a = auth_of(r);
    if (a->mode != LG_AUTH_JUPYTERHUB) {
        lg_respond_error(r, 404, "not_found", "There is nothing at this address.");
        return;
    }
    int bad = 0;
    const char *code = lg_request_query(r, "code", &bad), *given = lg_request_query(r, "state", &bad);
    const char *state, *next;
    if (!read_state(r, &state, &next) || given == NULL || strlen(given) != strlen(state) ||
        CRYPTO_memcmp(given, state, strlen(state)) != 0) {
        lg_respond_error(r, 403, "bad_oauth_state",
                         "This sign-in did not start in this browser, or took more than ten minutes. Sign in "
                         "again.");
        return;
    }
    if (code == NULL || *code == '\0' || strlen(code) > 1024) {
        lg_respond_error(r, 400, "missing_code", "JupyterHub sent no sign-in code back. Sign in again.");
        return;
    }
    exchange_t *x = lg_xcalloc(1, sizeof(*x));
    lg_buf_t back = LG_BUF_INIT;
    callback_url(&back, r);
    x->hub_url = lg_xstrdup(a->hub_url);
    x->client_id = lg_xstrdup(a->hub_client_id);
    x->secret = lg_xstrdup(a->hub_token);
    x->code = lg_xstrdup(code);
    x->redirect_uri = lg_buf_detach(&back);
    x->next = lg_xstrdup(next);
    x->work.data = x;
    lg_request_await(r, &x->await);
    if (uv_queue_work(&r->thread->loop, &x->work, exchange, exchanged) != 0) {
        lg_request_resume(&x->await);
        exchange_free(x);
        lg_respond_error(r, 503, "busy", "The sign-in could not be finished right now. Try again.");
    }
}
