/* worker.c - `labgate worker`; see worker.h. */
#include "worker/worker.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/queue.h"
#include "runtime/runtime.h"
#include "worker/job.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define RUNTIME_TICK_MS 5000

typedef struct worker worker_t;

typedef struct {
    worker_t *w;
    int index;
    char consumer[128];
    pthread_t thread;
    pthread_mutex_t lock; /* guards job and busy, read by the lease thread */
    lg_job_t job;
    int busy;
} slot_t;

struct worker {
    const lg_config_t *cfg;
    lg_queue_opts_t qopts;
    lg_import_opts_t iopts;
    lg_runtime_t *rt;
    char name[96];
    atomic_int stopping;
    atomic_int running; /* job threads not yet ended: the lease thread outlives them all */
    slot_t *slots;
    int nslots;
};

/* 1 while the thread `lease` still has work: until every job thread has ended; job threads until the
 * worker stops. */
static int
wanted(worker_t *w, int lease)
{
    return lease ? atomic_load(&w->running) > 0 : !atomic_load(&w->stopping);
}

/* A connection, retried with backoff (0.1 s doubling to 5 s) while the thread is wanted. */
static lg_queue_t *
connect_queue(worker_t *w, const char *who, int lease)
{
    int64_t delay = 100;
    while (wanted(w, lease)) {
        lg_queue_t *q;
        lg_err_t err;
        if (lg_queue_open(&q, &w->qopts, &err) == 0)
            return q;
        lg_log(LG_LOG_WARN, NULL, "redis_unavailable", LG_S("thread", who), LG_S("error", err.msg),
               LG_I("retry_ms", delay));
        lg_sleep_ms(delay);
        delay = delay * 2 > 5000 ? 5000 : delay * 2;
    }
    return NULL;
}

static void
set_busy(slot_t *s, const lg_job_t *job)
{
    pthread_mutex_lock(&s->lock);
    s->busy = job != NULL;
    if (job != NULL)
        s->job = *job; /* a shallow copy: the lease thread reads only id, entry and prio */
    pthread_mutex_unlock(&s->lock);
}

/* Takes jobs and runs them until the worker stops. A job taken just as it stops is handed back. After a
 * Redis error it waits (0.5 s doubling to 5 s, reset by a good take) before connecting again, so a Redis
 * that refuses every command is not hammered. */
static void *
job_thread(void *arg)
{
    slot_t *s = arg;
    worker_t *w = s->w;
    lg_queue_t *q = NULL;
    int64_t backoff = 500;
    lg_job_t job;
    int have = 0; /* job was taken along with the end of the one before */
    lg_err_t err;
    while (!atomic_load(&w->stopping)) {
        if (q == NULL && (q = connect_queue(w, s->consumer, 0)) == NULL)
            break;
        int got = have ? 1 : lg_queue_take(q, &job, s->consumer, 1000, &err);
        have = 0;
        if (got == 1 && atomic_load(&w->stopping)) {
            got = lg_queue_release(q, &job, &err) == 0 ? 0 : -1;
            lg_job_free(&job);
        } else if (got == 1) {
            set_busy(s, &job);
            lg_log(LG_LOG_INFO, job.id, "job_started", LG_S("user", job.user), LG_S("link", job.link),
                   LG_S("mode", job.mode), LG_I("attempt", job.attempts));
            err.code = LG_OK;
            lg_job_t next;
            int rc = lg_job_run(q, &job, &w->iopts, w->rt, &next, &err);
            got = rc < 0 ? -1 : 0;
            if (got < 0 && err.code == LG_ESTATE) { /* another worker has it now: nothing to repair */
                lg_log(LG_LOG_WARN, job.id, "job_lost", LG_S("error", err.msg));
                got = 0;
            }
            set_busy(s, NULL);
            lg_job_free(&job);
            if (rc == 1)
                job = next, have = 1;
        }
        if (got >= 0) {
            backoff = 500;
            continue;
        }
        lg_log(LG_LOG_WARN, NULL, "redis_error", LG_S("thread", s->consumer), LG_S("error", err.msg),
               LG_I("retry_ms", backoff));
        lg_queue_close(q);
        q = NULL;
        lg_sleep_ms(backoff);
        backoff = backoff * 2 > 5000 ? 5000 : backoff * 2;
    }
    if (have) { /* taken as the worker stopped: handed back */
        if (lg_queue_release(q, &job, &err) != 0)
            lg_log(LG_LOG_WARN, job.id, "release_failed", LG_S("error", err.msg));
        lg_job_free(&job);
    }
    lg_queue_close(q);
    atomic_fetch_sub(&w->running, 1);
    return NULL;
}

/* Renews the lease of every running job every third of job_lease, and marks the worker alive, until the
 * last job thread has ended (a job taken just as the worker stops still gets its lease renewed). */
