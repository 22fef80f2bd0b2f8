/* server.h - the gateway's process and per-thread state, shared by the server, the request
 * dispatcher and the routes. One event loop and one h2o context per thread. */
#ifndef LG_SERVER_H
#define LG_SERVER_H

#include "core/config.h"
#include "core/queue.h"
#include "gateway/auth.h"
#include "gateway/metrics.h"

#include <h2o.h>
#include <pthread.h>
#include <time.h>
#include <uv.h>

struct lg_badge_cache;
struct lg_redis;
struct lg_watch;
struct lg_hub;

typedef struct lg_server lg_server_t;

typedef struct {
    h2o_context_t h2o; /* first: a request's conn->ctx leads back here */
    uv_loop_t loop;
    h2o_accept_ctx_t accept;
    lg_server_t *server;
    int index;
    pthread_t tid;
    uv_tcp_t *listeners;        /* one per listen address */
    h2o_linklist_t connections; /* lg_connection_t of this thread (connection.c) */
    h2o_linklist_t requests;    /* lg_request_t in flight on this thread, oldest first (request.c) */
    uv_timer_t deadlines;       /* cuts clients that take too long over a response (deadline.c) */
    uv_async_t stop;            /* fired by the main thread on SIGTERM/SIGINT */
    uv_timer_t drain;           /* while stopping: checks whether the last request finished */
    uint64_t stop_deadline_ms;
    int idle_checks; /* drain checks in a row that found no request in flight */
    int joined;      /* the main thread has collected it after stopping */
    uint64_t rng;    /* xorshift state for request ids */
    lg_metrics_t metrics;
    struct lg_badge_cache *badge_cache;
    struct lg_redis *redis; /* this thread's connection for enqueues and job reads */
    struct lg_watch *watch; /* this thread's event-stream clients */
} lg_thread_t;

struct lg_server {
    const lg_config_t *cfg;
    h2o_globalconf_t h2o;
    SSL_CTX *ssl;
    lg_thread_t *threads;
    size_t nthreads;
    int *fds; /* listening sockets: [thread * nlisten + address] */
    time_t started_at;
    lg_auth_t auth;
    lg_queue_opts_t qopts;
    struct lg_hub *hub;
    struct lg_watch **watches; /* [thread] */
};

#endif
