/* route_links.c - GET /api/v1/links?url=GITHUB_URL: the import link and README snippets as JSON. */
#include "gateway/routes.h"

#include "badge/links.h"
#include "gateway/link_json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int
lg_route_links(lg_request_t *r)
{
    int bad = 0;
    const char *url = lg_request_query(r, "url", &bad);
    lg_request_add_header(r, "access-control-allow-origin", "*");
    if (bad) {
        lg_request_error(r, 400, "bad_query", "The query string has a broken %-escape; encode the url parameter.");
        return 0;
    }
    if (url == NULL || *url == '\0') {
        lg_request_error(r, 400, "missing_url",
                         "Give a GitHub link in the url parameter, such as "
                         "/api/v1/links?url=https://github.com/OWNER/REPO/blob/main/notebook.ipynb");
        return 0;
    }
    lg_ghlink_t link;
    lg_err_t err;
    if (lg_ghlink_parse_url(&link, url, strlen(url), &err) != 0) {
        lg_request_error(r, 400, "invalid_github_url", err.msg);
        return 0;
    }
    lg_links_t links;
    lg_links_make(&links, lg_request_base_url(r), &link, NULL);
    json_t *doc = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "import_url", links.import_url, "badge_url",
                            links.badge_url, "markdown", links.markdown, "html", links.html, "rst", links.rst,
                            "link", lg_link_json(&link));
    char *text = json_dumps(doc, JSON_COMPACT);
    lg_request_add_header(r, "cache-control", "no-store");
    lg_request_respond(r, 200, "application/json", text, strlen(text));
    free(text);
    json_decref(doc);
    lg_links_free(&links);
    lg_ghlink_free(&link);
    return 0;
}
