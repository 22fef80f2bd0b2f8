/* session.c - signed session cookies and CSRF tokens; see session.h. */
#include "session.h"

#include "core/random.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAC_HEX 64

/* HMAC-SHA256 of "what:text" under key, in hex. */
void
lg_session_mac(char out[MAC_HEX + 1], const unsigned char key[LG_SESSION_SECRET], const char *what,
               const char *text, size_t len)
{
    lg_buf_t msg = LG_BUF_INIT;
    lg_buf_printf(&msg, "%s:", what);
    lg_buf_append(&msg, text, len);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (HMAC(EVP_sha256(), key, LG_SESSION_SECRET, (const unsigned char *)msg.data, msg.len, md, &mdlen) ==
            NULL ||
        mdlen != 32)
        abort(); /* OpenSSL without SHA-256: nothing can be signed */
    lg_buf_free(&msg);
    lg_hex(out, md, 32);
}

void
lg_session_new(lg_session_t *s, const char *user, int64_t lifetime_s)
{
    memset(s, 0, sizeof(*s));
    snprintf(s->user, sizeof(s->user), "%s", user);
    lg_random_hex(s->nonce, 16);
    s->expires = (int64_t)time(NULL) + lifetime_s;
}

/* "v1:USER:EXPIRES:NONCE", the signed part. */
static void
signed_part(lg_buf_t *out, const lg_session_t *s)
{
    lg_buf_printf(out, "v1:%s:%lld:%s", s->user, (long long)s->expires, s->nonce);
}

int
lg_session_read(lg_session_t *s, const unsigned char key[LG_SESSION_SECRET], const char *value, size_t len,
                int64_t now)
{
    if (len < MAC_HEX + 2 || len > 256 || value[len - MAC_HEX - 1] != ':')
        return -1;
    size_t body = len - MAC_HEX - 1;
    char want[MAC_HEX + 1];
    lg_session_mac(want, key, "session", value, body);
    if (CRYPTO_memcmp(want, value + body + 1, MAC_HEX) != 0)
        return -1;
    char text[260], user[LG_USERNAME_MAX + 2], nonce[40], rest[2];
    long long expires;
    memcpy(text, value, body);
    text[body] = '\0';
    memset(s, 0, sizeof(*s));
    if (sscanf(text, "v1:%65[^:]:%lld:%39[0-9a-f]%1s", user, &expires, nonce, rest) != 3 ||
        strlen(nonce) != 32 || lg_username_check(user, strlen(user)) != NULL || expires <= now)
        return -1;
    memcpy(s->user, user, strlen(user) + 1);
    memcpy(s->nonce, nonce, 33);
    s->expires = expires;
    return 0;
}

void
lg_session_cookie(lg_buf_t *out, const unsigned char key[LG_SESSION_SECRET], const lg_session_t *s,
                  int secure)
{
    lg_buf_t part = LG_BUF_INIT;
    signed_part(&part, s);
    char sig[MAC_HEX + 1];
    lg_session_mac(sig, key, "session", part.data, part.len);
    long long age = s->expires - (long long)time(NULL);
    lg_buf_printf(out, LG_SESSION_COOKIE "=%s:%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s", part.data,
                  sig, age > 0 ? age : 0, secure ? "; Secure" : "");
    lg_buf_free(&part);
}

void
lg_session_cookie_clear(lg_buf_t *out, int secure)
{
    lg_buf_printf(out, LG_SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s",
                  secure ? "; Secure" : "");
}

void
lg_session_token(char out[LG_SESSION_TOKEN_LEN + 1], const unsigned char key[LG_SESSION_SECRET],
                 const lg_session_t *s)
{
    lg_session_mac(out, key, "csrf", s->nonce, strlen(s->nonce));
}

int
lg_session_token_ok(const unsigned char key[LG_SESSION_SECRET], const lg_session_t *s, const char *token,
                    size_t len)
{
    char want[LG_SESSION_TOKEN_LEN + 1];
    lg_session_token(want, key, s);
    return len == LG_SESSION_TOKEN_LEN && CRYPTO_memcmp(want, token, len) == 0;
}
