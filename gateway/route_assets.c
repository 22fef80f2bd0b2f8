/* route_assets.c - GET /assets/NAME: the embedded CSS, scripts and images of the pages. */
#include "gateway/assets.h"
#include "gateway/etag.h"
#include "gateway/routes.h"

#include <string.h>

int
lg_route_asset(lg_request_t *r)
{
    h2o_iovec_t path = r->req->path_normalized;
    for (size_t i = 0; i < lg_nassets; i++) {
        const lg_asset_t *a = &lg_assets[i];
        if (!h2o_memis(path.base, path.len, a->path, strlen(a->path)))
            continue;
        char etag[LG_ETAG_SIZE];
        size_t inm_len;
        lg_etag_of(etag, a->data, a->size);
        const char *inm = lg_request_header(r, "if-none-match", &inm_len);
        lg_request_add_header(r, "etag", etag);
        lg_request_add_header(r, "cache-control", "public, max-age=3600");
        if (inm != NULL && lg_etag_matches(inm, inm_len, etag))
            lg_request_respond(r, 304, a->content_type, "", 0);
        else
            lg_request_respond(r, 200, a->content_type, (const char *)a->data, a->size);
        return 0;
    }
    lg_request_error(r, 404, "not_found", "There is no such file.");
    return 0;
}
