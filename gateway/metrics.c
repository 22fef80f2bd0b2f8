/* metrics.c - per-thread counters and their Prometheus rendering. */
#include "metrics.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Latency bucket bounds in microseconds; the last bucket is +Inf. */
static const uint64_t bounds_us[LG_METRICS_BUCKETS - 1] = {
    100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 5000000,
};

#define LOAD(x)     __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define BUMP(x, by) __atomic_store_n(&(x), LOAD(x) + (by), __ATOMIC_RELAXED)

void
lg_metrics_observe(lg_metrics_t *m, unsigned route, int status, uint64_t duration_us)
{
    if (route >= LG_METRICS_ROUTES)
        return;
    if (status >= 100 && status <= 599)
        BUMP(m->by_status[route][status - 100], 1);
    size_t b = 0;
    while (b < LG_METRICS_BUCKETS - 1 && duration_us > bounds_us[b])
        b++;
    BUMP(m->latency[route][b], 1);
    BUMP(m->latency_sum_us[route], duration_us);
}

void
lg_metrics_count(uint64_t *counter)
{
    BUMP(*counter, 1);
}

void
lg_metrics_gauge_add(int64_t *gauge, int64_t delta)
{
    BUMP(*gauge, delta);
}

static const lg_metrics_t *
nth(const void *first, size_t stride, size_t i)
{
    return (const lg_metrics_t *)((const char *)first + i * stride);
}

static void
render_requests(lg_buf_t *out, const void *first, size_t stride, size_t n, const char *const *routes,
                size_t nroutes)
{
    lg_buf_puts(out, "# HELP labgate_http_requests_total HTTP requests answered, by route and status code.\n"
                     "# TYPE labgate_http_requests_total counter\n");
    for (size_t r = 0; r < nroutes; r++) {
        for (int s = 0; s < 500; s++) {
            uint64_t total = 0;
            for (size_t t = 0; t < n; t++)
                total += LOAD(nth(first, stride, t)->by_status[r][s]);
            if (total)
                lg_buf_printf(out, "labgate_http_requests_total{route=\"%s\",code=\"%d\"} %llu\n", routes[r],
                              s + 100, (unsigned long long)total);
        }
    }
}

static void
render_latency(lg_buf_t *out, const void *first, size_t stride, size_t n, const char *const *routes,
               size_t nroutes)
{
    lg_buf_puts(out, "# HELP labgate_http_request_duration_seconds Time from a request's start to its end.\n"
                     "# TYPE labgate_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r < nroutes; r++) {
        uint64_t cumulative = 0, sum_us = 0;
        for (size_t t = 0; t < n; t++)
            sum_us += LOAD(nth(first, stride, t)->latency_sum_us[r]);
        for (size_t b = 0; b < LG_METRICS_BUCKETS; b++) {
            for (size_t t = 0; t < n; t++)
                cumulative += LOAD(nth(first, stride, t)->latency[r][b]);
            if (b < LG_METRICS_BUCKETS - 1)
                lg_buf_printf(out,
                              "labgate_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                              routes[r], (double)bounds_us[b] / 1e6, (unsigned long long)cumulative);
            else
                lg_buf_printf(out,
                              "labgate_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                              routes[r], (unsigned long long)cumulative);
        }
        lg_buf_printf(out, "labgate_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", routes[r],
                      (double)sum_us / 1e6);
        lg_buf_printf(out, "labgate_http_request_duration_seconds_count{route=\"%s\"} %llu\n", routes[r],
                      (unsigned long long)cumulative);
    }
}

static void
render_process(lg_buf_t *out, long long started_at)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
                 ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
    lg_buf_printf(
        out,
        "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
        "# TYPE process_resident_memory_bytes gauge\n"
        "process_resident_memory_bytes %lld\n"
        "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
        "# TYPE process_cpu_seconds_total counter\n"
        "process_cpu_seconds_total %.3f\n"
        "# HELP process_start_time_seconds Start time of the process since the Unix epoch in seconds.\n"
        "# TYPE process_start_time_seconds gauge\n"
        "process_start_time_seconds %lld\n"
        "# HELP labgate_build_info The running labgate version.\n"
        "# TYPE labgate_build_info gauge\n"
        "labgate_build_info{version=\"%s\"} 1\n",
        (long long)rss * sysconf(_SC_PAGESIZE), cpu, started_at, LABGATE_VERSION);
}

static void
render_webhooks(lg_buf_t *out, const void *first, size_t stride, size_t n)
{
    static const char *const events[LG_WEBHOOK_EVENTS] = {"ping", "push", "repository", "other"};
    static const char *const outcomes[LG_WEBHOOK_OUTCOMES] = {"answered", "queued", "duplicate", "ignored",
                                                              "refused"};
    lg_buf_puts(out,
                "# HELP labgate_webhook_deliveries_total GitHub webhook deliveries, by event and outcome.\n"
                "# TYPE labgate_webhook_deliveries_total counter\n");
    for (int e = 0; e < LG_WEBHOOK_EVENTS; e++)
        for (int o = 0; o < LG_WEBHOOK_OUTCOMES; o++) {
            uint64_t total = 0;
            for (size_t t = 0; t < n; t++)
                total += LOAD(nth(first, stride, t)->webhooks[e][o]);
            lg_buf_printf(out, "labgate_webhook_deliveries_total{event=\"%s\",outcome=\"%s\"} %llu\n",
                          events[e], outcomes[o], (unsigned long long)total);
        }
}

void
lg_metrics_render(lg_buf_t *out, const void *first, size_t stride, size_t nthreads, const char *const *routes,
                  size_t nroutes, long long started_at)
{
    int64_t in_flight = 0, connections = 0, streams = 0;
    for (size_t t = 0; t < nthreads; t++) {
        in_flight += LOAD(nth(first, stride, t)->in_flight);
        connections += LOAD(nth(first, stride, t)->connections);
        streams += LOAD(nth(first, stride, t)->event_streams);
    }
    render_requests(out, first, stride, nthreads, routes, nroutes);
    render_latency(out, first, stride, nthreads, routes, nroutes);
    lg_buf_printf(out,
                  "# HELP labgate_http_requests_in_flight Requests being handled now.\n"
                  "# TYPE labgate_http_requests_in_flight gauge\n"
                  "labgate_http_requests_in_flight %lld\n"
                  "# HELP labgate_http_connections Open client connections.\n"
                  "# TYPE labgate_http_connections gauge\n"
                  "labgate_http_connections %lld\n"
                  "# HELP labgate_event_streams Job event streams (Server-Sent Events) open now.\n"
                  "# TYPE labgate_event_streams gauge\n"
                  "labgate_event_streams %lld\n",
                  (long long)in_flight, (long long)connections, (long long)streams);
    render_webhooks(out, first, stride, nthreads);
    render_process(out, started_at);
}
