/* escape.c - markup escaping. */
#include "escape.h"

#include "unicode.h"

#include <string.h>

void
lg_escape_xml(lg_buf_t *out, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        switch (c) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&apos;";
            break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
                rep = "";
            break;
        }
        if (rep != NULL) {
            lg_buf_append(out, s + start, i - start);
            lg_buf_puts(out, rep);
            start = i + 1;
        }
    }
    lg_buf_append(out, s + start, n - start);
}

void
lg_escape_xml_str(lg_buf_t *out, const char *s)
{
    lg_escape_xml(out, s, strlen(s));
}

void
lg_escape_visible(lg_buf_t *out, const char *s, size_t n)
{
    size_t start = 0, pos = 0;
    while (pos < n) {
        size_t at = pos;
        char esc[LG_UNICODE_ESCAPE_MAX];
        size_t len = lg_unicode_escape_next(esc, s, n, &pos);
        if (len == 0)
            continue;
        lg_escape_xml(out, s + start, at - start);
        lg_buf_append(out, esc, len);
        start = pos;
    }
    lg_escape_xml(out, s + start, n - start);
}
