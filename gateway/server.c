/* server.c - the gateway process: h2o configuration, one event loop per thread on SO_REUSEPORT
 * sockets, signals, and graceful shutdown. */
#include "gateway.h"

#include "core/log.h"
#include "core/mem.h"
#include "gateway/connection.h"
#include "core/redis_url.h"
#include "gateway/deadline.h"
#include "gateway/hub.h"
#include "gateway/listener.h"
#include "gateway/redis_link.h"
#include "gateway/request.h"
#include "gateway/routes.h"
#include "gateway/server.h"
#include "gateway/tls.h"
#include "gateway/watch.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define DRAIN_CHECK_MS 50

/* While stopping: the loop ends once no request has been in flight for two checks in a row (a request
 * already on its way gets picked up in between), or at the deadline. */
static void
on_drain_check(uv_timer_t *timer)
{
    lg_thread_t *t = timer->data;
    t->idle_checks = t->metrics.in_flight == 0 ? t->idle_checks + 1 : 0;
    if (t->idle_checks >= 2) {
        uv_stop(&t->loop);
    } else if (uv_now(&t->loop) >= t->stop_deadline_ms) {
        lg_log(LG_LOG_WARN, NULL, "shutdown_deadline", LG_I("thread", t->index),
               LG_I("requests_cut", t->metrics.in_flight));
        uv_stop(&t->loop);
    }
}

static void
on_stop(uv_async_t *async)
{
    lg_thread_t *t = async->data;
    for (size_t i = 0; i < t->server->cfg->nlisten; i++)
        uv_close((uv_handle_t *)&t->listeners[i], NULL);
    h2o_context_request_shutdown(&t->h2o);
    lg_watch_end_all(t->watch); /* event streams end, so that the drain can finish */
    t->stop_deadline_ms = uv_now(&t->loop) + (uint64_t)t->server->cfg->shutdown_timeout_ms;
    uv_timer_start(&t->drain, on_drain_check, 0, DRAIN_CHECK_MS);
}

static void
on_redis_up(lg_redis_t *link, void *data)
{
    (void)link;
    lg_watch_retry(((lg_thread_t *)data)->watch);
}

static int
thread_init(lg_server_t *s, lg_thread_t *t, int index, lg_err_t *err)
{
    const lg_config_t *cfg = s->cfg;
    t->server = s;
    t->index = index;
    h2o_linklist_init_anchor(&t->connections);
    h2o_linklist_init_anchor(&t->requests);
    uv_loop_init(&t->loop);
    h2o_context_init(&t->h2o, &t->loop, &s->h2o);
    t->accept.ctx = &t->h2o;
    t->accept.hosts = s->h2o.hosts;
    t->accept.ssl_ctx = s->ssl;
    t->listeners = lg_xcalloc(cfg->nlisten, sizeof(*t->listeners));
    for (size_t a = 0; a < cfg->nlisten; a++) {
        uv_tcp_t *l = &t->listeners[a];
        uv_tcp_init(&t->loop, l);
        l->data = t;
        int rc = uv_tcp_open(l, s->fds[(size_t)index * cfg->nlisten + a]);
        if (rc == 0)
            rc = uv_listen((uv_stream_t *)l, SOMAXCONN, lg_connection_accept);
        if (rc != 0)
            return lg_err_set(err, LG_EIO, "listen %s:%u: %s", cfg->listen[a].host, cfg->listen[a].port,
                              uv_strerror(rc));
    }
    uv_async_init(&t->loop, &t->stop, on_stop);
    t->stop.data = t;
    uv_timer_init(&t->loop, &t->drain);
    t->drain.data = t;
    lg_deadline_start(t);
    t->watch = s->watches[index] = lg_watch_new(t);
    t->redis =
        lg_redis_start(&t->loop, cfg->redis, "gateway", &(lg_redis_hooks_t){.up = on_redis_up, .data = t});
    return 0;
}

static void *
thread_main(void *arg)
{
    lg_thread_t *t = arg;
    uv_run(&t->loop, UV_RUN_DEFAULT);
    return NULL;
}

