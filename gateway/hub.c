/* hub.c - the subscription to job events, the queue's status, and their metrics; see hub.h. */
#include "hub.h"

#include "core/log.h"
#include "core/mem.h"
#include "gateway/redis_link.h"
#include "gateway/sse.h"
#include "gateway/watch.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define POLL_EVERY_MS 1000
#define FRESH_MS      3500 /* a status older than this means Redis is not answering */

static const double bounds[] = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

typedef struct {
    uint64_t count[NBOUNDS + 1];
    double sum;
} histogram_t;

struct lg_hub {
    lg_queue_opts_t opts;
    char *channel;
    struct lg_watch **watches;
    size_t nwatches;
    pthread_t tid;
    uv_loop_t loop;
    uv_async_t stop;
    uv_timer_t poll;
    lg_redis_t *events, *status;
    int subscribed;

    pthread_mutex_t lock; /* what follows is read by the gateway threads */
    lg_queue_status_t st;
    uint64_t st_at; /* loop time of the last status, 0 for none */
    uint64_t now;   /* loop time of the last poll */
    uint64_t by_state[LG_JOB_NSTATES];
    histogram_t took[2]; /* ready, failed */
};

/* Whether the last status is recent, under hub->lock. A status answered after the poll that asked for it
 * is stamped later than that poll (st_at > now, when the answer came in a later millisecond of the loop):
 * compared without unsigned wrap-around, which would call it ancient. */
static int
is_fresh(const lg_hub_t *hub)
{
    return hub->st_at != 0 && hub->st_at + FRESH_MS >= hub->now;
}

void
lg_hub_msg_release(lg_hub_msg_t *m)
{
    if (atomic_fetch_sub(&m->refs, 1) == 1)
        free(m);
}

static lg_hub_msg_t *
msg_new(lg_hub_kind_t kind, size_t len)
{
    lg_hub_msg_t *m = lg_xcalloc(1, sizeof(*m) + len + 1);
    m->kind = kind;
    m->len = len;
    return m;
}

/* A job's event, with its frame made once here rather than by each stream. */
static lg_hub_msg_t *
event_new(const char *id, const char *entry, const char *json, size_t len)
{
    lg_buf_t text = LG_BUF_INIT, frame = LG_BUF_INIT;
    lg_buf_append(&text, json, len);
    lg_sse_frame(&frame, entry, "state", lg_buf_str(&text));
    lg_hub_msg_t *m = lg_xcalloc(1, sizeof(*m) + len + 1 + frame.len + 1);
    m->kind = LG_HUB_EVENT;
    memcpy(m->job, id, LG_JOB_ID_LEN + 1);
    snprintf(m->entry, sizeof(m->entry), "%s", entry);
    m->len = len;
    memcpy(m->json, json, len);
    char *copy = m->json + len + 1;
    memcpy(copy, frame.data, frame.len + 1);
    m->frame = copy;
    m->frame_len = frame.len;
    lg_buf_free(&text);
    lg_buf_free(&frame);
    return m;
}

static void
broadcast(lg_hub_t *hub, lg_hub_msg_t *m)
{
    atomic_store(&m->refs, (int)hub->nwatches);
    if (hub->nwatches == 0) {
        free(m);
        return;
    }
    for (size_t i = 0; i < hub->nwatches; i++)
        lg_watch_push(hub->watches[i], m);
}

static void
observe(histogram_t *h, double seconds)
{
    size_t i = 0;
    while (i < NBOUNDS && seconds > bounds[i])
        i++;
    h->count[i]++;
    h->sum += seconds;
}

/* Counts a job's state change in the metrics, and the job's duration when it ended. */
static void
count(lg_hub_t *hub, const char *state, const char *json, size_t len)
{
    double took = -1;
    if (lg_job_state_final(state)) {
        json_t *doc = json_loadb(json, len, 0, NULL);
        json_t *ms = json_object_get(doc, "duration_ms");
        if (json_is_integer(ms))
            took = (double)json_integer_value(ms) / 1000.0;
        json_decref(doc);
    }
    pthread_mutex_lock(&hub->lock);
    for (size_t i = 0; i < LG_JOB_NSTATES; i++)
        if (strcmp(state, lg_job_states[i]) == 0)
            hub->by_state[i]++;
    if (took >= 0)
        observe(&hub->took[strcmp(state, "failed") == 0], took);
    pthread_mutex_unlock(&hub->lock);
}

/* The next space-separated word of payload[*pos..len), NUL-terminated into out (size bytes); 0 when there
 * is none or it does not fit. */
