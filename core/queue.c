/* queue.c - the import queue on Redis Streams; see queue.h. Keys, with P the prefix:
 *   P:{q}:hi, P:{q}:lo      streams of job ids, consumer group "workers"
 *   P:{q}:delayed           sorted set of retries ("ID|hi"), scored by when they are due
 *   P:{q}:dead              dead-letter stream
 *   P:dedup:{KEY}           the job id of an import, for dedup_window
 *   P:job:{ID}              the job's record (hash); P:job:{ID}:events its history (capped stream)
 *   P:{q}:workers           live workers, scored by when they stop counting as alive
 * and the channel P:events, where each event is published as "ID ENTRY JSON". The Lua scripts are in
 * queue_scripts.c. */
#include "queue.h"

#include "buf.h"
#include "mem.h"
#include "queue_cmd.h"
#include "queue_scripts.h"
#include "random.h"
#include "redis_url.h"
#include "utf8.h"

#include <hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GROUP LG_QUEUE_GROUP

struct lg_queue {
    redisContext *c;
    lg_queue_opts_t opts;
    char *prefix;
    char *stream[2]; /* by lg_prio_t */
    char *delayed, *dead, *workers, *reclaim;
    int looked;      /* the last command took nothing: the next take may go straight to waiting */
    char sha[7][41]; /* of scripts[], once loaded */
};

/* The reply r to command `name`, or NULL with err (LG_EIO: the connection is gone; LG_ESTATE: Redis
 * answered with an error). */
static redisReply *
checked(lg_queue_t *q, redisReply *r, const char *name, lg_err_t *err)
{
    if (r == NULL) {
        lg_err_set(err, LG_EIO, "Redis connection lost: %s", q->c->errstr[0] ? q->c->errstr : "closed");
        return NULL;
    }
    if (r->type == REDIS_REPLY_ERROR) {
        lg_err_set(err, LG_ESTATE, "Redis refused %s: %.200s", name, r->str);
        freeReplyObject(r);
        return NULL;
    }
    return r;
}

static redisReply *
send_argv(lg_queue_t *q, int argc, const char **argv)
{
    q->looked = 0;
    size_t lens[40];
    for (int i = 0; i < argc; i++)
        lens[i] = strlen(argv[i]);
    return redisCommandArgv(q->c, argc, argv, lens);
}

/* Runs argv; returns the reply as checked() does. */
static redisReply *
command(lg_queue_t *q, int argc, const char **argv, lg_err_t *err)
{
    return checked(q, send_argv(q, argc, argv), argv[0], err);
}

static int
simple(lg_queue_t *q, int argc, const char **argv, lg_err_t *err)
{
    redisReply *r = command(q, argc, argv, err);
    freeReplyObject(r);
    return r ? 0 : -1;
}

/* The scripts, each loaded once per connection and then run by its SHA-1. */
static const char *const scripts[] = {lg_queue_enqueue_lua, lg_queue_deliver_lua, lg_queue_take_lua,
                                      lg_queue_state_lua,   lg_queue_hold_lua,    lg_queue_finish_lua,
                                      lg_queue_status_lua};
#define NSCRIPTS (sizeof(scripts) / sizeof(scripts[0]))
_Static_assert(NSCRIPTS == sizeof(((lg_queue_t *)0)->sha) / sizeof(((lg_queue_t *)0)->sha[0]),
               "one SHA-1 per script");

/* argv: EVAL SCRIPT NKEYS KEYS... ARGS..., with SCRIPT one of scripts[]. Sent as EVALSHA; as EVAL when
 * Redis no longer has the script (SCRIPT FLUSH, or a restart behind a proxy). */
