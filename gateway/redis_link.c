/* redis_link.c - see redis_link.h. */
#include "redis_link.h"

#include "core/log.h"
#include "core/mem.h"
#include "core/random.h"
#include "core/redis_url.h"
#include "gateway/redis_uv.h"

#include <openssl/evp.h>
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
    void (*subscribed)(void *data);
    void *message_data;
};

typedef struct {
    lg_redis_t *link;
    lg_redis_reply_fn fn;
    void *data;
    lg_qcmd_t script; /* an EVAL sent as EVALSHA, kept to send whole if Redis does not know the script */
} op_t;

static void connect_now(lg_redis_t *link);

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
    if (link->url.path[0] == '\0') /* TCP only: a unix socket refuses it, and hiredis then drops it */
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

/* A database that cannot be selected: the connection is dropped (and made again), rather than used on
 * database 0 while the workers use another. */
static void
on_select(redisAsyncContext *ac, void *r, void *data)
{
    redisReply *reply = r;
    if (reply == NULL || reply->type != REDIS_REPLY_ERROR)
        return;
    lg_log(LG_LOG_ERROR, NULL, "redis_select_failed", LG_S("link", ((lg_redis_t *)data)->name),
           LG_S("why", reply->str));
    redisAsyncDisconnect(ac);
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
    if (link->url.db != 0) /* sent ahead of everything else on this connection */
        redisAsyncCommand(ac, on_select, link, "SELECT %d", link->url.db);
}

/* A connect or an answer that takes too long means a stuck connection: drop it (pending commands fail)
 * and start over. */
static void
on_watch(uv_timer_t *timer)
{
    lg_redis_t *link = timer->data;
    redisAsyncContext *ac = link->ac;
    if (ac == NULL || (link->up && link->outstanding == 0) ||
        uv_now(link->loop) - link->last_progress <= LG_REDIS_REPLY_TIMEOUT_MS)
        return;
    int connected = (ac->c.flags & REDIS_CONNECTED) != 0;
    lg_log(LG_LOG_WARN, NULL, "redis_timeout", LG_S("link", link->name),
           LG_S("waiting_for", connected ? "an answer" : "the connection"),
           LG_I("pending", link->outstanding));
    redisAsyncFree(ac); /* runs the callbacks with no reply, then on_disconnect if it was connected */
    if (!connected)
        lost(link, "timed out connecting");
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

static int send_op(lg_redis_t *link, op_t *op, const lg_qcmd_t *cmd);

static void
on_reply(redisAsyncContext *ac, void *r, void *privdata)
{
    op_t *op = privdata;
    lg_redis_t *link = op->link;
    redisReply *reply = r;
    if (link->outstanding > 0)
        link->outstanding--;
    link->last_progress = uv_now(link->loop);
    if (reply != NULL && reply->type == REDIS_REPLY_ERROR && op->script.argc > 0 &&
        strncmp(reply->str, "NOSCRIPT", 8) == 0) {
        lg_qcmd_t whole = op->script; /* Redis lost its scripts (SCRIPT FLUSH): send it whole, once */
        op->script = (lg_qcmd_t){0};
        int rc = send_op(link, op, &whole);
        lg_qcmd_free(&whole);
        if (rc == 0)
            return;
    }
    if (reply == NULL)
        op->fn(op->data, NULL, ac->errstr[0] ? ac->errstr : "the connection to Redis was lost");
    else if (reply->type == REDIS_REPLY_ERROR)
        op->fn(op->data, NULL, reply->str);
    else
        op->fn(op->data, reply, NULL);
    lg_qcmd_free(&op->script);
    free(op);
}

static int
send_op(lg_redis_t *link, op_t *op, const lg_qcmd_t *cmd)
{
    if (link->outstanding++ == 0)
        link->last_progress = uv_now(link->loop);
    if (redisAsyncCommandArgv(link->ac, on_reply, op, cmd->argc, (const char **)cmd->argv, cmd->lens) ==
        REDIS_OK)
        return 0;
    link->outstanding--;
    return -1;
}

/* EVAL SCRIPT ... as EVALSHA SHA1 ...: the script's text goes over the wire only when Redis lacks it. */
static void
by_sha(lg_qcmd_t *cmd)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_Digest(cmd->argv[1], cmd->lens[1], md, &n, EVP_sha1(), NULL) || n != 20)
        return; /* sent as it is */
    free(cmd->argv[0]);
    free(cmd->argv[1]);
    cmd->argv[0] = lg_xstrdup("EVALSHA");
    cmd->lens[0] = 7;
    cmd->argv[1] = lg_xmalloc(41);
    lg_hex(cmd->argv[1], md, 20);
    cmd->lens[1] = 40;
}

int
lg_redis_send(lg_redis_t *link, lg_qcmd_t *cmd, lg_redis_reply_fn fn, void *data)
{
    int rc = -1;
    if (link->up && link->ac != NULL) {
        op_t *op = lg_xcalloc(1, sizeof(*op));
        *op = (op_t){.link = link, .fn = fn, .data = data};
        if (cmd->argc > 1 && strcmp(cmd->argv[0], "EVAL") == 0) {
            op->script = *cmd;
            *cmd = (lg_qcmd_t){0};
            lg_qcmd_copy(cmd, &op->script);
            by_sha(cmd);
        }
        rc = send_op(link, op, cmd);
        if (rc != 0) {
            lg_qcmd_free(&op->script);
            free(op);
        }
    }
    lg_qcmd_free(cmd);
    return rc;
}

static void
on_message(redisAsyncContext *ac, void *r, void *privdata)
{
    (void)ac;
    lg_redis_t *link = privdata;
    redisReply *reply = r;
    if (reply == NULL || link->message == NULL || reply->type != REDIS_REPLY_ARRAY || reply->elements != 3 ||
        reply->element[0]->type != REDIS_REPLY_STRING)
        return; /* the end of the connection: on_disconnect follows */
    if (strcmp(reply->element[0]->str, "subscribe") == 0)
        link->subscribed(link->message_data);
    else if (strcmp(reply->element[0]->str, "message") == 0 && reply->element[2]->type == REDIS_REPLY_STRING)
        link->message(link->message_data, reply->element[2]->str, reply->element[2]->len);
}

int
lg_redis_subscribe(lg_redis_t *link, const char *channel, void (*subscribed)(void *data),
                   void (*fn)(void *data, const char *payload, size_t len), void *data)
{
    if (!link->up || link->ac == NULL)
        return -1;
    link->message = fn;
    link->subscribed = subscribed;
    link->message_data = data;
    const char *argv[] = {"SUBSCRIBE", channel};
    return redisAsyncCommandArgv(link->ac, on_message, link, 2, argv, NULL) == REDIS_OK ? 0 : -1;
}
