/* queue_cmd.c - the queue's Redis commands and how their answers are read; see queue_cmd.h. */
#include "queue_cmd.h"

#include "hash.h"
#include "mem.h"
#include "queue_scripts.h"
#include "random.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t
lg_queue_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
add(lg_qcmd_t *c, const char *s)
{
    if (c->argc >= LG_QCMD_MAX)
        abort(); /* a programming error: no command here has that many arguments */
    c->lens[c->argc] = strlen(s);
    c->argv[c->argc++] = strdup(s);
    if (c->argv[c->argc - 1] == NULL)
        abort();
}

static void
add_owned(lg_qcmd_t *c, char *s)
{
    add(c, s);
    free(s);
}

static void addf(lg_qcmd_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
addf(lg_qcmd_t *c, const char *fmt, ...)
{
    lg_buf_t b = LG_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    lg_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    add(c, lg_buf_str(&b));
    lg_buf_free(&b);
}

void
lg_qcmd_free(lg_qcmd_t *c)
{
    for (int i = 0; i < c->argc; i++)
        free(c->argv[i]);
    c->argc = 0;
}

void
lg_qcmd_copy(lg_qcmd_t *out, const lg_qcmd_t *c)
{
    for (int i = 0; i < c->argc; i++) {
        out->argv[i] = lg_xstrdup(c->argv[i]);
        out->lens[i] = c->lens[i];
    }
    out->argc = c->argc;
}

char *
lg_qkey(const char *prefix, const char *fmt, const char *arg)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_buf_printf(&b, "%s:", prefix);
    lg_buf_printf(&b, fmt, arg);
    return lg_buf_detach(&b);
}

void
lg_queue_new_id(char id[LG_JOB_ID_LEN + 1])
{
    lg_random_hex(id, LG_JOB_ID_LEN / 2);
}

void
lg_qcmd_enqueue(lg_qcmd_t *c, const lg_queue_opts_t *o, const char *user, const char *link, const char *mode,
                lg_prio_t prio, const char *delivery)
{
    char fresh[LG_JOB_ID_LEN + 1], hash[32];
    lg_queue_new_id(fresh);
    lg_buf_t spec = LG_BUF_INIT;
    lg_buf_printf(&spec, "%s\n%s\n%s", user, link, mode);
    snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)lg_hash64(spec.data, spec.len));
    lg_buf_free(&spec);
    const char *p = prio == LG_PRIO_BACKGROUND ? "lo" : "hi";
    add(c, "EVAL");
    add(c, lg_queue_enqueue_lua);
    add(c, "2");
    add_owned(c, lg_qkey(o->prefix, "dedup:{%s}", hash));
    add_owned(c, lg_qkey(o->prefix, "{q}:%s", p));
    add(c, o->prefix);
    add(c, fresh);
    addf(c, "%lld", (long long)o->dedup_window_ms);
    addf(c, "%lld", (long long)lg_queue_now_ms());
    add(c, user);
    add(c, link);
    add(c, mode);
    add(c, p);
    if (delivery != NULL)
        add_owned(c, lg_qkey(o->prefix, "delivery:%s", delivery));
    else
        add(c, "");
    add(c, "604800000"); /* GitHub redelivers within days */
}

int
lg_qreply_enqueue(const redisReply *r, char id[LG_JOB_ID_LEN + 1], int *existing, lg_err_t *err)
{
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 || r->element[0]->type != REDIS_REPLY_STRING ||
        r->element[0]->len != LG_JOB_ID_LEN)
        return lg_err_set(err, LG_EIO, "unexpected answer from Redis to an enqueue");
    memcpy(id, r->element[0]->str, LG_JOB_ID_LEN + 1);
    *existing = r->element[1]->type == REDIS_REPLY_INTEGER ? (int)r->element[1]->integer : 0;
    return 0;
}

void
lg_qcmd_job(lg_qcmd_t *c, const lg_queue_opts_t *o, const char *id)
{
    add(c, "HGETALL");
    add_owned(c, lg_qkey(o->prefix, "job:{%s}", id));
}

const char *
lg_qreply_field(const redisReply *r, const char *name)
{
    for (size_t i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2)
        if (r->element[i]->type == REDIS_REPLY_STRING && strcmp(r->element[i]->str, name) == 0 &&
            r->element[i + 1]->type == REDIS_REPLY_STRING)
            return r->element[i + 1]->str;
    return NULL;
}