static int
word(const char *payload, size_t len, size_t *pos, char *out, size_t size)
{
    const char *sp = memchr(payload + *pos, ' ', len - *pos);
    size_t n = sp ? (size_t)(sp - payload) - *pos : 0;
    if (sp == NULL || n == 0 || n >= size)
        return 0;
    memcpy(out, payload + *pos, n);
    out[n] = '\0';
    *pos += n + 1;
    return 1;
}

/* "ID ENTRY STATE JSON" from PREFIX:events. */
static void
on_event(void *data, const char *payload, size_t len)
{
    lg_hub_t *hub = data;
    char id[LG_JOB_ID_LEN + 2], entry[LG_ENTRY_ID_MAX], state[32];
    size_t pos = 0;
    if (!word(payload, len, &pos, id, sizeof(id)) || strlen(id) != LG_JOB_ID_LEN ||
        !word(payload, len, &pos, entry, sizeof(entry)) || !word(payload, len, &pos, state, sizeof(state)))
        return; /* not ours */
    lg_hub_msg_t *m = event_new(id, entry, payload + pos, len - pos);
    m->final = lg_job_state_final(state);
    count(hub, state, m->json, m->len);
    broadcast(hub, m);
}

/* Subscribed: events published from now on arrive, so streams may read what they missed before. */
static void
on_subscribed(void *data)
{
    lg_hub_t *hub = data;
    hub->subscribed = 1;
    broadcast(hub, msg_new(LG_HUB_UP, 0));
}

static void
events_up(lg_redis_t *link, void *data)
{
    lg_hub_t *hub = data;
    lg_redis_subscribe(link, hub->channel, on_subscribed, on_event, hub); /* a failure drops the link */
}

static void
events_down(lg_redis_t *link, const char *why, void *data)
{
    (void)link, (void)why;
    lg_hub_t *hub = data;
    if (hub->subscribed)
        broadcast(hub, msg_new(LG_HUB_DOWN, 0));
    hub->subscribed = 0;
}

static void
on_status(void *data, redisReply *reply, const char *error)
{
    lg_hub_t *hub = data;
    lg_queue_status_t st;
    lg_err_t err;
    if (reply == NULL || lg_qreply_status(reply, &st, &err) != 0) {
        lg_log(LG_LOG_DEBUG, NULL, "queue_status_failed", LG_S("why", error ? error : err.msg));
        return;
    }
    pthread_mutex_lock(&hub->lock);
    hub->st = st;
    hub->st_at = uv_now(&hub->loop);
    pthread_mutex_unlock(&hub->lock);
}

static void
on_poll(uv_timer_t *timer)
{
    lg_hub_t *hub = timer->data;
    pthread_mutex_lock(&hub->lock);
    hub->now = uv_now(&hub->loop);
    pthread_mutex_unlock(&hub->lock);
    lg_qcmd_t c = {0};
    lg_qcmd_status(&c, &hub->opts);
    lg_redis_send(hub->status, &c, on_status, hub);
}

/* Connected: asks at once, so /readyz knows within moments of a start or a Redis return. */
static void
status_up(lg_redis_t *link, void *data)
{
    (void)link;
    on_poll(&((lg_hub_t *)data)->poll);
}

static void
on_stop(uv_async_t *async)
{
    lg_hub_t *hub = async->data;
    lg_redis_stop(hub->events);
    lg_redis_stop(hub->status);
    uv_close((uv_handle_t *)&hub->poll, NULL);
    uv_close((uv_handle_t *)&hub->stop, NULL);
}

static void *
hub_main(void *arg)
{
    lg_hub_t *hub = arg;
    uv_run(&hub->loop, UV_RUN_DEFAULT);
    return NULL;
}

lg_hub_t *
lg_hub_start(const lg_queue_opts_t *opts, struct lg_watch **watches, size_t n)
{
    lg_hub_t *hub = lg_xcalloc(1, sizeof(*hub));
    hub->opts = *opts;
    hub->channel = lg_qkey(opts->prefix, "%s", "events");
    hub->watches = watches;
    hub->nwatches = n;
    pthread_mutex_init(&hub->lock, NULL);
    uv_loop_init(&hub->loop);
    uv_async_init(&hub->loop, &hub->stop, on_stop);
    hub->stop.data = hub;
    uv_timer_init(&hub->loop, &hub->poll);
    hub->poll.data = hub;
    uv_timer_start(&hub->poll, on_poll, 0, POLL_EVERY_MS);
    hub->events = lg_redis_start(&hub->loop, opts->redis, "events",
                                 &(lg_redis_hooks_t){.up = events_up, .down = events_down, .data = hub});
    hub->status =
        lg_redis_start(&hub->loop, opts->redis, "status", &(lg_redis_hooks_t){.up = status_up, .data = hub});
    if (pthread_create(&hub->tid, NULL, hub_main, hub) != 0)
        abort(); /* at start, before anything is served */
    return hub;
}

