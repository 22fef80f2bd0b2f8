/* deadline.c - cutting clients that take too long over a response. */
#include "deadline.h"

#include "core/log.h"
#include "gateway/connection.h"
#include "gateway/request.h"

#define CHECK_EVERY_MS 1000

static void
on_check(uv_timer_t *timer)
{
    lg_thread_t *t = timer->data;
    uint64_t now = lg_request_now_us();
    uint64_t limit = (uint64_t)t->server->cfg->response_timeout_ms * 1000u;
    for (h2o_linklist_t *l = t->requests.next; l != &t->requests; l = l->next) {
        lg_request_t *r = H2O_STRUCT_FROM_MEMBER(lg_request_t, link, l);
        if (now - r->started_us < limit)
            break; /* the list is oldest first */
        if (r->cut || r->long_lived)
            continue;
        r->cut = 1;
        lg_log(LG_LOG_WARN, r->id, "slow_client_cut", LG_S("route", r->route->name),
               LG_I("ms", (now - r->started_us) / 1000));
        lg_connection_cut(t, r->req->conn->callbacks->get_socket(r->req->conn));
    }
}

void
lg_deadline_start(lg_thread_t *t)
{
    uv_timer_init(&t->loop, &t->deadlines);
    t->deadlines.data = t;
    uv_timer_start(&t->deadlines, on_check, CHECK_EVERY_MS, CHECK_EVERY_MS);
    uv_unref((uv_handle_t *)&t->deadlines);
}