static void *
lease_thread(void *arg)
{
    worker_t *w = arg;
    lg_queue_t *q = NULL;
    int64_t every = w->cfg->job_lease_ms / 3;
    for (;;) {
        if (q == NULL)
            q = connect_queue(w, "lease", 1);
        for (int i = 0; q != NULL && i < w->nslots; i++) {
            slot_t *s = &w->slots[i];
            lg_job_t job; /* a copy, so that no Redis call is made under the slot's lock */
            pthread_mutex_lock(&s->lock);
            int busy = s->busy;
            job = s->job;
            pthread_mutex_unlock(&s->lock);
            lg_err_t err;
            if (busy && lg_queue_renew(q, &job, &err) != 0 && err.code != LG_ESTATE) {
                lg_queue_close(q);
                q = NULL;
            }
        }
        lg_err_t err;
        if (q != NULL && !atomic_load(&w->stopping) && lg_queue_heartbeat(q, w->name, every * 3, &err) != 0) {
            lg_queue_close(q);
            q = NULL;
        }
        if (atomic_load(&w->running) == 0)
            break;
        for (int64_t slept = 0; slept < every && atomic_load(&w->running) > 0; slept += 100)
            lg_sleep_ms(100);
    }
    lg_queue_close(q);
    return NULL;
}

/* The runtime's housekeeping (idle servers stopped, exited ones reaped) every few seconds, until the
 * last job thread has ended. */
static void *
runtime_thread(void *arg)
{
    worker_t *w = arg;
    for (int64_t slept = 0; atomic_load(&w->running) > 0; slept += 100) {
        if (slept >= RUNTIME_TICK_MS) {
            lg_runtime_tick(w->rt);
            slept = 0;
        }
        lg_sleep_ms(100);
    }
    return NULL;
}

/* Waits for SIGTERM or SIGINT (blocked in every thread), then lets the jobs finish; a second signal
 * ends the process at once. */
static void *
signal_thread(void *arg)
{
    worker_t *w = arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig;
    sigwait(&set, &sig);
    lg_log(LG_LOG_INFO, NULL, "stopping", LG_S("signal", strsignal(sig)));
    atomic_store(&w->stopping, 1);
    sigwait(&set, &sig);
    lg_log(LG_LOG_WARN, NULL, "stopped_at_once", LG_S("signal", strsignal(sig)));
    _exit(1);
}

static void
setup(worker_t *w, const lg_config_t *cfg)
{
    memset(w, 0, sizeof(*w));
    w->cfg = cfg;
    lg_queue_opts_from_config(&w->qopts, cfg);
    lg_import_opts_from_config(&w->iopts, cfg);
    char host[64] = "host";
    gethostname(host, sizeof(host) - 1);
    snprintf(w->name, sizeof(w->name), "%s-%ld", host, (long)getpid());
    w->nslots = (int)cfg->worker_concurrency;
    w->slots = lg_xcalloc((size_t)w->nslots, sizeof(*w->slots));
    for (int i = 0; i < w->nslots; i++) {
        slot_t *s = &w->slots[i];
        s->w = w;
        s->index = i;
        snprintf(s->consumer, sizeof(s->consumer), "%s-%d", w->name, i);
        pthread_mutex_init(&s->lock, NULL);
    }
}

int
lg_worker_run(const lg_config_t *cfg)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* before any thread: all inherit it */
    prctl(PR_SET_DUMPABLE,
          0); /* the users' kernels it starts (same account) cannot read its memory or environ */
    signal(SIGPIPE, SIG_IGN); /* a write to a Redis that went away fails, not kills */
    worker_t w;
    setup(&w, cfg);
    lg_runtime_opts_t ropts;
    lg_runtime_opts_from_config(&ropts, cfg);
    lg_err_t err;
    if ((w.rt = lg_runtime_new(&ropts, &err)) == NULL) {
        lg_log(LG_LOG_ERROR, NULL, "runtime_unusable", LG_S("error", err.msg));
        free(w.slots);
        return -1;
    }
    if (ropts.kind == LG_RUNTIME_LOCAL && cfg->auth != LG_AUTH_DEV)
        lg_log(LG_LOG_WARN, NULL, "runtime_local_shared",
               LG_S("note",
                    "runtime = local runs every user's Jupyter as this one account: users' code can read "
                    "each other's projects; for people who do not trust each other use jupyterhub"));
    lg_import_hold();
    pthread_t sig, lease, runtime;
    pthread_create(&sig, NULL, signal_thread, &w);
    pthread_detach(sig);
    atomic_store(&w.running, w.nslots);
    for (int i = 0; i < w.nslots; i++)
        pthread_create(&w.slots[i].thread, NULL, job_thread, &w.slots[i]);
    pthread_create(&lease, NULL, lease_thread, &w);
    pthread_create(&runtime, NULL, runtime_thread, &w);
    lg_log(LG_LOG_INFO, NULL, "started", LG_S("worker", w.name), LG_I("concurrency", w.nslots),
           LG_S("redis", cfg->redis));
    for (int i = 0; i < w.nslots; i++)
        pthread_join(w.slots[i].thread, NULL);
    pthread_join(lease, NULL);
    pthread_join(runtime, NULL);
    lg_runtime_free(w.rt); /* the servers this worker started stop with it */
    for (int i = 0; i < w.nslots; i++)
        pthread_mutex_destroy(&w.slots[i].lock);
    free(w.slots);
    lg_import_release();
    lg_log(LG_LOG_INFO, NULL, "stopped", LG_S("worker", w.name));
    return 0;
}
