/* links.c - import links and README snippets for one GitHub link. */
#include "links.h"

#include "badge/snippet.h"
#include "core/mem.h"

#include <stdlib.h>

void
lg_links_make(lg_links_t *out, const char *base_url, const lg_ghlink_t *link, const char *badge_query)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_buf_puts(&b, base_url);
    lg_ghlink_import_path(&b, link);
    out->import_url = lg_buf_detach(&b);

    lg_buf_puts(&b, base_url);
    lg_buf_puts(&b, "/badge.svg");
    if (badge_query != NULL && *badge_query != '\0') {
        lg_buf_putc(&b, '?');
        lg_buf_puts(&b, badge_query);
    }
    out->badge_url = lg_buf_detach(&b);

    lg_snippet_markdown(&b, out->badge_url, out->import_url, LG_LINKS_ALT);
    out->markdown = lg_buf_detach(&b);
    lg_snippet_html(&b, out->badge_url, out->import_url, LG_LINKS_ALT);
    out->html = lg_buf_detach(&b);
    lg_snippet_rst(&b, out->badge_url, out->import_url, LG_LINKS_ALT);
    out->rst = lg_buf_detach(&b);
}

void
lg_links_free(lg_links_t *links)
{
    free(links->import_url);
    free(links->badge_url);
    free(links->markdown);
    free(links->html);
    free(links->rst);
    *links = (lg_links_t){0};
}