/* value as a JSON string; bytes that are not UTF-8 become U+FFFD, so the document stays valid. */
static void
json_string(lg_buf_t *out, const char *value)
{
    lg_buf_t valid = LG_BUF_INIT;
    lg_utf8_append_valid(&valid, value, strlen(value));
    lg_buf_putc(out, '"');
    for (const char *p = lg_buf_str(&valid); *p; p++) {
        if (*p == '"' || *p == '\\')
            lg_buf_printf(out, "\\%c", *p);
        else if ((unsigned char)*p < 0x20)
            lg_buf_printf(out, "\\u%04x", (unsigned char)*p);
        else
            lg_buf_putc(out, *p);
    }
    lg_buf_putc(out, '"');
    lg_buf_free(&valid);
}

char *
lg_qreply_job_json(const redisReply *r, lg_err_t *err)
{
    if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
        lg_err_set(err, LG_ENOTFOUND, "no such job");
        return NULL;
    }
    lg_buf_t out = LG_BUF_INIT;
    lg_buf_putc(&out, '{');
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        const char *name = r->element[i]->str, *value = r->element[i + 1]->str;
        if (name == NULL || value == NULL)
            continue;
        /* numbers, and the result (JSON our own code wrote) go in as they are */
        int raw = (strcmp(name, "result") == 0 && *value == '{') || strcmp(name, "attempts") == 0 ||
                  strcmp(name, "created_ms") == 0 || strcmp(name, "updated_ms") == 0;
        lg_buf_puts(&out, out.len > 1 ? "," : "");
        json_string(&out, name);
        lg_buf_putc(&out, ':');
        if (raw && *value != '\0')
            lg_buf_puts(&out, value);
        else
            json_string(&out, value);
    }
    lg_buf_putc(&out, '}');
    return lg_buf_detach(&out);
}

void
lg_qcmd_history(lg_qcmd_t *c, const lg_queue_opts_t *o, const char *id, const char *after)
{
    add(c, "XRANGE");
    add_owned(c, lg_qkey(o->prefix, "job:{%s}:events", id));
    if (*after)
        addf(c, "(%s", after);
    else
        add(c, "-");
    add(c, "+");
}

size_t
lg_qreply_history(const redisReply *r,
                  void (*each)(void *ctx, const char *entry, const char *state, const char *json), void *ctx)
{
    size_t n = 0;
    for (size_t i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        const redisReply *e = r->element[i];
        if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 || e->element[0]->type != REDIS_REPLY_STRING)
            continue;
        const char *state = lg_qreply_field(e->element[1], "state");
        const char *json = lg_qreply_field(e->element[1], "event");
        if (state != NULL && json != NULL) {
            each(ctx, e->element[0]->str, state, json);
            n++;
        }
    }
    return n;
}

const char *const lg_job_states[LG_JOB_NSTATES] = {"queued",   "resolving", "fetching", "materializing",
                                                   "starting", "ready",     "failed"};

int
lg_job_state_final(const char *state)
{
    return state != NULL && (strcmp(state, "ready") == 0 || strcmp(state, "failed") == 0);
}

void
lg_qcmd_status(lg_qcmd_t *c, const lg_queue_opts_t *o)
{
    add(c, "EVAL");
    add(c, lg_queue_status_lua);
    add(c, "5");
    add_owned(c, lg_qkey(o->prefix, "{q}:%s", "hi"));
    add_owned(c, lg_qkey(o->prefix, "{q}:%s", "lo"));
    add_owned(c, lg_qkey(o->prefix, "{q}:%s", "delayed"));
    add_owned(c, lg_qkey(o->prefix, "{q}:%s", "dead"));
    add_owned(c, lg_qkey(o->prefix, "{q}:%s", "workers"));
    addf(c, "%lld", (long long)lg_queue_now_ms());
}

int
lg_qreply_status(const redisReply *r, lg_queue_status_t *out, lg_err_t *err)
{
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 7)
        return lg_err_set(err, LG_EIO, "unexpected answer from Redis to a status query");
    long long v[7];
    for (size_t i = 0; i < 7; i++)
        v[i] = r->element[i]->type == REDIS_REPLY_INTEGER ? r->element[i]->integer : 0;
    *out = (lg_queue_status_t){{v[0], v[2]}, {v[1], v[3]}, v[4], v[5], v[6]};
    return 0;
}
