/* route_links.c - GET /api/v1/links?url=GITHUB_URL: the import link and README snippets as JSON. */
#include "gateway/routes.h"

#include "badge/links.h"
#include "gateway/link_json.h"

#include <jansson.h>
#include <string.h>

void
lg_route_links(lg_request_t *r)
{
    int bad = 0;
    const char *url = lg_request_query(r, "url", &bad);
    lg_ghlink_t link;
    lg_err_t err;
    lg_respond_header(r, "access-control-allow-origin", "*");
    if (bad) {
        lg_respond_error(r, 400, "bad_query",
                         "The url parameter cannot be read: it has a broken %-escape or a NUL byte.");
    } else if (url == NULL || *url == '\0') {
        lg_respond_error(r, 400, "missing_url",
                         "Give a GitHub link in the url parameter, such as "
                         "/api/v1/links?url=https://github.com/OWNER/REPO/blob/main/notebook.ipynb");
    } else if (lg_ghlink_parse_url(&link, url, strlen(url), &err) != 0) {
        lg_respond_error(r, 400, "invalid_github_url", err.msg);
    } else {
        lg_links_t links;
        lg_links_make(&links, lg_request_base_url(r), &link, NULL);
        json_t *doc = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "import_url", links.import_url, "badge_url",
                                links.badge_url, "markdown", links.markdown, "html", links.html, "rst",
                                links.rst, "link", lg_link_json_new(&link));
        lg_respond_header(r, "cache-control", "no-store");
        lg_respond_json(r, 200, doc);
        lg_links_free(&links);
        lg_ghlink_free(&link);
    }
}
