/* snippet.c - Markdown, HTML and reStructuredText badge snippets. */
#include "snippet.h"

#include "core/escape.h"
#include "core/urlenc.h"

#include <string.h>

/* Markdown link destinations: bytes that are not printable ASCII, and those that would end or break the
 * link, are percent-encoded. */
static int
markdown_url_keeps(unsigned char c)
{
    return c > 0x20 && c < 0x7F && strchr("\"'()<>[]\\`", c) == NULL;
}

static void
put_markdown_url(lg_buf_t *out, const char *url)
{
    lg_url_encode_except(out, url, strlen(url), markdown_url_keeps);
}

static int
rst_url_keeps(unsigned char c)
{
    return c > 0x20 && c < 0x7F && c != '\\' && c != '`';
}

/* reStructuredText reads a trailing '_' as a reference name, so that one is encoded too. */
static void
put_rst_url(lg_buf_t *out, const char *url)
{
    size_t n = strlen(url);
    size_t body = n > 0 && url[n - 1] == '_' ? n - 1 : n;
    lg_url_encode_except(out, url, body, rst_url_keeps);
    if (body < n)
        lg_buf_puts(out, "%5F");
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
    put_markdown_url(out, img_url);
    lg_buf_puts(out, ")](");
    put_markdown_url(out, link_url);
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
    put_rst_url(out, img_url);
    lg_buf_puts(out, "\n   :target: ");
    put_rst_url(out, link_url);
    lg_buf_puts(out, "\n   :alt: ");
    put_text(out, alt, NULL);
}
