/* connection.c - accepting, counting and cutting client connections. */
#include "connection.h"

#include "core/log.h"
#include "core/mem.h"

#include <stdlib.h>
#include <sys/socket.h>

typedef struct {
    uv_tcp_t tcp; /* first: libuv's close callback hands back this pointer */
    h2o_linklist_t link;
} lg_connection_t;

static lg_thread_t *
thread_of_loop(uv_loop_t *loop)
{
    return (lg_thread_t *)((char *)loop - offsetof(lg_thread_t, loop));
}

static void
on_closed(uv_handle_t *handle)
{
    lg_connection_t *c = (lg_connection_t *)handle;
    lg_metrics_gauge_add(&thread_of_loop(handle->loop)->metrics.connections, -1);
    h2o_linklist_unlink(&c->link);
    free(c);
}

void
lg_connection_accept(uv_stream_t *listener, int status)
{
    lg_thread_t *t = listener->data;
    if (status != 0)
        return;
    lg_connection_t *c = lg_xcalloc(1, sizeof(*c));
    uv_tcp_init(&t->loop, &c->tcp);
    if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0) {
        uv_close((uv_handle_t *)&c->tcp, (uv_close_cb)free);
        return;
    }
    if (t->metrics.connections >= t->server->cfg->max_connections) {
        lg_log(LG_LOG_WARN, NULL, "connection_refused", LG_S("reason", "max_connections reached"),
               LG_I("max_connections", t->server->cfg->max_connections));
        uv_close((uv_handle_t *)&c->tcp, (uv_close_cb)free);
        return;
    }
    lg_metrics_gauge_add(&t->metrics.connections, 1);
    h2o_linklist_insert(&t->connections, &c->link);
    h2o_accept(&t->accept, h2o_uv_socket_create((uv_stream_t *)&c->tcp, on_closed));
}

int
lg_connection_cut(lg_thread_t *t, h2o_socket_t *sock)
{
    for (h2o_linklist_t *l = t->connections.next; l != &t->connections; l = l->next) {
        lg_connection_t *c = H2O_STRUCT_FROM_MEMBER(lg_connection_t, link, l);
        uv_os_fd_t fd;
        if (c->tcp.data != sock || uv_fileno((uv_handle_t *)&c->tcp, &fd) != 0)
            continue;
        shutdown(fd, SHUT_RDWR);
        return 0;
    }
    return -1;
}