static redisReply *
eval_argv(lg_queue_t *q, int argc, const char **argv, lg_err_t *err)
{
    const char *script = argv[1];
    size_t i = 0;
    while (i < NSCRIPTS && scripts[i] != script && strcmp(scripts[i], script) != 0)
        i++;
    if (i == NSCRIPTS)
        abort(); /* a script missing from scripts[] */
    if (q->sha[i][0] == '\0') {
        redisReply *r = command(q, 3, (const char *[]){"SCRIPT", "LOAD", script}, err);
        if (r == NULL)
            return NULL;
        if (r->type == REDIS_REPLY_STRING && r->len == 40)
            memcpy(q->sha[i], r->str, 41);
        freeReplyObject(r);
    }
    argv[0] = "EVALSHA";
    argv[1] = q->sha[i];
    redisReply *r = send_argv(q, argc, argv);
    if (r != NULL && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOSCRIPT", 8) == 0) {
        freeReplyObject(r);
        q->sha[i][0] = '\0';
        argv[0] = "EVAL";
        argv[1] = script;
        r = send_argv(q, argc, argv);
    }
    return checked(q, r, "a queue script", err);
}

/* EVAL of one of scripts[] with nkeys keys then args. */
static redisReply *
eval(lg_queue_t *q, const char *script, int nkeys, const char **keys_args, int n, lg_err_t *err)
{
    const char *argv[40];
    char nk[8];
    snprintf(nk, sizeof(nk), "%d", nkeys);
    argv[0] = "EVAL";
    argv[1] = script;
    argv[2] = nk;
    for (int k = 0; k < n && k < 37; k++)
        argv[3 + k] = keys_args[k];
    return eval_argv(q, 3 + n, argv, err);
}

static char *
key(const lg_queue_t *q, const char *fmt, const char *arg)
{
    return lg_qkey(q->prefix, fmt, arg);
}

/* Runs a built command (scripts by their SHA-1); the reply as command() gives it. */
static redisReply *
run(lg_queue_t *q, lg_qcmd_t *c, lg_err_t *err)
{
    const char *argv[LG_QCMD_MAX] = {0};
    for (int i = 0; i < c->argc; i++)
        argv[i] = c->argv[i];
    redisReply *r = c->argc > 1 && strcmp(argv[0], "EVAL") == 0 ? eval_argv(q, c->argc, argv, err)
                                                                : command(q, c->argc, argv, err);
    lg_qcmd_free(c);
    return r;
}

static redisContext *
connect_url(const char *url, int *db, lg_err_t *err)
{
    struct timeval tv = {5, 0};
    lg_redis_url_t u;
    if (lg_redis_url_parse(&u, url, err) != 0)
        return NULL;
    *db = u.db;
    return u.path[0] ? redisConnectUnixWithTimeout(u.path, tv) : redisConnectWithTimeout(u.host, u.port, tv);
}

void
lg_queue_opts_from_config(lg_queue_opts_t *out, const lg_config_t *cfg)
{
    *out = (lg_queue_opts_t){.redis = cfg->redis,
                             .prefix = cfg->redis_prefix,
                             .dedup_window_ms = cfg->dedup_window_ms,
                             .lease_ms = cfg->job_lease_ms,
                             .max_attempts = cfg->max_attempts,
                             .retry_base_ms = 1000};
}

