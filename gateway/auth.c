/* auth.c - who is signed in: the sign-in configuration, trusted proxy ranges, sessions of a request, the
 * sign-in challenge, and the checks a state-changing POST must pass (same site, CSRF token); see auth.h. */
#include "auth.h"

#include "core/log.h"
#include "core/random.h"
#include "core/urlenc.h"
#include "gateway/listener.h"
#include "gateway/request.h"
#include "gateway/respond.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_SECRET 32

static int
parse_one(lg_cidr_t *c, const char *text, size_t len, lg_err_t *err)
{
    char buf[64], *slash;
    if (len == 0 || len >= sizeof(buf))
        return lg_err_set(err, LG_EINVAL, "trusted_proxies: \"%.*s\" is not ADDRESS or ADDRESS/BITS",
                          (int)(len > 60 ? 60 : len), text);
    memcpy(buf, text, len);
    buf[len] = '\0';
    int bits = -1;
    if ((slash = strchr(buf, '/')) != NULL) {
        char *end;
        *slash = '\0';
        long b = strtol(slash + 1, &end, 10);
        bits = *end || end == slash + 1 || b < 0 || b > 128 ? -2 : (int)b;
    }
    memset(c, 0, sizeof(*c));
    if (inet_pton(AF_INET, buf, c->addr) == 1)
        c->family = AF_INET;
    else if (inet_pton(AF_INET6, buf, c->addr) == 1)
        c->family = AF_INET6;
    int max = c->family == AF_INET ? 32 : 128;
    c->bits = bits == -1 ? max : bits;
    if (c->family == 0 || c->bits < 0 || c->bits > max)
        return lg_err_set(err, LG_EINVAL, "trusted_proxies: \"%s%s%s\" is not ADDRESS or ADDRESS/BITS", buf,
                          slash ? "/" : "", slash ? slash + 1 : "");
    return 0;
}

int
lg_cidr_parse_list(lg_cidr_t *out, size_t max, size_t *n, const char *text, lg_err_t *err)
{
    *n = 0;
    for (const char *p = text; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t len = strcspn(p, ", ");
        if (len == 0)
            break;
        if (*n == max)
            return lg_err_set(err, LG_EINVAL, "trusted_proxies: at most %zu ranges", max);
        if (parse_one(&out[*n], p, len, err) != 0)
            return -1;
        (*n)++;
        p += len;
    }
    return 0;
}

int
lg_cidr_contains(const lg_cidr_t *cidrs, size_t n, int family, const unsigned char *addr)
{
    for (size_t i = 0; i < n; i++) {
        const lg_cidr_t *c = &cidrs[i];
        if (c->family != family)
            continue;
        int whole = c->bits / 8, rest = c->bits % 8;
        if (memcmp(c->addr, addr, (size_t)whole) != 0)
            continue;
        if (rest == 0 || ((c->addr[whole] ^ addr[whole]) & (0xff << (8 - rest))) == 0)
            return 1;
    }
    return 0;
}

static int
make_key(lg_auth_t *a, const char *secret, lg_err_t *err)
{
    size_t len = strlen(secret);
    if (len == 0) {
        lg_random_bytes(a->key, sizeof(a->key));
        lg_log(LG_LOG_WARN, NULL, "session_secret_random",
               LG_S("effect", "sign-ins end when the gateway restarts, and other gateways cannot read them; "
                              "set session_secret"));
        return 0;
    }
    if (len < MIN_SECRET)
        return lg_err_set(err, LG_EINVAL,
                          "session_secret: %zu characters is too short to sign sessions; use at least %d "
                          "(e.g. the output of `openssl rand -hex 32`)",
                          len, MIN_SECRET);
    SHA256((const unsigned char *)secret, len, a->key);
    return 0;
}

