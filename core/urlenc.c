/* urlenc.c - hexadecimal digits, percent-encoding and query strings. */
#include "urlenc.h"

#include <string.h>

int
lg_hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int
lg_url_decode(lg_buf_t *out, const char *s, size_t n, int plus_is_space, lg_err_t *err)
{
    lg_buf_reserve(out, n);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            int hi = i + 2 < n ? lg_hex_value(s[i + 1]) : -1;
            int lo = i + 2 < n ? lg_hex_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return lg_err_set(err, LG_EINVAL, "a '%%' must be followed by two hexadecimal digits");
            lg_buf_putc(out, (char)(hi << 4 | lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            lg_buf_putc(out, ' ');
        } else {
            lg_buf_putc(out, c);
        }
    }
    return 0;
}

void
lg_url_encode_except(lg_buf_t *out, const char *s, size_t n, int (*keep)(unsigned char c))
{
    static const char hex[] = "0123456789ABCDEF";
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (keep(c))
            continue;
        char e[3] = {'%', hex[c >> 4], hex[c & 15]};
        lg_buf_append(out, s + start, i - start);
        lg_buf_append(out, e, 3);
        start = i + 1;
    }
    lg_buf_append(out, s + start, n - start);
}

/* RFC 3986 unreserved: A-Z a-z 0-9 - . _ ~ */
static int
is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

static int
is_unreserved_or_slash(unsigned char c)
{
    return is_unreserved(c) || c == '/';
}

void
lg_url_encode(lg_buf_t *out, const char *s, size_t n)
{
    lg_url_encode_except(out, s, n, is_unreserved);
}

void
lg_url_encode_path(lg_buf_t *out, const char *s, size_t n)
{
    lg_url_encode_except(out, s, n, is_unreserved_or_slash);
}

int
lg_query_next(const char *q, size_t n, size_t *pos, const char **name, size_t *name_len, const char **value,
              size_t *value_len)
{
    while (*pos < n) {
        const char *start = q + *pos;
        const char *amp = memchr(start, '&', n - *pos);
        size_t len = amp ? (size_t)(amp - start) : n - *pos;
        *pos += len + (amp ? 1 : 0);
        if (len == 0)
            continue;
        const char *eq = memchr(start, '=', len);
        *name = start;
        *name_len = eq ? (size_t)(eq - start) : len;
        *value = eq ? eq + 1 : start + len;
        *value_len = eq ? len - *name_len - 1 : 0;
        return 1;
    }
    return 0;
}