int
lg_queue_open(lg_queue_t **out, const lg_queue_opts_t *opts, lg_err_t *err)
{
    *out = NULL;
    int db;
    redisContext *c = connect_url(opts->redis, &db, err);
    if (c == NULL)
        return -1;
    if (c->err) {
        lg_err_set(err, LG_EIO, "cannot reach Redis at %s: %s", opts->redis, c->errstr);
        redisFree(c);
        return -1;
    }
    struct timeval limit = {10, 0}; /* above the longest BLOCK we use */
    redisSetTimeout(c, limit);
    if (opts->redis[0] != '/') /* TCP only: a unix socket refuses it, and the context is then unusable */
        redisEnableKeepAlive(c);
    lg_queue_t *q = lg_xcalloc(1, sizeof(*q));
    q->c = c;
    q->opts = *opts;
    q->prefix = lg_xstrdup(opts->prefix);
    q->stream[LG_PRIO_INTERACTIVE] = key(q, "{q}:%s", "hi");
    q->stream[LG_PRIO_BACKGROUND] = key(q, "{q}:%s", "lo");
    q->delayed = key(q, "{q}:%s", "delayed");
    q->dead = key(q, "{q}:%s", "dead");
    q->workers = key(q, "{q}:%s", "workers");
    q->reclaim = key(q, "{q}:%s", "reclaim");
    char dbtext[16];
    snprintf(dbtext, sizeof(dbtext), "%d", db);
    int rc = db == 0 ? 0 : simple(q, 2, (const char *[]){"SELECT", dbtext}, err);
    for (int i = 0; i < 2 && rc == 0; i++) {
        const char *argv[] = {"XGROUP", "CREATE", q->stream[i], GROUP, "0", "MKSTREAM"};
        redisReply *r = redisCommandArgv(q->c, 6, argv, NULL);
        if (r == NULL || (r->type == REDIS_REPLY_ERROR && strncmp(r->str, "BUSYGROUP", 9) != 0))
            rc = lg_err_set(err, LG_EIO, "cannot create the consumer group: %s", r ? r->str : q->c->errstr);
        freeReplyObject(r);
    }
    if (rc != 0) {
        lg_queue_close(q);
        return -1;
    }
    *out = q;
    return 0;
}

void
lg_queue_close(lg_queue_t *q)
{
    if (q == NULL)
        return;
    redisFree(q->c);
    free(q->prefix);
    free(q->stream[0]);
    free(q->stream[1]);
    free(q->delayed);
    free(q->dead);
    free(q->workers);
    free(q->reclaim);
    free(q);
}

int
lg_queue_enqueue(lg_queue_t *q, char id[LG_JOB_ID_LEN + 1], int *existing, const char *user, const char *link,
                 const char *mode, lg_prio_t prio, lg_err_t *err)
{
    lg_qcmd_t c = {0};
    lg_qcmd_enqueue(&c, &q->opts, user, link, mode, prio, NULL);
    redisReply *r = run(q, &c, err);
    if (r == NULL)
        return -1;
    int rc = lg_qreply_enqueue(r, id, existing, err);
    freeReplyObject(r);
    return rc;
}

/* The job id in a stream entry [ENTRY, [field, value, ...]]; NULL when it has none. */
static const char *
entry_job_id(const redisReply *e, const char **entry)
{
    if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 || e->element[0]->type != REDIS_REPLY_STRING)
        return NULL;
    *entry = e->element[0]->str;
    const redisReply *f = e->element[1];
    if (f->type != REDIS_REPLY_ARRAY)
        return NULL;
    for (size_t i = 0; i + 1 < f->elements; i += 2)
        if (strcmp(f->element[i]->str, "id") == 0)
            return f->element[i + 1]->str;
    return NULL;
}

/* A delivery as the scripts return it, {prio, entry, id, attempts, user, link, mode}, into job: 1, or 0
 * for false (nothing delivered). */
static int
read_delivery(const redisReply *r, lg_job_t *job, const char *consumer, lg_err_t *err)
{
    if (r->type != REDIS_REPLY_ARRAY)
        return 0; /* nil: nothing */
    if (r->elements != 7 || r->element[3]->type != REDIS_REPLY_INTEGER)
        return lg_err_set(err, LG_EIO, "unexpected answer from Redis to a take");
    for (size_t i = 0; i < 7; i++)
        if (i != 3 && r->element[i]->type != REDIS_REPLY_STRING)
            return lg_err_set(err, LG_EIO, "unexpected answer from Redis to a take");
    memset(job, 0, sizeof(*job));
    snprintf(job->id, sizeof(job->id), "%s", r->element[2]->str);
    snprintf(job->entry, sizeof(job->entry), "%s", r->element[1]->str);
    snprintf(job->consumer, sizeof(job->consumer), "%s", consumer);
    job->prio = strcmp(r->element[0]->str, "lo") == 0 ? LG_PRIO_BACKGROUND : LG_PRIO_INTERACTIVE;
    job->attempts = r->element[3]->integer;
    job->user = lg_xstrdup(r->element[4]->str);
    job->link = lg_xstrdup(r->element[5]->str);
    job->mode = lg_xstrdup(r->element[6]->str);
    return 1;
}