static void
configure_h2o(lg_server_t *s)
{
    const lg_config_t *cfg = s->cfg;
    h2o_config_init(&s->h2o);
    s->h2o.server_name = h2o_iovec_init(H2O_STRLIT("labgate"));
    /* what h2o takes at all; each route holds its own bodies to max_body_bytes or less (request.c) */
    s->h2o.max_request_entity_size =
        (size_t)(cfg->webhook_secret[0] && cfg->max_body_bytes < LG_WEBHOOK_MAX_BODY ? LG_WEBHOOK_MAX_BODY
                                                                                     : cfg->max_body_bytes);
    s->h2o.handshake_timeout = (uint64_t)cfg->request_timeout_ms;
    s->h2o.http1.req_timeout = (uint64_t)cfg->request_timeout_ms;
    s->h2o.http2.idle_timeout = (uint64_t)cfg->request_timeout_ms;
    s->h2o.http2.graceful_shutdown_timeout = (uint64_t)cfg->shutdown_timeout_ms;
    s->h2o.http2.max_concurrent_requests_per_connection = (size_t)cfg->max_streams;
    h2o_hostconf_t *host = h2o_config_register_host(&s->h2o, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    lg_request_register(host, lg_routes, lg_nroutes);
}

/* Opens every thread's socket for every address. An address some other process already serves is
 * refused (SO_REUSEPORT would otherwise share it silently); a port of 0 is fixed by the probe. */
static int
open_listeners(lg_server_t *s, lg_err_t *err)
{
    const lg_config_t *cfg = s->cfg;
    s->fds = lg_xmalloc(s->nthreads * cfg->nlisten * sizeof(int));
    for (size_t i = 0; i < s->nthreads * cfg->nlisten; i++)
        s->fds[i] = -1;
    for (size_t a = 0; a < cfg->nlisten; a++) {
        uint16_t port = 0;
        if (lg_listener_probe(&cfg->listen[a], &port, err) != 0)
            return -1;
        for (size_t t = 0; t < s->nthreads; t++) {
            int fd = lg_listener_open(&cfg->listen[a], port, &port, err);
            if (fd < 0)
                return -1;
            s->fds[t * cfg->nlisten + a] = fd;
        }
        lg_log(LG_LOG_INFO, NULL, "listening", LG_S("host", cfg->listen[a].host), LG_I("port", port),
               LG_S("tls", s->ssl ? "yes" : "no"), LG_I("threads", s->nthreads));
    }
    return 0;
}

static void
close_listeners(lg_server_t *s)
{
    for (size_t i = 0; s->fds && i < s->nthreads * s->cfg->nlisten; i++)
        if (s->fds[i] >= 0)
            close(s->fds[i]);
}

/* Links carry the Host a client sends unless public_url says where labgate is; that is only safe
 * when nobody but this machine can connect. */
static int
check_public_url(const lg_config_t *cfg, lg_err_t *err)
{
    if (cfg->public_url[0] != '\0')
        return 0;
    for (size_t a = 0; a < cfg->nlisten; a++)
        if (!lg_listener_is_loopback(&cfg->listen[a]))
            return lg_err_set(
                err, LG_EINVAL,
                "public_url: set it (e.g. https://labgate.example.org) when listening on %s, which is "
                "not loopback: links would otherwise carry whatever Host a client sends",
                cfg->listen[a].host);
    return 0;
}

static int
start(lg_server_t *s, lg_err_t *err)
{
    const lg_config_t *cfg = s->cfg;
    lg_redis_url_t url;
    if (check_public_url(cfg, err) != 0 || lg_auth_init(&s->auth, cfg, err) != 0 ||
        lg_redis_url_parse(&url, cfg->redis, err) != 0)
        return -1;
    lg_queue_opts_from_config(&s->qopts, cfg);
    if (cfg->tls_cert[0] != '\0' && (s->ssl = lg_tls_create(cfg->tls_cert, cfg->tls_key, err)) == NULL)
        return -1;
    configure_h2o(s);
    s->threads = lg_xcalloc(s->nthreads, sizeof(*s->threads));
    s->watches = lg_xcalloc(s->nthreads, sizeof(*s->watches));
    if (open_listeners(s, err) != 0) {
        close_listeners(s);
        return -1;
    }
    for (size_t t = 0; t < s->nthreads; t++)
        if (thread_init(s, &s->threads[t], (int)t, err) != 0)
            return -1; /* the caller exits; the sockets go with the process */
    s->hub = lg_hub_start(&s->qopts, s->watches, s->nthreads);
    for (size_t t = 0; t < s->nthreads; t++) {
        int rc = pthread_create(&s->threads[t].tid, NULL, thread_main, &s->threads[t]);
        if (rc != 0)
            return lg_err_set(err, LG_EIO, "cannot start thread %zu: %s", t, strerror(rc));
    }
    return 0;
}

/* After the first signal the threads drain; a second signal ends the process at once. */
static void
stop(lg_server_t *s, const sigset_t *signals)
{
    for (size_t t = 0; t < s->nthreads; t++)
        uv_async_send(&s->threads[t].stop);
    struct timespec tick = {0, 50 * 1000 * 1000};
    size_t running = s->nthreads;
    while (running > 0) {
        int sig = sigtimedwait(signals, NULL, &tick);
        if (sig > 0) {
            lg_log(LG_LOG_WARN, NULL, "stopping_now", LG_S("signal", strsignal(sig)));
            _exit(1);
        }
        for (size_t t = 0; t < s->nthreads; t++)
            if (!s->threads[t].joined && pthread_tryjoin_np(s->threads[t].tid, NULL) == 0)
                s->threads[t].joined = 1, running--;
    }
}

int
lg_gateway_run(const lg_config_t *cfg, lg_err_t *err)
{
    /* Static: what the threads and h2o hold stays reachable until the process exits right after. */
    static lg_server_t s;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    s = (lg_server_t){.cfg = cfg, .started_at = time(NULL)};
    s.nthreads = cfg->threads > 0 ? (size_t)cfg->threads : (size_t)(cores > 0 ? cores : 1);

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, NULL); /* before any thread: only this one takes them */
    prctl(PR_SET_DUMPABLE,
          0); /* other processes of the account (kernels, with labgate dev) cannot read its secrets */
    signal(SIGPIPE, SIG_IGN);
    if (start(&s, err) != 0)
        return -1;
    if (cfg->webhook_secret[0] == '\0')
        lg_log(LG_LOG_WARN, NULL, "webhooks_off",
               LG_S("why", "no webhook_secret: POST /webhooks/github answers 404"));
    lg_log(LG_LOG_INFO, NULL, "started", LG_S("version", LABGATE_VERSION));

    int sig = 0;
    while (sigwait(&signals, &sig) != 0)
        ;
    lg_log(LG_LOG_INFO, NULL, "stopping", LG_S("signal", strsignal(sig)),
           LG_I("timeout_ms", cfg->shutdown_timeout_ms));
    stop(&s, &signals);
    lg_hub_stop(s.hub);
    lg_log(LG_LOG_INFO, NULL, "stopped");
    return 0;
}
