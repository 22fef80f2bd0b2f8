/* route_home.c - GET / : the link maker. Paste any GitHub link, get the import link, a live badge and
 * README snippets. Works without JavaScript (?url= renders the result on the server); with it,
 * assets/home.js updates the result as you type through /api/v1/links. */
#include "gateway/routes.h"

#include "badge/links.h"
#include "core/escape.h"
#include "gateway/page.h"

#include <string.h>

static void
copy_field(lg_buf_t *out, const char *id, const char *label, const char *value, int multiline)
{
    lg_buf_printf(out, "<label for=\"%s\">%s</label>\n<div class=\"copy\">", id, label);
    if (multiline) {
        lg_buf_printf(out, "<textarea id=\"%s\" readonly rows=\"3\">", id);
        lg_escape_xml_str(out, value);
        lg_buf_puts(out, "</textarea>");
    } else {
        lg_buf_printf(out, "<input id=\"%s\" readonly value=\"", id);
        lg_escape_xml_str(out, value);
        lg_buf_puts(out, "\">");
    }
    lg_buf_printf(out, "<button type=\"button\" data-copy=\"%s\">Copy</button></div>\n", id);
}

static void
result_section(lg_buf_t *out, const lg_links_t *links)
{
    static const lg_links_t none = {"", "/badge.svg", "", "", ""};
    int shown = links != NULL;
    if (!shown)
        links = &none;
    lg_buf_printf(out, "<div id=\"result\"%s>\n<h2>Your import link</h2>\n", shown ? "" : " hidden");
    copy_field(out, "import_url", "Anyone who opens it can import into their own Jupyter", links->import_url,
               0);
    lg_buf_puts(out, "<h2>Badge</h2>\n<p class=\"preview\"><a id=\"preview_link\" href=\"");
    lg_escape_xml_str(out, links->import_url);
    lg_buf_puts(out, "\"><img id=\"preview\" alt=\"" LG_LINKS_ALT "\" src=\"");
    lg_escape_xml_str(out, links->badge_url);
    lg_buf_puts(out, "\"></a></p>\n");
    copy_field(out, "markdown", "Markdown", links->markdown, 1);
    copy_field(out, "html", "HTML", links->html, 1);
    copy_field(out, "rst", "reStructuredText", links->rst, 1);
    lg_buf_puts(out, "</div>\n");
}

static void
home_page(lg_buf_t *out, const char *url, const lg_links_t *links, const char *error)
{
    lg_page_begin(out, "Open GitHub notebooks in your Jupyter");
    lg_buf_puts(out,
                "<section class=\"maker\">\n<h1>Open GitHub notebooks in your Jupyter</h1>\n"
                "<p>Paste a link to a notebook, a folder or a whole repository on GitHub. You get a link "
                "and a README badge that let anyone copy it into their own Jupyter and open it.</p>\n"
                "<form id=\"maker\" method=\"get\" action=\"/\">\n<label for=\"url\">GitHub link</label>\n"
                "<div class=\"row\"><input id=\"url\" name=\"url\" type=\"text\" autocomplete=\"off\" "
                "spellcheck=\"false\" placeholder=\"https://github.com/OWNER/REPO/blob/main/notebook.ipynb\" "
                "value=\"");
    lg_escape_xml_str(out, url ? url : "");
    lg_buf_puts(out, "\"><button type=\"submit\">Make links</button></div>\n</form>\n");
    lg_buf_printf(out, "<p id=\"error\" class=\"error\" role=\"alert\"%s>", error ? "" : " hidden");
    lg_escape_xml_str(out, error ? error : "");
    lg_buf_puts(out, "</p>\n");
    result_section(out, links);
    lg_buf_puts(out, "</section>\n<script src=\"/assets/home.js\" defer></script>\n");
    lg_page_end(out);
}

void
lg_route_home(lg_request_t *r)
{
    int bad = 0, status = 200;
    const char *url = lg_request_query(r, "url", &bad);
    const char *error = NULL;
    lg_ghlink_t link = {0};
    lg_links_t links = {0};
    lg_err_t err;
    if (bad) {
        status = 400, error = "The link could not be read: it has a broken %-escape or a NUL byte.";
    } else if (url != NULL && *url != '\0') {
        if (lg_ghlink_parse_url(&link, url, strlen(url), &err) == 0)
            lg_links_make(&links, lg_request_base_url(r), &link, NULL);
        else
            status = 400, error = err.msg;
    }
    lg_buf_t body = LG_BUF_INIT;
    home_page(&body, url, links.import_url ? &links : NULL, error);
    lg_respond_header(r, "cache-control", "no-cache");
    lg_respond(r, status, "text/html; charset=utf-8", lg_buf_str(&body), body.len);
    lg_buf_free(&body);
    lg_links_free(&links);
    lg_ghlink_free(&link);
}
