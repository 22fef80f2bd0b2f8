/* redis_link.h - an asynchronous Redis connection on a libuv loop that keeps itself connected: it
 * reconnects with backoff after a refused connect or a lost connection, and gives up on an answer that
 * takes longer than LG_REDIS_REPLY_TIMEOUT_MS (the connection is dropped and made again), as does a
 * connect that takes that long. Commands are
 * only taken while connected: the caller answers "try again" at once instead of queueing work. */
#ifndef LG_REDIS_LINK_H
#define LG_REDIS_LINK_H

#include "core/queue_cmd.h"

#include <uv.h>

#define LG_REDIS_REPLY_TIMEOUT_MS 5000

typedef struct lg_redis lg_redis_t;

/* The answer to a command: reply, or NULL with error (Redis refused it, or the connection failed before
 * it answered). reply is freed after the call. */
typedef void (*lg_redis_reply_fn)(void *data, redisReply *reply, const char *error);

typedef struct {
    void (*up)(lg_redis_t *link, void *data);                    /* connected (again) */
    void (*down)(lg_redis_t *link, const char *why, void *data); /* lost, or could not connect */
    void *data;
} lg_redis_hooks_t;

/* Starts connecting to url (see core/redis_url.h, already checked) on loop; name labels log lines. */
lg_redis_t *lg_redis_start(uv_loop_t *loop, const char *url, const char *name, const lg_redis_hooks_t *hooks);
/* Disconnects (pending commands get their failure) and frees the link once libuv let go of it. */
void lg_redis_stop(lg_redis_t *link);

int lg_redis_is_up(const lg_redis_t *link);

/* Sends cmd (emptied). Returns -1 without calling fn when the link is down. */
int lg_redis_send(lg_redis_t *link, lg_qcmd_t *cmd, lg_redis_reply_fn fn, void *data);

/* Subscribes to channel: subscribed runs once Redis confirmed it (messages published from then on
 * arrive), then fn gets every message's payload (len bytes) until the connection is lost, and then down
 * runs. Call it from up. */
int lg_redis_subscribe(lg_redis_t *link, const char *channel, void (*subscribed)(void *data),
                       void (*fn)(void *data, const char *payload, size_t len), void *data);

#endif