void
lg_hub_stop(lg_hub_t *hub)
{
    uv_async_send(&hub->stop);
    pthread_join(hub->tid, NULL);
    uv_loop_close(&hub->loop);
    pthread_mutex_destroy(&hub->lock);
    free(hub->channel);
    free(hub);
}

int
lg_hub_ready(lg_hub_t *hub, const char **why)
{
    pthread_mutex_lock(&hub->lock);
    int fresh = is_fresh(hub);
    long long workers = hub->st.workers;
    pthread_mutex_unlock(&hub->lock);
    *why = !fresh         ? "Redis is not answering: imports cannot be queued"
           : workers == 0 ? "no worker is running: imports would wait"
                          : "ready";
    return fresh && workers > 0;
}

static void
histogram(lg_buf_t *out, const char *outcome, const histogram_t *h)
{
    uint64_t total = 0;
    for (size_t i = 0; i <= NBOUNDS; i++) {
        total += h->count[i];
        if (i < NBOUNDS)
            lg_buf_printf(out, "labgate_job_duration_seconds_bucket{outcome=\"%s\",le=\"%g\"} %llu\n",
                          outcome, bounds[i], (unsigned long long)total);
        else
            lg_buf_printf(out, "labgate_job_duration_seconds_bucket{outcome=\"%s\",le=\"+Inf\"} %llu\n",
                          outcome, (unsigned long long)total);
    }
    lg_buf_printf(out, "labgate_job_duration_seconds_sum{outcome=\"%s\"} %.6f\n", outcome, h->sum);
    lg_buf_printf(out, "labgate_job_duration_seconds_count{outcome=\"%s\"} %llu\n", outcome,
                  (unsigned long long)total);
}

void
lg_hub_metrics(lg_hub_t *hub, lg_buf_t *out)
{
    pthread_mutex_lock(&hub->lock);
    int fresh = is_fresh(hub);
    lg_buf_printf(out,
                  "# HELP labgate_redis_up Whether Redis answered the last queue status poll.\n"
                  "# TYPE labgate_redis_up gauge\nlabgate_redis_up %d\n",
                  fresh);
    lg_buf_puts(out, "# HELP labgate_queue_jobs Jobs in the queue, by priority and whether a worker has "
                     "them.\n# TYPE labgate_queue_jobs gauge\n");
    static const char *const prio[] = {"interactive", "background"};
    for (int p = 0; p < 2; p++) {
        lg_buf_printf(out, "labgate_queue_jobs{priority=\"%s\",status=\"waiting\"} %lld\n", prio[p],
                      hub->st.waiting[p]);
        lg_buf_printf(out, "labgate_queue_jobs{priority=\"%s\",status=\"running\"} %lld\n", prio[p],
                      hub->st.running[p]);
    }
    lg_buf_printf(out,
                  "# HELP labgate_queue_delayed_jobs Jobs waiting for a retry.\n"
                  "# TYPE labgate_queue_delayed_jobs gauge\nlabgate_queue_delayed_jobs %lld\n"
                  "# HELP labgate_queue_dead_letters Entries in the dead-letter stream.\n"
                  "# TYPE labgate_queue_dead_letters gauge\nlabgate_queue_dead_letters %lld\n"
                  "# HELP labgate_workers_live Workers that reported in recently.\n"
                  "# TYPE labgate_workers_live gauge\nlabgate_workers_live %lld\n",
                  hub->st.delayed, hub->st.dead, hub->st.workers);
    lg_buf_puts(out, "# HELP labgate_job_states_total Job state changes this gateway has seen, by state.\n"
                     "# TYPE labgate_job_states_total counter\n");
    for (size_t i = 0; i < LG_JOB_NSTATES; i++)
        lg_buf_printf(out, "labgate_job_states_total{state=\"%s\"} %llu\n", lg_job_states[i],
                      (unsigned long long)hub->by_state[i]);
    lg_buf_puts(out, "# HELP labgate_job_duration_seconds Time from enqueue to the end of a job.\n"
                     "# TYPE labgate_job_duration_seconds histogram\n");
    histogram(out, "ready", &hub->took[0]);
    histogram(out, "failed", &hub->took[1]);
    pthread_mutex_unlock(&hub->lock);
}