int
lg_auth_init(lg_auth_t *a, const lg_config_t *cfg, lg_err_t *err)
{
    memset(a, 0, sizeof(*a));
    a->mode = (lg_auth_mode_t)cfg->auth;
    a->lifetime_s = cfg->session_lifetime_ms / 1000;
    a->secure = cfg->tls_cert[0] != '\0' || strncmp(cfg->public_url, "https://", 8) == 0;
    if (a->mode == LG_AUTH_DEV)
        for (size_t i = 0; i < cfg->nlisten; i++)
            if (!lg_listener_is_loopback(&cfg->listen[i]))
                return lg_err_set(
                    err, LG_EINVAL,
                    "auth = dev lets anyone sign in as anyone, so it only runs on loopback, and "
                    "%s is not; use auth = header behind a proxy that signs users in",
                    cfg->listen[i].host);
    size_t hlen = strlen(cfg->auth_header);
    if (hlen == 0 || hlen >= sizeof(a->header))
        return lg_err_set(err, LG_EINVAL, "auth_header: give a header name of 1 to 127 characters");
    for (size_t i = 0; i <= hlen; i++) {
        char c = cfg->auth_header[i];
        if (c != '\0' && !isalnum((unsigned char)c) && c != '-' && c != '_')
            return lg_err_set(err, LG_EINVAL, "auth_header: \"%s\" is not a header name", cfg->auth_header);
        a->header[i] = (char)tolower((unsigned char)c);
    }
    if (lg_cidr_parse_list(a->proxies, LG_AUTH_MAX_PROXIES, &a->nproxies, cfg->trusted_proxies, err) != 0)
        return -1;
    if (a->mode == LG_AUTH_JUPYTERHUB && (cfg->jupyterhub_url[0] == '\0' || cfg->jupyterhub_token[0] == '\0'))
        return lg_err_set(
            err, LG_EINVAL,
            "auth = jupyterhub needs jupyterhub_url (where the hub is) and jupyterhub_token (the "
            "API token of labgate's service on the hub, which is also its OAuth client secret)");
    a->hub_url = cfg->jupyterhub_url;
    a->hub_public_url = cfg->jupyterhub_public_url[0] ? cfg->jupyterhub_public_url : cfg->jupyterhub_url;
    a->hub_token = cfg->jupyterhub_token;
    a->hub_client_id = cfg->jupyterhub_client_id;
    return make_key(a, cfg->session_secret, err);
}

static const lg_auth_t *
auth_of(lg_request_t *r)
{
    return &r->thread->server->auth;
}

/* 1 when r came straight from one of trusted_proxies. */
static int
from_trusted_proxy(lg_request_t *r, const lg_auth_t *a)
{
    struct sockaddr_storage ss;
    if (r->req->conn->callbacks->get_peername(r->req->conn, (struct sockaddr *)&ss) <= 0)
        return 0;
    if (ss.ss_family == AF_INET)
        return lg_cidr_contains(a->proxies, a->nproxies, AF_INET,
                                (const unsigned char *)&((struct sockaddr_in *)&ss)->sin_addr);
    if (ss.ss_family == AF_INET6)
        return lg_cidr_contains(a->proxies, a->nproxies, AF_INET6,
                                (const unsigned char *)&((struct sockaddr_in6 *)&ss)->sin6_addr);
    return 0;
}

/* How many times r carries header name (lower-case). */
static int
count_header(lg_request_t *r, const char *name)
{
    int n = 0;
    for (ssize_t i = -1; (i = h2o_find_header_by_str(&r->req->headers, name, strlen(name), i)) >= 0;)
        n++;
    return n;
}

static int
session_of(lg_request_t *r, const lg_auth_t *a, lg_session_t *s)
{
    size_t len;
    const char *value = lg_request_cookie(r, LG_SESSION_COOKIE, &len);
    return value != NULL && lg_session_read(s, a->key, value, len, (int64_t)time(NULL)) == 0;
}

void
lg_auth_sign_in(lg_request_t *r, const char *user, lg_session_t *s)
{
    const lg_auth_t *a = auth_of(r);
    lg_session_new(s, user, a->lifetime_s);
    lg_buf_t cookie = LG_BUF_INIT;
    lg_session_cookie(&cookie, a->key, s, a->secure);
    lg_respond_header(r, "set-cookie", cookie.data);
    lg_buf_free(&cookie);
}

void
lg_auth_sign_out(lg_request_t *r)
{
    lg_buf_t cookie = LG_BUF_INIT;
    lg_session_cookie_clear(&cookie, auth_of(r)->secure);
    lg_respond_header(r, "set-cookie", cookie.data);
    lg_buf_free(&cookie);
}

int
lg_auth_request(lg_request_t *r, lg_session_t *s)
{
    const lg_auth_t *a = auth_of(r);
    int have = session_of(r, a, s);
    if (a->mode != LG_AUTH_HEADER)
        return have; /* dev and jupyterhub: the session is all there is */
    size_t len;
    const char *user = lg_request_header(r, a->header, &len);
    /* a second header means a proxy that appends instead of replacing: the client would choose the user */
    if (user == NULL || count_header(r, a->header) != 1 || !from_trusted_proxy(r, a) ||
        lg_username_check(user, len) != NULL)
        return 0;
    if (have && strlen(s->user) == len && memcmp(s->user, user, len) == 0)
        return 1;
    char name[LG_USERNAME_MAX + 1];
    memcpy(name, user, len);
    name[len] = '\0';
    lg_auth_sign_in(r, name, s);
    return 1;
}

