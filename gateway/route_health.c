/* route_health.c - GET /healthz: the process is up and answering. */
#include "gateway/routes.h"

void
lg_route_healthz(lg_request_t *r)
{
    lg_respond_header(r, "cache-control", "no-store");
    lg_respond(r, 200, "text/plain; charset=utf-8", "ok\n", 3);
}
