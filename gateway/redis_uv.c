/* redis_uv.c - hiredis' event hooks on a uv_poll_t; see redis_uv.h. */
#include "redis_uv.h"

#include "core/mem.h"

#include <stdlib.h>

typedef struct {
    redisAsyncContext *ac; /* NULL once hiredis let go of it */
    uv_poll_t poll;
    int events;
} poller_t;

static void
on_poll(uv_poll_t *handle, int status, int events)
{
    poller_t *p = handle->data;
    int ev = status != 0 ? p->events : events; /* an error: let hiredis find it by reading or writing */
    if (p->ac != NULL && (ev & UV_READABLE))
        redisAsyncHandleRead(p->ac);
    if (p->ac != NULL && (ev & UV_WRITABLE))
        redisAsyncHandleWrite(p->ac);
}

static void
update(poller_t *p, int events)
{
    p->events = events;
    if (events)
        uv_poll_start(&p->poll, events, on_poll);
    else
        uv_poll_stop(&p->poll);
}

static void
add_read(void *data)
{
    poller_t *p = data;
    update(p, p->events | UV_READABLE);
}

static void
del_read(void *data)
{
    poller_t *p = data;
    update(p, p->events & ~UV_READABLE);
}

static void
add_write(void *data)
{
    poller_t *p = data;
    update(p, p->events | UV_WRITABLE);
}

static void
del_write(void *data)
{
    poller_t *p = data;
    update(p, p->events & ~UV_WRITABLE);
}

static void
on_poll_closed(uv_handle_t *handle)
{
    free(handle->data);
}

static void
cleanup(void *data)
{
    poller_t *p = data;
    p->ac = NULL;
    uv_close((uv_handle_t *)&p->poll, on_poll_closed);
}

int
lg_redis_uv_attach(redisAsyncContext *ac, uv_loop_t *loop)
{
    if (ac->ev.data != NULL)
        return REDIS_ERR;
    poller_t *p = lg_xcalloc(1, sizeof(*p));
    if (uv_poll_init(loop, &p->poll, ac->c.fd) != 0) {
        free(p);
        return REDIS_ERR;
    }
    p->ac = ac;
    p->poll.data = p;
    ac->ev.addRead = add_read;
    ac->ev.delRead = del_read;
    ac->ev.addWrite = add_write;
    ac->ev.delWrite = del_write;
    ac->ev.cleanup = cleanup;
    ac->ev.data = p;
    return REDIS_OK;
}
