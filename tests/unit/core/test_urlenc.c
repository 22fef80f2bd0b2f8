/* test_urlenc.c - tests core/urlenc.c: hexadecimal digits, percent-decoding and -encoding, query
 * iteration. */
#include "core/urlenc.h"

#include "tests/unit/check.h"

#include <stdlib.h>

static void
test_hex_value(void)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        CHECK_INT(lg_hex_value(digits[i]), i);
        CHECK_INT(lg_hex_value((char)(digits[i] >= 'a' ? digits[i] - 'a' + 'A' : digits[i])), i);
    }
    /* everything else, including the neighbours of each range and bytes past ASCII, is not a digit */
    int others = 0;
    for (int c = -128; c < 128; c++)
        if (strchr("0123456789abcdefABCDEF", c) == NULL || c == 0)
            others += lg_hex_value((char)c) == -1;
    CHECK_INT(others, 256 - 22);
    CHECK_INT(lg_hex_value('/'), -1);
    CHECK_INT(lg_hex_value(':'), -1);
    CHECK_INT(lg_hex_value('@'), -1);
    CHECK_INT(lg_hex_value('G'), -1);
    CHECK_INT(lg_hex_value('`'), -1);
    CHECK_INT(lg_hex_value('g'), -1);
    CHECK_INT(lg_hex_value('\0'), -1);
    CHECK_INT(lg_hex_value((char)0xB0), -1);
}

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
    lg_buf_reset(&out);
    lg_url_encode(&out, "a\0\xff/", 4);
    CHECK_STR(lg_buf_str(&out), "a%00%FF%2F");
    lg_buf_reset(&out);
    lg_url_encode(&out, "", 0);
    CHECK_STR(lg_buf_str(&out), "");
    lg_buf_free(&out);
}

static int
keep_letters(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || c >= 0x80;
}

static int
keep_nothing(unsigned char c)
{
    (void)c;
    return 0;
}

static void
test_encode_except(void)
{
    lg_buf_t out = LG_BUF_INIT;
    lg_url_encode_except(&out, "ab C-\xc3\xa9!", 8, keep_letters);
    CHECK_STR(lg_buf_str(&out), "ab%20%43%2D\xc3\xa9%21");
    lg_buf_reset(&out);
    lg_url_encode_except(&out, "Az\x7f\0", 4, keep_nothing);
    CHECK_STR(lg_buf_str(&out), "%41%7A%7F%00");
    lg_buf_reset(&out);
    lg_url_encode_except(&out, "abc", 2, keep_letters); /* only n bytes */
    CHECK_STR(lg_buf_str(&out), "ab");

    /* every byte encodes and decodes back */
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    lg_buf_t back = LG_BUF_INIT;
    lg_buf_reset(&out);
    lg_url_encode_except(&out, all, sizeof(all), keep_nothing);
    CHECK_INT(out.len, 3 * 256);
    CHECK_INT(lg_url_decode(&back, out.data, out.len, 0, NULL), 0);
    CHECK(back.len == 256 && memcmp(back.data, all, 256) == 0);
    lg_buf_free(&back);
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
    RUN(test_hex_value);
    RUN(test_decode);
    RUN(test_encode);
    RUN(test_encode_except);
    RUN(test_query);
    return check_report();
}
