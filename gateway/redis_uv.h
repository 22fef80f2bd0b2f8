/* redis_uv.h - hiredis 0.14's asynchronous context on a libuv loop. Unlike the adapter hiredis ships,
 * a refused or failed connect reaches hiredis (libuv reports it through the poll's status, which the
 * stock adapter drops, leaving the connect hanging forever). */
#ifndef LG_REDIS_UV_H
#define LG_REDIS_UV_H

#include <async.h>
#include <uv.h>

/* Attaches ac to loop; REDIS_OK or REDIS_ERR. */
int lg_redis_uv_attach(redisAsyncContext *ac, uv_loop_t *loop);

#endif
