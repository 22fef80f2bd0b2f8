/* sse.c - a job's event stream; see sse.h. */
#include "sse.h"

#include "core/log.h"
#include "core/mem.h"
#include "gateway/redis_link.h"
#include "gateway/respond.h"
#include "gateway/status.h"
#include "gateway/watch.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEPALIVE_MS 15000
#define MAX_PENDING  (256 * 1024) /* queued behind a write in flight: the client is dropped, and resumes */

struct lg_sse {
    h2o_generator_t gen; /* first: h2o hands it back to proceed and stop */
    lg_request_t *r;     /* NULL once the request is gone */
    lg_thread_t *thread;
    lg_watcher_t watcher;
    char last[LG_ENTRY_ID_MAX]; /* the last history entry sent */
    lg_buf_t pending, inflight;
    int refs; /* the request, and a history read in flight */
    unsigned sending : 1, loading : 1, missed : 1, ending : 1, ended : 1;
    unsigned job_ended : 1; /* the job had ended when the stream began: its history holds the last event */
    unsigned down : 1;      /* the client was told Redis is unreachable; cleared by a good history read */
    uv_timer_t *keepalive;
};

static void
release(lg_sse_t *s)
{
    if (--s->refs > 0)
        return;
    lg_buf_free(&s->pending);
    lg_buf_free(&s->inflight);
    free(s);
}

/* Stream entry ids "MS-SEQ": 1 when a comes after b ("" comes before everything). */
static int
entry_after(const char *a, const char *b)
{
    uint64_t ams = 0, aseq = 0, bms = 0, bseq = 0;
    sscanf(a, "%" SCNu64 "-%" SCNu64, &ams, &aseq);
    if (*b == '\0')
        return 1;
    sscanf(b, "%" SCNu64 "-%" SCNu64, &bms, &bseq);
    return ams > bms || (ams == bms && aseq > bseq);
}

static void
flush(lg_sse_t *s)
{
    if (s->r == NULL || s->sending || s->ended || (s->pending.len == 0 && !s->ending))
        return;
    lg_buf_t t = s->inflight;
    s->inflight = s->pending;
    s->pending = t;
    lg_buf_reset(&s->pending);
    h2o_iovec_t buf = h2o_iovec_init(s->inflight.data ? s->inflight.data : "", s->inflight.len);
    s->sending = 1;
    if (s->ending) {
        s->ended = 1;
        lg_watch_remove(s->thread->watch, &s->watcher);
    }
    h2o_send(s->r->req, &buf, buf.len ? 1 : 0, s->ending ? H2O_SEND_STATE_FINAL : H2O_SEND_STATE_IN_PROGRESS);
}

/* Sends what is pending, now or (while the thread delivers a batch of events) once the batch is done,
 * so a stream gets one write per batch. A client that leaves too much waiting behind a write it does not
 * take is dropped: it resumes with Last-Event-ID. */
static void
flush_soon(lg_sse_t *s)
{
    if (lg_watch_defer(s->thread->watch, &s->watcher))
        return;
    flush(s);
    if (s->pending.len > MAX_PENDING && !s->ending) {
        lg_log(LG_LOG_WARN, s->r->id, "sse_client_behind", LG_I("bytes", s->pending.len));
        lg_buf_reset(&s->pending);
        s->r->long_lived = 0; /* and if it never takes the last write either, response_timeout cuts it */
        s->ending = 1;
    }
}

static void
end(lg_sse_t *s)
{
    s->ending = 1;
    flush_soon(s);
}

/* Appends an event's frame (text[0..len)); entry, when given, is its history id. */
static void
append(lg_sse_t *s, const char *entry, const char *text, size_t len)
{
    if (s->ending)
        return;
    if (entry != NULL)
        snprintf(s->last, sizeof(s->last), "%s", entry);
    lg_buf_append(&s->pending, text, len);
    flush_soon(s);
}

static void
write_event(lg_sse_t *s, const char *entry, const char *type, const char *json)
{
    lg_buf_t frame = LG_BUF_INIT;
    lg_sse_frame(&frame, entry, type, json);
    append(s, entry, frame.data, frame.len);
    lg_buf_free(&frame);
}

static void
on_history_event(void *ctx, const char *entry, const char *state, const char *json)
{
    lg_sse_t *s = ctx;
    if (!entry_after(entry, s->last))
        return;
    write_event(s, entry, "state", json);
    if (lg_job_state_final(state))
        end(s);
}

static void read_history(lg_sse_t *s);

static void
on_history(void *data, redisReply *reply, const char *error)
{
    lg_sse_t *s = data;
    s->loading = 0;
    if (s->r != NULL && !s->ending) {
        if (reply == NULL) {
            lg_sse_down(s);
        } else {
            if (s->down)
                write_event(s, NULL, "available", "{}");
            s->down = 0;
            lg_qreply_history(reply, on_history_event, s);
            if (s->job_ended && !s->ending)
                end(s); /* the client had the last event already (Last-Event-ID) */
            else if (s->missed && !s->ending)
                read_history(s); /* events came while this read was on its way */
        }
    }
    (void)error;
    release(s);
}

