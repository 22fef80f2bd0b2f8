/* queue.h - the import queue on Redis Streams: idempotent enqueue, two priorities, leases that a worker
 * renews, reclaim of lapsed leases (XAUTOCLAIM), retries with exponential backoff and jitter, a
 * dead-letter stream, and a record plus a capped event history per job (published for gateways).
 * Keys live under a prefix; each job's keys share the hash tag {ID} (one Redis, not a Cluster: the
 * scripts compute keys they do not declare). Steps that must be atomic are Lua scripts. A worker acts on
 * a job only while it holds the job's delivery: after its lease went to another worker, its calls fail
 * with LG_ESTATE and change nothing. One lg_queue_t is one blocking Redis connection: one per thread. */
#ifndef LG_QUEUE_H
#define LG_QUEUE_H

#include "config.h"
#include "err.h"

#include <stdint.h>

typedef struct lg_queue lg_queue_t;

typedef struct {
    const char *redis;       /* redis://HOST:PORT[/DB], or the path of a unix socket */
    const char *prefix;      /* e.g. "labgate" */
    int64_t dedup_window_ms; /* the same import asked again within this returns the same job */
    int64_t lease_ms;        /* a job not renewed for this long goes to another worker */
    int64_t max_attempts;    /* deliveries before a job goes to the dead-letter stream */
    int64_t retry_base_ms;   /* first retry delay; doubled per attempt, with jitter */
} lg_queue_opts_t;

typedef enum { LG_PRIO_INTERACTIVE, LG_PRIO_BACKGROUND } lg_prio_t;

#define LG_JOB_ID_LEN   32 /* 128 random bits in hex */
#define LG_ENTRY_ID_MAX 48 /* a stream entry id, "MS-SEQ", and its NUL */

/* A job's states, in the order a job goes through them; the last two end it. */
#define LG_JOB_NSTATES 7
extern const char *const lg_job_states[LG_JOB_NSTATES];
/* 1 when state ends a job: ready or failed. */
int lg_job_state_final(const char *state);

typedef struct {
    char id[LG_JOB_ID_LEN + 1];
    char *user, *link, *mode; /* as enqueued */
    lg_prio_t prio;
    int64_t attempts;            /* deliveries so far, this one included */
    char entry[LG_ENTRY_ID_MAX]; /* the stream entry of this delivery */
    char consumer[128];          /* who holds it */
} lg_job_t;

/* The options configuration gives (redis, redis_prefix, dedup_window, job_lease, max_attempts), with
 * retries starting at 1 s. */
void lg_queue_opts_from_config(lg_queue_opts_t *out, const lg_config_t *cfg);

/* Connects (within 5 s; every later call is bounded to 10 s, with TCP keepalive) and makes sure the
 * consumer groups exist. err says what failed; LG_EIO for a connection. */
int lg_queue_open(lg_queue_t **out, const lg_queue_opts_t *opts, lg_err_t *err);
void lg_queue_close(lg_queue_t *q);

/* Queues an import of link (a GitHub URL) into user's project in mode. id receives the job's id; with
 * *existing set, it is the id of the same import queued within dedup_window and not failed. */
int lg_queue_enqueue(lg_queue_t *q, char id[LG_JOB_ID_LEN + 1], int *existing, const char *user,
                     const char *link, const char *mode, lg_prio_t prio, lg_err_t *err);

/* Takes the next job for consumer: due retries first become queued again, lapsed leases are reclaimed,
 * then interactive jobs go before background ones. Waits up to block_ms. Returns 1 and fills job
 * (release with lg_job_free), 0 when there was none, -1 on error. A job delivered more than
 * max_attempts times goes to the dead-letter stream instead. */
int lg_queue_take(lg_queue_t *q, lg_job_t *job, const char *consumer, int block_ms, lg_err_t *err);

/* Renews the lease on job. LG_ESTATE when it is no longer the caller's. */
int lg_queue_renew(lg_queue_t *q, const lg_job_t *job, lg_err_t *err);

/* Hands job back unfinished: the next lg_queue_take anywhere may take it (as its next attempt). */
int lg_queue_release(lg_queue_t *q, const lg_job_t *job, lg_err_t *err);

/* Records a state (and data, a JSON object, or NULL) in the job's record and history, and publishes it. */
int lg_queue_state(lg_queue_t *q, const lg_job_t *job, const char *state, const char *data, lg_err_t *err);

/* Ends the job as ready with result (a JSON object), and releases it from the stream. */
int lg_queue_done(lg_queue_t *q, const lg_job_t *job, const char *result, lg_err_t *err);
/* lg_queue_done, and in the same round trip lg_queue_take without waiting, for job's consumer: 1 with
 * next filled, 0 when there was no job to take, -1 on error (job is then not done). */
int lg_queue_done_take(lg_queue_t *q, const lg_job_t *job, const char *result, lg_job_t *next, lg_err_t *err);

typedef enum { LG_FAIL_RETRY, LG_FAIL_FINAL, LG_FAIL_DEAD } lg_fail_t;

/* Ends this delivery with error message: a transient failure (permanent unset) is retried after a
 * backoff, unless attempts are used up (then dead-lettered, as "gave up after N attempts: MESSAGE"); a
 * permanent one fails the job. *what says which happened. */
int lg_queue_fail(lg_queue_t *q, const lg_job_t *job, int permanent, const char *message, lg_fail_t *what,
                  lg_err_t *err);

/* The job's record as a JSON object (malloc'd), or NULL with LG_ENOTFOUND. */
char *lg_queue_job_json(lg_queue_t *q, const char *id, lg_err_t *err);

typedef struct {
    long long waiting[2]; /* by lg_prio_t: queued, not yet taken */
    long long running[2]; /* taken by a worker */
    long long delayed;    /* waiting for a retry */
    long long dead;       /* in the dead-letter stream */
    long long workers;    /* live workers */
} lg_queue_status_t;

/* The queue's depth and live workers. */
int lg_queue_status(lg_queue_t *q, lg_queue_status_t *out, lg_err_t *err);

/* Marks consumer alive for ttl_ms (for readiness checks). */
int lg_queue_heartbeat(lg_queue_t *q, const char *consumer, int64_t ttl_ms, lg_err_t *err);

void lg_job_free(lg_job_t *job);

#endif
