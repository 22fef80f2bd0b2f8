/* metrics.h - request counters and latency histograms, kept per thread without locks (one writer per
 * thread) and summed when /metrics renders them in Prometheus text format. */
#ifndef LG_METRICS_H
#define LG_METRICS_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>

#define LG_METRICS_ROUTES  24
#define LG_METRICS_BUCKETS 15 /* upper bounds in lg_metrics.c, the last one +Inf */

/* Webhook deliveries, by event (ping, push, repository, other) and outcome. */
#define LG_WEBHOOK_EVENTS 4
typedef enum {
    LG_WEBHOOK_ANSWERED, /* ping */
    LG_WEBHOOK_QUEUED,
    LG_WEBHOOK_DUPLICATE, /* a delivery seen before */
    LG_WEBHOOK_IGNORED,
    LG_WEBHOOK_REFUSED, /* bad signature, body or headers */
    LG_WEBHOOK_OUTCOMES
} lg_webhook_outcome_t;

typedef struct {
    uint64_t by_status[LG_METRICS_ROUTES][500]; /* [route][status - 100] */
    uint64_t latency[LG_METRICS_ROUTES][LG_METRICS_BUCKETS];
    uint64_t latency_sum_us[LG_METRICS_ROUTES];
    int64_t in_flight;
    int64_t connections;
    int64_t event_streams; /* job event streams open */
    uint64_t webhooks[LG_WEBHOOK_EVENTS][LG_WEBHOOK_OUTCOMES];
} lg_metrics_t;

/* Counts one finished request of route (an index below LG_METRICS_ROUTES) on the calling thread. */
void lg_metrics_observe(lg_metrics_t *m, unsigned route, int status, uint64_t duration_us);
/* Adds one to a counter of the calling thread's metrics. */
void lg_metrics_count(uint64_t *counter);
/* Adds delta to a gauge of the calling thread's metrics. */
void lg_metrics_gauge_add(int64_t *gauge, int64_t delta);

/* Appends all metrics in Prometheus text exposition format 0.0.4: the sum over `nthreads` per-thread
 * blocks (each `stride` bytes apart, starting at `first`), route names from `routes`, and process
 * metrics (resident memory, CPU, start time, build info). */
void lg_metrics_render(lg_buf_t *out, const void *first, size_t stride, size_t nthreads,
                       const char *const *routes, size_t nroutes, long long started_at);

#endif
