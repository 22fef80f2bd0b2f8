/* test_urlenc.c - tests core/urlenc.c: percent-decoding, encoding and query iteration. */
#include "core/urlenc.h"

#include "tests/unit/check.h"

#include <stdlib.h>

static void
check_decode(const char *in, int plus, const char *want)
{
    lg_buf_t out = LG_BUF_INIT;
    lg_err_t err;
    int rc = lg_url_decode(&out, in, strlen(in), plus, &err);
    if (want == NULL)
        CHECK_MSG(rc < 0, "decoding \"%s\" should fail", in);
    else
        CHECK_STR(rc == 0 ? lg_buf_str(&out) : "(failed)", want);
    lg_buf_free(&out);
}

static void
test_decode(void)
{
    check_decode("", 0, "");
    check_decode("abc", 0, "abc");
    check_decode("a%20b", 0, "a b");
    check_decode("a+b", 0, "a+b");
    check_decode("a+b", 1, "a b");
    check_decode("%2f%2F", 0, "//");
    check_decode("%e2%82%ac", 0, "\xe2\x82\xac");
    check_decode("%", 0, NULL);
    check_decode("%2", 0, NULL);
    check_decode("ab%", 0, NULL);
    check_decode("%zz", 0, NULL);
    check_decode("%2g", 0, NULL);
    check_decode("%%41", 0, NULL);

    lg_buf_t out = LG_BUF_INIT;
    CHECK_INT(lg_url_decode(&out, "a%00b", 5, 0, NULL), 0);
    CHECK_INT(out.len, 3);
    CHECK(out.data[1] == '\0');
    lg_buf_free(&out);
}

static void
test_encode(void)
{
    lg_buf_t out = LG_BUF_INIT;
    lg_url_encode(&out, "a b/c?d=e&f~_.-\xc3\xa9", 17);
    CHECK_STR(lg_buf_str(&out), "a%20b%2Fc%3Fd%3De%26f~_.-%C3%A9");
    lg_buf_reset(&out);
    lg_url_encode_path(&out, "dir/my nb#1.ipynb", 17);
    CHECK_STR(lg_buf_str(&out), "dir/my%20nb%231.ipynb");
    lg_buf_free(&out);
}

static void
test_query(void)
{
    const char *q = "a=1&&b=&c&d=x=y&";
    size_t pos = 0, nl, vl;
    const char *name, *value;
    char got[128] = "";
    while (lg_query_next(q, strlen(q), &pos, &name, &nl, &value, &vl)) {
        size_t used = strlen(got);
        snprintf(got + used, sizeof(got) - used, "[%.*s|%.*s]", (int)nl, name, (int)vl, value);
    }
    CHECK_STR(got, "[a|1][b|][c|][d|x=y]");
    pos = 0;
    CHECK_INT(lg_query_next("", 0, &pos, &name, &nl, &value, &vl), 0);
}

int
main(void)
{
    RUN(test_decode);
    RUN(test_encode);
    RUN(test_query);
    return check_report();
}
