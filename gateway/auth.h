/* auth.h - who is signed in. Two authenticators behind one call: `header` believes the user name a
 * trusted reverse proxy sets (auth_header, only from trusted_proxies) and keeps a session cookie for
 * that user so that forms carry a CSRF token; `dev` signs in whoever names themselves on /signin, and
 * runs only on loopback. Either way the session travels in a signed cookie (session.h). */
#ifndef LG_AUTH_H
#define LG_AUTH_H

#include "core/config.h"
#include "core/err.h"
#include "gateway/session.h"

#include <stddef.h>
#include <stdint.h>

#define LG_AUTH_MAX_PROXIES 32

struct lg_request;

typedef struct {
    int family; /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    int bits;
} lg_cidr_t;

typedef struct {
    lg_auth_mode_t mode;
    char header[128]; /* lower-case */
    lg_cidr_t proxies[LG_AUTH_MAX_PROXIES];
    size_t nproxies;
    unsigned char key[LG_SESSION_SECRET];
    int64_t lifetime_s;
    int secure; /* cookies get Secure: labgate is reached over https */
    const char *hub_url, *hub_public_url, *hub_token, *hub_client_id; /* auth = jupyterhub */
} lg_auth_t;

/* Checks and prepares sign-in from the configuration: dev only on loopback listeners, trusted_proxies
 * well-formed, session_secret long enough (or a random key, with a warning). */
int lg_auth_init(lg_auth_t *a, const lg_config_t *cfg, lg_err_t *err);

/* 1 when cidrs (text, comma-separated) were read into out (at most max), else 0 with err set. */
int lg_cidr_parse_list(lg_cidr_t *out, size_t max, size_t *n, const char *text, lg_err_t *err);
/* 1 when the address (AF_INET or AF_INET6, raw bytes) is inside one of cidrs. */
int lg_cidr_contains(const lg_cidr_t *cidrs, size_t n, int family, const unsigned char *addr);

/* The signed-in user of r: 1 with s filled, 0 when nobody is. With auth = header, a request from a
 * trusted proxy naming a valid user is signed in; when it carries no session of that user, one is made
 * and its cookie goes on the answer. */
int lg_auth_request(struct lg_request *r, lg_session_t *s);
/* Signs r's browser in as user (already checked): the cookie goes on the answer. */
void lg_auth_sign_in(struct lg_request *r, const char *user, lg_session_t *s);
/* Ends the session in r's browser. */
void lg_auth_sign_out(struct lg_request *r);
/* The CSRF token of s. */
void lg_auth_token(struct lg_request *r, const lg_session_t *s, char out[LG_SESSION_TOKEN_LEN + 1]);
/* 1 when token[0..len) is s's CSRF token. */
int lg_auth_token_ok(struct lg_request *r, const lg_session_t *s, const char *token, size_t len);

/* Answers a visitor who is not signed in: 401 for the API; a page goes to the sign-in form (dev), which
 * comes back to the same address, or says to sign in through the proxy (header). */
void lg_auth_challenge(struct lg_request *r);
/* 0 when r says it comes from another site (Origin not ours, or Sec-Fetch-Site: cross-site). */
int lg_auth_same_site(struct lg_request *r);
/* A form POST that changes something: signed in (s filled), from our own site, with the session's CSRF
 * token in field "csrf". Otherwise answers 401 or 403 itself and returns 0. */
int lg_auth_form(struct lg_request *r, lg_session_t *s);
/* The MAC of text under the session key, for values of our own in cookies (hex, LG_SESSION_TOKEN_LEN). */
void lg_auth_mac(struct lg_request *r, const char *what, const char *text,
                 char out[LG_SESSION_TOKEN_LEN + 1]);
/* 1 when next is a path on this site to come back to after signing in ("/..." but not "//..."). */
int lg_auth_next_ok(const char *next);

#endif