void
lg_auth_token(lg_request_t *r, const lg_session_t *s, char out[LG_SESSION_TOKEN_LEN + 1])
{
    lg_session_token(out, auth_of(r)->key, s);
}

int
lg_auth_token_ok(lg_request_t *r, const lg_session_t *s, const char *token, size_t len)
{
    return token != NULL && lg_session_token_ok(auth_of(r)->key, s, token, len);
}

int
lg_auth_next_ok(const char *next)
{
    size_t n = strlen(next);
    if (n == 0 || n > 4096 || next[0] != '/' || next[1] == '/' || next[1] == '\\')
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)next[i] < 0x21 || next[i] == 0x7f || next[i] == '\\')
            return 0;
    return 1;
}

void
lg_auth_challenge(lg_request_t *r)
{
    if (r->route->errors != LG_ERRORS_HTML) {
        lg_respond_error(r, 401, "not_signed_in", "Sign in first: this needs to know whose project it is.");
        return;
    }
    if (auth_of(r)->mode == LG_AUTH_HEADER) {
        lg_respond_error(r, 401, "not_signed_in",
                         "You are not signed in. This labgate takes sign-ins from the site in front of it: "
                         "open it through that site's address and sign in there.");
        return;
    }
    h2o_iovec_t path = lg_request_raw_path(r);
    lg_buf_t location = LG_BUF_INIT;
    lg_buf_puts(&location, "/signin?next=");
    lg_url_encode(&location, path.base, path.len);
    lg_respond_redirect(r, 303, location.data);
    lg_buf_free(&location);
}

/* The origin of url[0..len) as a browser writes it in Origin: "scheme://host[:port]", lower-case, without
 * a path and without the scheme's default port. 0 when url has no "://" or its origin does not fit out. */
static int
origin_of(char *out, size_t size, const char *url, size_t len)
{
    size_t i = 0;
    while (i < len && url[i] != ':')
        i++;
    if (i + 3 > len || url[i + 1] != '/' || url[i + 2] != '/')
        return 0;
    size_t n = i + 3;
    while (n < len && url[n] != '/')
        n++;
    if (n >= size)
        return 0;
    for (size_t k = 0; k < n; k++)
        out[k] = (char)tolower((unsigned char)url[k]);
    out[n] = '\0';
    if (strncmp(out, "https://", 8) == 0 && n > 12 && strcmp(out + n - 4, ":443") == 0)
        out[n - 4] = '\0';
    else if (strncmp(out, "http://", 7) == 0 && n > 10 && strcmp(out + n - 3, ":80") == 0)
        out[n - 3] = '\0';
    return 1;
}

int
lg_auth_same_site(lg_request_t *r)
{
    size_t len;
    const char *site = lg_request_header(r, "sec-fetch-site", &len);
    if (site != NULL && h2o_memis(site, len, H2O_STRLIT("cross-site")))
        return 0;
    /* the browser's own word, which pages cannot forge; it also holds behind an https proxy, where our
     * idea of the origin (from Host, without public_url) says http */
    if (site != NULL && h2o_memis(site, len, H2O_STRLIT("same-origin")))
        return 1;
    const char *origin = lg_request_header(r, "origin", &len);
    if (origin == NULL)
        return 1;
    const char *base = lg_request_base_url(r);
    char ours[512], theirs[512];
    return origin_of(ours, sizeof(ours), base, strlen(base)) &&
           origin_of(theirs, sizeof(theirs), origin, len) && strcmp(ours, theirs) == 0;
}

int
lg_auth_form(lg_request_t *r, lg_session_t *s)
{
    if (!lg_auth_same_site(r)) {
        lg_respond_error(r, 403, "cross_site", "This form was sent from another site, so it was refused.");
        return 0;
    }
    if (!lg_auth_request(r, s)) {
        lg_respond_error(r, 401, "not_signed_in", "Sign in first: this needs to know whose project it is.");
        return 0;
    }
    int bad;
    const char *token = lg_request_form(r, "csrf", &bad);
    if (token == NULL || !lg_auth_token_ok(r, s, token, strlen(token))) {
        lg_respond_error(r, 403, "bad_csrf_token",
                         "This form has expired or did not come from your session here, so nothing was done. "
                         "Go back, reload the page and try again.");
        return 0;
    }
    return 1;
}

void
lg_auth_mac(lg_request_t *r, const char *what, const char *text, char out[LG_SESSION_TOKEN_LEN + 1])
{
    lg_session_mac(out, auth_of(r)->key, what, text, strlen(text));
}
