/* redis_link.c - see redis_link.h. */
#include "redis_link.h"

#include "core/log.h"
#include "core/mem.h"
#include "core/redis_url.h"
#include "gateway/redis_uv.h"

#include <stdlib.h>
#include <string.h>

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS   2000
#define WATCH_EVERY_MS   1000

struct lg_redis {
    uv_loop_t *loop;
    lg_redis_url_t url;
    char *name;
    lg_redis_hooks_t hooks;
    redisAsyncContext *ac; /* NULL while disconnected */
    int up;
    int stopping;
    uint64_t backoff_ms;
    uv_timer_t *retry; /* malloc'd: uv_close is asynchronous */
    uv_timer_t *watch;
    unsigned outstanding;   /* commands sent, not answered */
    uint64_t last_progress; /* loop time of the last answer, or of the first outstanding command */
    void (*message)(void *data, const char *payload, size_t len);
    void *message_data;
};

typedef struct {
    lg_redis_t *link;
    lg_redis_reply_fn fn;
    void *data;
} op_t;

static void connect_now(lg_redis_t *link);
static int send_on(lg_redis_t *link, lg_qcmd_t *cmd, lg_redis_reply_fn fn, void *data);

static void
on_retry(uv_timer_t *timer)
{
    connect_now(timer->data);
}

/* The connection is gone (or never came): tell the owner once, then try again after the backoff. */
static void
lost(lg_redis_t *link, const char *why)
{
    int was_up = link->up;
    link->ac = NULL;
    link->up = 0;
    link->outstanding = 0;
    link->message = NULL;
    if (link->stopping)
        return;
    if (was_up || link->backoff_ms == BACKOFF_FIRST_MS)
        lg_log(LG_LOG_WARN, NULL, "redis_down", LG_S("link", link->name), LG_S("why", why));
    if (link->hooks.down)
        link->hooks.down(link, why, link->hooks.data);
    uv_timer_start(link->retry, on_retry, link->backoff_ms, 0);
    link->backoff_ms = link->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : link->backoff_ms * 2;
}

static void
on_connect(const redisAsyncContext *ac, int status)
{
    lg_redis_t *link = ac->data;
    if (status != REDIS_OK) {
        lost(link, ac->errstr[0] ? ac->errstr : "connect failed"); /* hiredis frees ac */
        return;
    }
    redisEnableKeepAlive((redisContext *)&ac->c);
    link->up = 1;
    link->backoff_ms = BACKOFF_FIRST_MS;
    lg_log(LG_LOG_INFO, NULL, "redis_up", LG_S("link", link->name));
    if (link->hooks.up)
        link->hooks.up(link, link->hooks.data);
}

static void
on_disconnect(const redisAsyncContext *ac, int status)
{
    (void)status;
    lost(ac->data, ac->errstr[0] ? ac->errstr : "connection closed");
}

static void
on_select(void *data, redisReply *reply, const char *error)
{
    (void)reply;
    if (error != NULL)
        lg_log(LG_LOG_ERROR, NULL, "redis_select_failed", LG_S("link", ((lg_redis_t *)data)->name),
               LG_S("why", error));
}

static void
connect_now(lg_redis_t *link)
{
    redisAsyncContext *ac = link->url.path[0] ? redisAsyncConnectUnix(link->url.path)
                                              : redisAsyncConnect(link->url.host, link->url.port);
    if (ac == NULL || ac->err) {
        const char *why = ac ? ac->errstr : "out of memory";
        lg_log(LG_LOG_WARN, NULL, "redis_connect_failed", LG_S("link", link->name), LG_S("why", why));
        if (ac)
            redisAsyncFree(ac);
        lost(link, why);
        return;
    }
    ac->data = link;
    if (lg_redis_uv_attach(ac, link->loop) != REDIS_OK) {
        redisAsyncFree(ac);
        lost(link, "cannot watch the socket");
        return;
    }
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    link->ac = ac;
    link->last_progress = uv_now(link->loop);
    if (link->url.db != 0) { /* sent ahead of everything else on this connection */
        lg_qcmd_t c = {0};
        char db[16];
        snprintf(db, sizeof(db), "%d", link->url.db);
        c.argv[0] = lg_xstrdup("SELECT"), c.lens[0] = 6;
        c.argv[1] = lg_xstrdup(db), c.lens[1] = strlen(db);
        c.argc = 2;
        send_on(link, &c, on_select, link);
    }
}