/* Starts a delivery of entry (job id) from stream prio: 1 and job filled, 0 when it was dead-lettered or
 * is gone, -1 on error. */
static int
deliver(lg_queue_t *q, lg_job_t *job, lg_prio_t prio, const char *entry, const char *id, const char *consumer,
        lg_err_t *err)
{
    char max[32], now[32];
    snprintf(max, sizeof(max), "%lld", (long long)q->opts.max_attempts);
    snprintf(now, sizeof(now), "%lld", (long long)lg_queue_now_ms());
    const char *args[] = {q->stream[prio], q->dead, q->prefix, prio == LG_PRIO_BACKGROUND ? "lo" : "hi",
                          entry,           id,      max,       now};
    redisReply *r = eval(q, lg_queue_deliver_lua, 2, args, 8, err);
    if (r == NULL)
        return -1;
    int rc = read_delivery(r, job, consumer, err);
    freeReplyObject(r);
    return rc;
}

/* XCLAIM of our own pending entry with IDLE idle_ms, through HOLD: 1 done, 0 not ours, -1 error. */
static int
hold(lg_queue_t *q, const char *stream, const char *entry, const char *consumer, int64_t idle_ms,
     lg_err_t *err)
{
    char idle[32];
    snprintf(idle, sizeof(idle), "%lld", (long long)idle_ms);
    const char *args[] = {stream, q->reclaim, entry, consumer, idle};
    redisReply *r = eval(q, lg_queue_hold_lua, 2, args, 5, err);
    if (r == NULL)
        return -1;
    int rc = r->type == REDIS_REPLY_INTEGER && r->integer == 1;
    freeReplyObject(r);
    return rc;
}

/* The first entry of a blocking XREADGROUP answer is delivered; any other (the read of both streams may
 * return one of each) is handed back at once for the next take. */
static int
deliver_read(lg_queue_t *q, lg_job_t *job, const redisReply *r, const char *consumer, lg_err_t *err)
{
    int rc = 0;
    for (size_t i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        const redisReply *s = r->element[i];
        if (s->type != REDIS_REPLY_ARRAY || s->elements != 2 || s->element[1]->type != REDIS_REPLY_ARRAY)
            continue;
        lg_prio_t prio = strcmp(s->element[0]->str, q->stream[LG_PRIO_BACKGROUND]) == 0 ? LG_PRIO_BACKGROUND
                                                                                        : LG_PRIO_INTERACTIVE;
        for (size_t k = 0; k < s->element[1]->elements; k++) {
            const char *entry = NULL, *id = entry_job_id(s->element[1]->element[k], &entry);
            if (id != NULL && rc == 0)
                rc = deliver(q, job, prio, entry, id, consumer, err);
            else if (entry != NULL && hold(q, q->stream[prio], entry, consumer, q->opts.lease_ms, err) < 0)
                return -1;
        }
    }
    return rc;
}

/* Without waiting, in one round trip: due retries, lapsed leases, new entries (take_lua). */
static int
take_now(lg_queue_t *q, lg_job_t *job, const char *consumer, lg_err_t *err)
{
    char lease[32], max[32], now[32];
    snprintf(lease, sizeof(lease), "%lld", (long long)q->opts.lease_ms);
    snprintf(max, sizeof(max), "%lld", (long long)q->opts.max_attempts);
    snprintf(now, sizeof(now), "%lld", (long long)lg_queue_now_ms());
    const char *args[] = {q->stream[0], q->stream[1], q->delayed, q->dead, q->reclaim,
                          q->prefix,    consumer,     lease,      max,     now};
    redisReply *r = eval(q, lg_queue_take_lua, 5, args, 10, err);
    if (r == NULL)
        return -1;
    int rc = read_delivery(r, job, consumer, err);
    freeReplyObject(r);
    return rc;
}

