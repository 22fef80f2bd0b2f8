/* route_metrics.c - GET /metrics: every thread's counters summed, in Prometheus text format. */
#include "gateway/routes.h"

#include "core/buf.h"
#include "gateway/hub.h"

void
lg_route_metrics(lg_request_t *r)
{
    lg_server_t *s = r->thread->server;
    const char *names[LG_METRICS_ROUTES];
    for (size_t i = 0; i < lg_nroutes; i++)
        names[i] = lg_routes[i].name;
    lg_buf_t out = LG_BUF_INIT;
    lg_metrics_render(&out, &s->threads[0].metrics, sizeof(s->threads[0]), s->nthreads, names, lg_nroutes,
                      (long long)s->started_at);
    lg_hub_metrics(s->hub, &out);
    lg_respond_header(r, "cache-control", "no-store");
    lg_respond(r, 200, "text/plain; version=0.0.4; charset=utf-8", lg_buf_str(&out), out.len);
    lg_buf_free(&out);
}
