/* test_session.c - tests gateway/session.c and the address ranges of gateway/auth.c: cookies that are
 * read back, refused when forged, tampered with, expired or malformed; CSRF tokens bound to a session. */
#include "gateway/auth.h"
#include "gateway/session.h"

#include "tests/unit/check.h"

#include <arpa/inet.h>
#include <time.h>

static const unsigned char key[LG_SESSION_SECRET] = "0123456789abcdef0123456789abcdef";
static const unsigned char other[LG_SESSION_SECRET] = "0123456789abcdef0123456789abcdeX";

/* The cookie value of s, as a browser sends it back. */
static void
value_of(lg_buf_t *out, const unsigned char *k, const lg_session_t *s)
{
    lg_buf_t set = LG_BUF_INIT;
    lg_session_cookie(&set, k, s, 0);
    const char *v = strchr(set.data, '=') + 1;
    lg_buf_append(out, v, strcspn(v, ";"));
    lg_buf_free(&set);
}

static void
test_round_trip(void)
{
    lg_session_t s, got;
    lg_session_new(&s, "alice.b@x+y", 3600);
    lg_buf_t v = LG_BUF_INIT;
    value_of(&v, key, &s);
    CHECK(lg_session_read(&got, key, v.data, v.len, time(NULL)) == 0);
    CHECK_STR(got.user, "alice.b@x+y");
    CHECK_STR(got.nonce, s.nonce);
    CHECK_INT(got.expires, s.expires);
    CHECK(lg_session_read(&got, other, v.data, v.len, time(NULL)) != 0); /* another key */
    CHECK(lg_session_read(&got, key, v.data, v.len, s.expires) != 0);    /* expired */
    lg_buf_free(&v);

    lg_buf_t set = LG_BUF_INIT;
    lg_session_cookie(&set, key, &s, 1);
    CHECK(strstr(set.data, "; HttpOnly") != NULL);
    CHECK(strstr(set.data, "; SameSite=Lax") != NULL);
    CHECK(strstr(set.data, "; Secure") != NULL);
    CHECK(strstr(set.data, "; Path=/") != NULL);
    CHECK(strstr(set.data, "; Max-Age=3600") != NULL || strstr(set.data, "; Max-Age=3599") != NULL);
    lg_buf_free(&set);
}

static void
test_tampering(void)
{
    lg_session_t s, got;
    lg_session_new(&s, "alice", 3600);
    lg_buf_t v = LG_BUF_INIT;
    value_of(&v, key, &s);
    for (size_t i = 0; i < v.len; i++) { /* every single changed byte is refused */
        char saved = v.data[i];
        v.data[i] = saved == 'a' ? 'b' : 'a';
        CHECK_MSG(lg_session_read(&got, key, v.data, v.len, time(NULL)) != 0, "byte %zu", i);
        v.data[i] = saved;
    }
    CHECK(lg_session_read(&got, key, v.data, v.len - 1, time(NULL)) != 0); /* truncated */
    lg_buf_t longer = LG_BUF_INIT;                                         /* another user, same MAC */
    lg_buf_printf(&longer, "v1:mallory%s", v.data + 8);
    CHECK(lg_session_read(&got, key, longer.data, longer.len, time(NULL)) != 0);
    lg_buf_free(&longer);
    lg_buf_free(&v);

    static const char *const junk[] = {"", ":", "v1", "v1:::::", "x:y:z", "v1:a:1:b:c"};
    for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
        CHECK(lg_session_read(&got, key, junk[i], strlen(junk[i]), time(NULL)) != 0);
    char huge[4096];
    memset(huge, 'a', sizeof(huge));
    CHECK(lg_session_read(&got, key, huge, sizeof(huge), time(NULL)) != 0);
}

static void
test_tokens(void)
{
    lg_session_t a, b;
    lg_session_new(&a, "alice", 3600);
    lg_session_new(&b, "alice", 3600);
    char ta[LG_SESSION_TOKEN_LEN + 1], tb[LG_SESSION_TOKEN_LEN + 1];
    lg_session_token(ta, key, &a);
    lg_session_token(tb, key, &b);
    CHECK_INT(strlen(ta), LG_SESSION_TOKEN_LEN);
    CHECK(strcmp(ta, tb) != 0); /* bound to the session, not the user */
    CHECK(lg_session_token_ok(key, &a, ta, strlen(ta)));
    CHECK(!lg_session_token_ok(key, &b, ta, strlen(ta)));
    CHECK(!lg_session_token_ok(other, &a, ta, strlen(ta)));
    CHECK(!lg_session_token_ok(key, &a, ta, strlen(ta) - 1));
    CHECK(!lg_session_token_ok(key, &a, "", 0));
}

static int
contains(const char *list, const char *addr)
{
    lg_cidr_t c[8];
    size_t n;
    lg_err_t err;
    unsigned char raw[16];
    if (lg_cidr_parse_list(c, 8, &n, list, &err) != 0)
        return -1;
    int family = strchr(addr, ':') ? AF_INET6 : AF_INET;
    inet_pton(family, addr, raw);
    return lg_cidr_contains(c, n, family, raw);
}

static void
test_ranges(void)
{
    CHECK_INT(contains("127.0.0.0/8,::1", "127.1.2.3"), 1);
    CHECK_INT(contains("127.0.0.0/8,::1", "128.0.0.1"), 0);
    CHECK_INT(contains("127.0.0.0/8,::1", "::1"), 1);
    CHECK_INT(contains("127.0.0.0/8,::1", "::2"), 0);
    CHECK_INT(contains("10.1.2.3", "10.1.2.3"), 1);
    CHECK_INT(contains("10.1.2.3", "10.1.2.4"), 0);
    CHECK_INT(contains("10.0.0.0/9", "10.127.255.255"), 1);
    CHECK_INT(contains("10.0.0.0/9", "10.128.0.0"), 0);
    CHECK_INT(contains("0.0.0.0/0", "192.0.2.1"), 1);
    CHECK_INT(contains("", "127.0.0.1"), 0);
    CHECK_INT(contains("fd00::/8", "fdff::1"), 1);
    static const char *const bad[] = {"10.0.0.0/33", "x",         "10.0.0.0/",  "10.0.0.0/8x",
                                      "::1/129",     "1.2.3.4.5", "10.0.0.0/-1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_MSG(contains(bad[i], "10.0.0.1") == -1, "%s", bad[i]);
}

int
main(void)
{
    RUN(test_round_trip);
    RUN(test_tampering);
    RUN(test_tokens);
    RUN(test_ranges);
    return check_report();
}
