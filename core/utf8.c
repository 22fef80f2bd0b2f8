/* utf8.c - strict UTF-8 per RFC 3629. */
#include "utf8.h"

int32_t
lg_utf8_next(const char *s, size_t n, size_t *pos)
{
    const unsigned char *p = (const unsigned char *)s + *pos;
    size_t left = n - *pos;
    uint32_t cp, min;
    size_t len;

    if (left == 0)
        return -1;
    if (p[0] < 0x80) {
        *pos += 1;
        return p[0];
    } else if ((p[0] & 0xE0) == 0xC0) {
        cp = p[0] & 0x1F, len = 2, min = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        cp = p[0] & 0x0F, len = 3, min = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        cp = p[0] & 0x07, len = 4, min = 0x10000;
    } else {
        goto bad;
    }
    if (left < len)
        goto bad;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            goto bad;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        goto bad;
    *pos += len;
    return (int32_t)cp;
bad:
    *pos += 1;
    return -1;
}

int
lg_utf8_valid(const char *s, size_t n)
{
    size_t pos = 0;
    while (pos < n) {
        if ((unsigned char)s[pos] < 0x80) {
            pos++;
            continue;
        }
        if (lg_utf8_next(s, n, &pos) < 0)
            return 0;
    }
    return 1;
}

size_t
lg_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
        return 0;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    } else if (cp <= 0x10FFFF) {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

void
lg_utf8_append_valid(lg_buf_t *out, const char *s, size_t n)
{
    size_t pos = 0;
    while (pos < n) {
        size_t start = pos;
        if (lg_utf8_next(s, n, &pos) < 0)
            lg_buf_puts(out, "\xEF\xBF\xBD");
        else
            lg_buf_append(out, s + start, pos - start);
    }
}
