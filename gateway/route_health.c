/* route_health.c - GET /healthz: the process is up and answering; GET /readyz: it can import. */
#include "gateway/routes.h"

#include "core/buf.h"
#include "gateway/hub.h"
#include "gateway/redis_link.h"

void
lg_route_healthz(lg_request_t *r)
{
    lg_respond_header(r, "cache-control", "no-store");
    lg_respond(r, 200, "text/plain; charset=utf-8", "ok\n", 3);
}

/* GET /readyz: whether imports would be carried out now: Redis answers and a worker is alive. */
void
lg_route_readyz(lg_request_t *r)
{
    const char *why;
    int ready = lg_hub_ready(r->thread->server->hub, &why);
    if (ready && !lg_redis_is_up(r->thread->redis)) /* noticed here before the next status poll */
        ready = 0, why = "Redis is not answering: imports cannot be queued";
    lg_buf_t body = LG_BUF_INIT;
    lg_buf_printf(&body, "%s\n", why);
    lg_respond_header(r, "cache-control", "no-store");
    lg_respond(r, ready ? 200 : 503, "text/plain; charset=utf-8", body.data, body.len);
    lg_buf_free(&body);
}
