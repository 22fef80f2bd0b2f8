/* snippet.c - Markdown, HTML and reStructuredText badge snippets. */
#include "snippet.h"

#include "core/escape.h"

#include <string.h>

/* Appends url with every byte for which must_encode() is true written as %XX. */
static void
put_url(lg_buf_t *out, const char *url, int (*must_encode)(unsigned char c, int last))
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(url);

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)url[i];
        if (must_encode(c, i + 1 == n)) {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            lg_buf_append(out, esc, 3);
        } else {
            lg_buf_putc(out, (char)c);
        }
    }
}

static int
markdown_url_byte(unsigned char c, int last)
{
    (void)last;
    return c <= 0x20 || c >= 0x7F || strchr("\"'()<>[]\\`", c) != NULL;
}

static int
rst_url_byte(unsigned char c, int last)
{
    return c <= 0x20 || c >= 0x7F || c == '\\' || c == '`' || (last && c == '_');
}

/* Appends text with control characters turned into spaces and the bytes in `escape` preceded by '\'. */
static void
put_text(lg_buf_t *out, const char *text, const char *escape)
{
    for (const char *p = text; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7F) {
            lg_buf_putc(out, ' ');
            continue;
        }
        if (escape != NULL && strchr(escape, c) != NULL)
            lg_buf_putc(out, '\\');
        lg_buf_putc(out, (char)c);
    }
}

/* Appends text escaped for an HTML attribute, control characters turned into spaces. */
static void
put_attr(lg_buf_t *out, const char *text)
{
    const char *span = text;
    for (const char *p = text;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c != '\0' && c >= 0x20 && c != 0x7F)
            continue;
        lg_escape_xml(out, span, (size_t)(p - span));
        if (c == '\0')
            break;
        lg_buf_putc(out, ' ');
        span = p + 1;
    }
}

void
lg_snippet_markdown(lg_buf_t *out, const char *img_url, const char *link_url, const char *alt)
{
    lg_buf_puts(out, "[![");
    put_text(out, alt, "\\`*_[]()<>!&|~#");
    lg_buf_puts(out, "](");
    put_url(out, img_url, markdown_url_byte);
    lg_buf_puts(out, ")](");
    put_url(out, link_url, markdown_url_byte);
    lg_buf_putc(out, ')');
}

void
lg_snippet_html(lg_buf_t *out, const char *img_url, const char *link_url, const char *alt)
{
    lg_buf_puts(out, "<a href=\"");
    put_attr(out, link_url);
    lg_buf_puts(out, "\"><img src=\"");
    put_attr(out, img_url);
    lg_buf_puts(out, "\" alt=\"");
    put_attr(out, alt);
    lg_buf_puts(out, "\"></a>");
}

void
lg_snippet_rst(lg_buf_t *out, const char *img_url, const char *link_url, const char *alt)
{
    lg_buf_puts(out, ".. image:: ");
    put_url(out, img_url, rst_url_byte);
    lg_buf_puts(out, "\n   :target: ");
    put_url(out, link_url, rst_url_byte);
    lg_buf_puts(out, "\n   :alt: ");
    put_text(out, alt, NULL);
}