int
lg_queue_take(lg_queue_t *q, lg_job_t *job, const char *consumer, int block_ms, lg_err_t *err)
{
    int rc = q->looked && block_ms > 0 ? 0 : take_now(q, job, consumer, err);
    if (rc != 0 || block_ms <= 0)
        return rc;
    char block[32];
    snprintf(block, sizeof(block), "%d", block_ms);
    const char *wait[] = {"XREADGROUP", "GROUP",   GROUP,        consumer,     "COUNT", "1", "BLOCK",
                          block,        "STREAMS", q->stream[0], q->stream[1], ">",     ">"};
    redisReply *r = command(q, 13, wait, err);
    if (r == NULL)
        return -1;
    rc = deliver_read(q, job, r, consumer, err);
    freeReplyObject(r);
    return rc;
}

/* A reply of 0 from an owner-checked script: the job went to another worker. */
static int
lost(const lg_job_t *job, lg_err_t *err)
{
    return lg_err_set(err, LG_ESTATE,
                      "job %.12s is no longer held by %s: its lease lapsed and another worker took it",
                      job->id, job->consumer);
}

int
lg_queue_renew(lg_queue_t *q, const lg_job_t *job, lg_err_t *err)
{
    int rc = hold(q, q->stream[job->prio], job->entry, job->consumer, 0, err);
    return rc == 1 ? 0 : rc == 0 ? lost(job, err) : -1;
}

int
lg_queue_release(lg_queue_t *q, const lg_job_t *job, lg_err_t *err)
{
    int rc = hold(q, q->stream[job->prio], job->entry, job->consumer, q->opts.lease_ms, err);
    return rc == 1 ? 0 : rc == 0 ? lost(job, err) : -1;
}

int
lg_queue_state(lg_queue_t *q, const lg_job_t *job, const char *state, const char *data, lg_err_t *err)
{
    char now[32];
    snprintf(now, sizeof(now), "%lld", (long long)lg_queue_now_ms());
    const char *args[] = {q->stream[job->prio], q->prefix,  job->id,      state, now,
                          data ? data : "",     job->entry, job->consumer};
    redisReply *r = eval(q, lg_queue_state_lua, 1, args, 8, err);
    if (r == NULL)
        return -1;
    int ours = r->type == REDIS_REPLY_INTEGER && r->integer == 1;
    freeReplyObject(r);
    return ours ? 0 : lost(job, err);
}

/* Ends the delivery of job; with next, also takes the consumer's next job: 1 when it did, else 0. */
static int
finish(lg_queue_t *q, const lg_job_t *job, const char *outcome, const char *field_name, const char *value,
       int64_t due_ms, lg_job_t *next, lg_err_t *err)
{
    char now[32], due[32], lease[32], max[32];
    snprintf(now, sizeof(now), "%lld", (long long)lg_queue_now_ms());
    snprintf(due, sizeof(due), "%lld", (long long)due_ms);
    snprintf(lease, sizeof(lease), "%lld", (long long)q->opts.lease_ms);
    snprintf(max, sizeof(max), "%lld", (long long)q->opts.max_attempts);
    const char *prio = job->prio == LG_PRIO_BACKGROUND ? "lo" : "hi";
    const char *args[] = {q->stream[job->prio],
                          q->delayed,
                          q->dead,
                          q->stream[0],
                          q->stream[1],
                          q->reclaim,
                          q->prefix,
                          job->id,
                          job->entry,
                          now,
                          outcome,
                          field_name,
                          value,
                          due,
                          prio,
                          job->consumer,
                          lease,
                          max,
                          next ? "1" : "0"};
    redisReply *r = eval(q, lg_queue_finish_lua, 6, args, 19, err);
    if (r == NULL)
        return -1;
    int rc = r->type == REDIS_REPLY_INTEGER ? (r->integer == 1 ? 0 : lost(job, err))
                                            : read_delivery(r, next, job->consumer, err);
    freeReplyObject(r);
    q->looked = next != NULL && rc == 0; /* it looked for a next job and found none */
    return rc;
}