static void
read_history(lg_sse_t *s)
{
    lg_qcmd_t c = {0};
    lg_qcmd_history(&c, &s->thread->server->qopts, s->watcher.job, s->last);
    s->missed = 0;
    s->loading = 1;
    s->refs++;
    if (lg_redis_send(s->thread->redis, &c, on_history, s) != 0) {
        s->loading = 0;
        s->refs--;
        lg_sse_down(s);
    }
}

void
lg_sse_frame(lg_buf_t *out, const char *entry, const char *type, const char *json)
{
    if (entry != NULL)
        lg_buf_printf(out, "id: %s\n", entry);
    lg_buf_printf(out, "event: %s\ndata: %s\n\n", type, json);
}

void
lg_sse_event(lg_sse_t *s, const lg_hub_msg_t *m)
{
    if (s->loading) {
        s->missed = 1; /* the history read on its way may predate it: read again after */
        return;
    }
    if (!entry_after(m->entry, s->last))
        return; /* sent already, from the history */
    append(s, m->entry, m->frame, m->frame_len);
    if (m->final)
        end(s);
}

void
lg_sse_flush(lg_sse_t *s)
{
    flush_soon(s);
}

void
lg_sse_down(lg_sse_t *s)
{
    if (s->down)
        return;
    s->down = 1;
    write_event(s, NULL, "unavailable",
                "{\"error\":{\"code\":\"queue_unavailable\",\"message\":\"Lost contact with the job queue "
                "(Redis); this page catches up when it is back.\"}}");
}

void
lg_sse_up(lg_sse_t *s)
{
    if (s->loading)
        s->missed = 1; /* the read on its way may predate the subscription: read again after it */
    else if (!s->ending)
        read_history(s);
}

void
lg_sse_retry(lg_sse_t *s)
{
    if (s->down)
        lg_sse_up(s);
}

void
lg_sse_end(lg_sse_t *s)
{
    end(s);
}

static void
on_proceed(h2o_generator_t *gen, h2o_req_t *req)
{
    (void)req;
    lg_sse_t *s = (lg_sse_t *)gen;
    s->sending = 0;
    lg_buf_reset(&s->inflight);
    flush_soon(s);
}

static void
on_stop(h2o_generator_t *gen, h2o_req_t *req)
{
    (void)gen, (void)req; /* the client left; on_dispose cleans up */
}

static void
on_keepalive(uv_timer_t *timer)
{
    lg_sse_t *s = timer->data;
    if (s->pending.len == 0 && !s->sending) {
        lg_buf_puts(&s->pending, ": keep-alive\n\n");
        flush_soon(s);
    }
}

static void
free_timer(uv_handle_t *h)
{
    free(h);
}

/* The request is being freed: the stream lets go of it. */
static void
on_dispose(void *p)
{
    lg_sse_t *s = *(lg_sse_t **)p;
    lg_watch_remove(s->thread->watch, &s->watcher);
    lg_metrics_gauge_add(&s->thread->metrics.event_streams, -1);
    uv_close((uv_handle_t *)s->keepalive, free_timer);
    s->r = NULL;
    release(s);
}

void
lg_sse_start(lg_request_t *r, const char *job, const char *after, int ended)
{
    h2o_req_t *req = r->req;
    lg_sse_t *s = lg_xcalloc(1, sizeof(*s));
    s->gen.proceed = on_proceed;
    s->gen.stop = on_stop;
    s->r = r;
    s->thread = r->thread;
    s->refs = 1;
    s->job_ended = ended != 0;
    s->watcher.sse = s;
    memcpy(s->watcher.job, job, LG_JOB_ID_LEN + 1);
    snprintf(s->last, sizeof(s->last), "%s", after);
    *(lg_sse_t **)h2o_mem_alloc_shared(&req->pool, sizeof(lg_sse_t *), on_dispose) = s;
    s->keepalive = lg_xmalloc(sizeof(uv_timer_t));
    uv_timer_init(&r->thread->loop, s->keepalive);
    s->keepalive->data = s;
    uv_timer_start(s->keepalive, on_keepalive, KEEPALIVE_MS, KEEPALIVE_MS);
    lg_metrics_gauge_add(&r->thread->metrics.event_streams, 1);
    r->long_lived = 1;

    req->res.status = 200;
    req->res.reason = lg_status_reason(200);
    lg_respond_header(r, "content-type", "text/event-stream; charset=utf-8");
    lg_respond_header(r, "cache-control", "no-store");
    lg_respond_header(r, "x-accel-buffering", "no");
    lg_respond_header(r, "x-request-id", r->id);
    h2o_start_response(req, &s->gen);
    lg_watch_add(r->thread->watch, &s->watcher);
    lg_buf_puts(&s->pending, "retry: 2000\n\n"); /* sends the head now; resume after 2 s if cut */
    flush_soon(s);
    if (r->thread->h2o.shutdown_requested)
        end(s);
    else
        read_history(s);
}
