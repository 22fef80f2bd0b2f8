/* page.c - the HTML frame shared by labgate's pages. */
#include "page.h"

#include "core/escape.h"
#include "gateway/status.h"

void
lg_page_begin(lg_buf_t *out, const char *title)
{
    lg_buf_puts(out, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    lg_escape_xml_str(out, title);
    lg_buf_puts(
        out, " · labgate</title>\n<link rel=\"stylesheet\" href=\"/assets/style.css\">\n"
             "<link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\">\n</head>\n<body>\n"
             "<header><a class=\"brand\" href=\"/\">labgate</a>"
             "<span class=\"tagline\">open notebooks from GitHub in your Jupyter</span></header>\n<main>\n");
}

void
lg_page_end(lg_buf_t *out)
{
    lg_buf_puts(out,
                "</main>\n<footer><a href=\"/\">Make an import link</a> · <a href=\"/healthz\">status</a>"
                "</footer>\n</body>\n</html>\n");
}

void
lg_page_error(lg_buf_t *out, int status, const char *message)
{
    const char *what = lg_status_reason(status);
    lg_page_begin(out, what);
    lg_buf_printf(out, "<section class=\"error\">\n<h1>%s</h1>\n<p class=\"message\">", what);
    lg_escape_xml_str(out, message);
    lg_buf_puts(
        out,
        "</p>\n<p><a href=\"/\">Go to the link maker</a> to turn a GitHub link into an import link.</p>\n"
        "</section>\n");
    lg_page_end(out);
}