int
lg_queue_done(lg_queue_t *q, const lg_job_t *job, const char *result, lg_err_t *err)
{
    return finish(q, job, "ready", "result", result, 0, NULL, err);
}

int
lg_queue_done_take(lg_queue_t *q, const lg_job_t *job, const char *result, lg_job_t *next, lg_err_t *err)
{
    return finish(q, job, "ready", "result", result, 0, next, err);
}

/* retry_base_ms * 2^(attempts-1), at most an hour, with up to half of it again as jitter. */
static int64_t
backoff_ms(const lg_queue_t *q, int64_t attempts)
{
    int64_t d = q->opts.retry_base_ms;
    for (int64_t i = 1; i < attempts && d < 3600 * 1000; i++)
        d *= 2;
    if (d > 3600 * 1000)
        d = 3600 * 1000;
    uint32_t r;
    lg_random_bytes(&r, sizeof(r));
    return d + (int64_t)(r % (uint32_t)(d / 2 + 1));
}

int
lg_queue_fail(lg_queue_t *q, const lg_job_t *job, int permanent, const char *message, lg_fail_t *what,
              lg_err_t *err)
{
    *what = permanent ? LG_FAIL_FINAL : job->attempts >= q->opts.max_attempts ? LG_FAIL_DEAD : LG_FAIL_RETRY;
    static const char *const outcomes[] = {
        [LG_FAIL_RETRY] = "retry", [LG_FAIL_FINAL] = "failed", [LG_FAIL_DEAD] = "dead"};
    int64_t due = *what == LG_FAIL_RETRY ? lg_queue_now_ms() + backoff_ms(q, job->attempts) : 0;
    lg_buf_t text = LG_BUF_INIT;
    if (*what == LG_FAIL_DEAD)
        lg_buf_printf(&text, "gave up after %lld attempts: ", (long long)job->attempts);
    lg_utf8_append_valid(&text, message, strlen(message)); /* events are JSON: UTF-8 only */
    int rc = finish(q, job, outcomes[*what], "error", text.data, due, NULL, err);
    lg_buf_free(&text);
    return rc;
}

char *
lg_queue_job_json(lg_queue_t *q, const char *id, lg_err_t *err)
{
    lg_qcmd_t c = {0};
    lg_qcmd_job(&c, &q->opts, id);
    redisReply *r = run(q, &c, err);
    if (r == NULL)
        return NULL;
    char *json = lg_qreply_job_json(r, err);
    freeReplyObject(r);
    return json;
}

int
lg_queue_status(lg_queue_t *q, lg_queue_status_t *out, lg_err_t *err)
{
    lg_qcmd_t c = {0};
    lg_qcmd_status(&c, &q->opts);
    redisReply *r = run(q, &c, err);
    if (r == NULL)
        return -1;
    int rc = lg_qreply_status(r, out, err);
    freeReplyObject(r);
    return rc;
}

int
lg_queue_heartbeat(lg_queue_t *q, const char *consumer, int64_t ttl_ms, lg_err_t *err)
{
    char until[32];
    snprintf(until, sizeof(until), "%lld", (long long)(lg_queue_now_ms() + ttl_ms));
    return simple(q, 4, (const char *[]){"ZADD", q->workers, until, consumer}, err);
}

void
lg_job_free(lg_job_t *job)
{
    free(job->user);
    free(job->link);
    free(job->mode);
    job->user = job->link = job->mode = NULL;
}
