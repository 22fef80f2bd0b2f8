/* session.h - who is signed in, carried in a cookie signed with HMAC-SHA256 under the gateway's session
 * secret: "v1:USER:EXPIRES:NONCE:MAC". Nothing is kept on the server, so any gateway with the same
 * secret reads any session. The CSRF token of a session is an HMAC of its nonce: bound to that session,
 * useless with any other. */
#ifndef LG_SESSION_H
#define LG_SESSION_H

#include "core/buf.h"
#include "core/username.h"

#include <stddef.h>
#include <stdint.h>

#define LG_SESSION_COOKIE    "labgate_session"
#define LG_SESSION_SECRET    32 /* bytes of key */
#define LG_SESSION_TOKEN_LEN 64 /* hex digits of a CSRF token */

typedef struct {
    char user[LG_USERNAME_MAX + 1];
    char nonce[33];  /* 128 random bits in hex */
    int64_t expires; /* Unix time */
} lg_session_t;

/* HMAC-SHA256 of "what:text[0..len)" under key, in hex: what signs sessions, tokens and other values. */
void lg_session_mac(char out[LG_SESSION_TOKEN_LEN + 1], const unsigned char key[LG_SESSION_SECRET],
                    const char *what, const char *text, size_t len);

/* A new session of user (already checked) lasting lifetime_s from now. */
void lg_session_new(lg_session_t *s, const char *user, int64_t lifetime_s);

/* Reads a cookie value: 0 and s filled when it is well-formed, signed under key, and not expired at now. */
int lg_session_read(lg_session_t *s, const unsigned char key[LG_SESSION_SECRET], const char *value,
                    size_t len, int64_t now);

/* Appends the Set-Cookie value carrying s: HttpOnly, SameSite=Lax, Path=/, Max-Age, and Secure when
 * the gateway is reached over https. */
void lg_session_cookie(lg_buf_t *out, const unsigned char key[LG_SESSION_SECRET], const lg_session_t *s,
                       int secure);
/* Appends the Set-Cookie value that ends a session in the browser. */
void lg_session_cookie_clear(lg_buf_t *out, int secure);

/* The session's CSRF token. */
void lg_session_token(char out[LG_SESSION_TOKEN_LEN + 1], const unsigned char key[LG_SESSION_SECRET],
                      const lg_session_t *s);
/* 1 when token[0..len) is the session's CSRF token (compared in constant time). */
int lg_session_token_ok(const unsigned char key[LG_SESSION_SECRET], const lg_session_t *s, const char *token,
                        size_t len);

#endif