/* An answer that takes too long means a stuck connection: drop it (pending commands fail) and start over. */
static void
on_watch(uv_timer_t *timer)
{
    lg_redis_t *link = timer->data;
    if (link->ac != NULL && link->outstanding > 0 &&
        uv_now(link->loop) - link->last_progress > LG_REDIS_REPLY_TIMEOUT_MS) {
        lg_log(LG_LOG_WARN, NULL, "redis_timeout", LG_S("link", link->name),
               LG_I("pending", link->outstanding));
        redisAsyncFree(link->ac); /* runs the callbacks with no reply, then on_disconnect */
    }
}

lg_redis_t *
lg_redis_start(uv_loop_t *loop, const char *url, const char *name, const lg_redis_hooks_t *hooks)
{
    lg_redis_t *link = lg_xcalloc(1, sizeof(*link));
    lg_err_t ignored; /* checked when the configuration was read */
    lg_redis_url_parse(&link->url, url, &ignored);
    link->loop = loop;
    link->name = lg_xstrdup(name);
    link->hooks = *hooks;
    link->backoff_ms = BACKOFF_FIRST_MS;
    link->retry = lg_xcalloc(1, sizeof(uv_timer_t));
    link->watch = lg_xcalloc(1, sizeof(uv_timer_t));
    uv_timer_init(loop, link->retry);
    uv_timer_init(loop, link->watch);
    link->retry->data = link->watch->data = link;
    uv_timer_start(link->watch, on_watch, WATCH_EVERY_MS, WATCH_EVERY_MS);
    uv_unref((uv_handle_t *)link->watch);
    connect_now(link);
    return link;
}

static void
free_timer(uv_handle_t *h)
{
    free(h);
}

void
lg_redis_stop(lg_redis_t *link)
{
    link->stopping = 1;
    if (link->ac != NULL)
        redisAsyncFree(link->ac);
    uv_close((uv_handle_t *)link->retry, free_timer);
    uv_close((uv_handle_t *)link->watch, free_timer);
    free(link->name);
    free(link);
}

int
lg_redis_is_up(const lg_redis_t *link)
{
    return link->up;
}

static void
on_reply(redisAsyncContext *ac, void *r, void *privdata)
{
    op_t *op = privdata;
    lg_redis_t *link = op->link;
    redisReply *reply = r;
    if (link->outstanding > 0)
        link->outstanding--;
    link->last_progress = uv_now(link->loop);
    if (reply == NULL)
        op->fn(op->data, NULL, ac->errstr[0] ? ac->errstr : "the connection to Redis was lost");
    else if (reply->type == REDIS_REPLY_ERROR)
        op->fn(op->data, NULL, reply->str);
    else
        op->fn(op->data, reply, NULL);
    free(op);
}

/* Sends cmd on the current connection, connected yet or not (hiredis holds it until then). */
static int
send_on(lg_redis_t *link, lg_qcmd_t *cmd, lg_redis_reply_fn fn, void *data)
{
    int rc = -1;
    if (link->ac != NULL) {
        op_t *op = lg_xmalloc(sizeof(*op));
        *op = (op_t){link, fn, data};
        if (link->outstanding++ == 0)
            link->last_progress = uv_now(link->loop);
        rc = redisAsyncCommandArgv(link->ac, on_reply, op, cmd->argc, (const char **)cmd->argv, cmd->lens);
        if (rc != REDIS_OK) {
            link->outstanding--;
            free(op);
            rc = -1;
        }
    }
    lg_qcmd_free(cmd);
    return rc;
}

int
lg_redis_send(lg_redis_t *link, lg_qcmd_t *cmd, lg_redis_reply_fn fn, void *data)
{
    if (link->up)
        return send_on(link, cmd, fn, data);
    lg_qcmd_free(cmd);
    return -1;
}

static void
on_message(redisAsyncContext *ac, void *r, void *privdata)
{
    (void)ac;
    lg_redis_t *link = privdata;
    redisReply *reply = r;
    if (reply == NULL || link->message == NULL || reply->type != REDIS_REPLY_ARRAY || reply->elements != 3 ||
        reply->element[2]->type != REDIS_REPLY_STRING || strcmp(reply->element[0]->str, "message") != 0)
        return; /* the confirmation, or the end of the connection (on_disconnect follows) */
    link->message(link->message_data, reply->element[2]->str, reply->element[2]->len);
}

int
lg_redis_subscribe(lg_redis_t *link, const char *channel,
                   void (*fn)(void *data, const char *payload, size_t len), void *data)
{
    if (!link->up || link->ac == NULL)
        return -1;
    link->message = fn;
    link->message_data = data;
    const char *argv[] = {"SUBSCRIBE", channel};
    return redisAsyncCommandArgv(link->ac, on_message, link, 2, argv, NULL) == REDIS_OK ? 0 : -1;
}
