/* route_assets.c - GET /assets/NAME: the embedded CSS, scripts and images of the pages. */
#include "gateway/assets.h"
#include "gateway/routes.h"

#include <string.h>

void
lg_route_asset(lg_request_t *r)
{
    h2o_iovec_t path = r->req->path_normalized;
    for (size_t i = 0; i < lg_nassets; i++) {
        const lg_asset_t *a = &lg_assets[i];
        if (h2o_memis(path.base, path.len, a->path, strlen(a->path))) {
            lg_respond_cacheable(r, a->etag, "public, max-age=3600", a->content_type, (const char *)a->data,
                                 a->size);
            return;
        }
    }
    lg_respond_error(r, 404, "not_found", "There is no such file.");
}
