/* queue_noop.c - bench/queue: no-op jobs through core/queue. P producer threads (default 1), each with
 * its own lg_queue_t, enqueue N jobs between them (user "bench", mode "notebook", interactive, distinct
 * links), each waiting for its reply before the next, so at most P enqueues are in flight; C consumer
 * threads, each with its own lg_queue_t and consumer name, loop lg_queue_take (block 1000 ms) ->
 * lg_queue_done(job, "{}") -> lg_job_free. Each job's link carries its sequence number and the monotonic
 * time just before its enqueue, so a consumer computes the enqueue-to-done latency from job->link once
 * lg_queue_done has returned. A warm-up batch of W jobs runs first, unmeasured.
 *
 *   queue_noop --redis redis://127.0.0.1:PORT [--jobs N] [--concurrency C] [--producers P] [--warmup W]
 *              [--prefix PREFIX] [--timeout S]
 *
 * Prints one line of JSON: throughput (jobs done per second from the first enqueue to the last done),
 * latency percentiles, and a profile of the Redis commands core/queue sent during the measured batch,
 * by the queue call that sent them (counted by wrapping hiredis's redisCommandArgv at link time with
 * -Wl,--wrap; core/queue sends every command through it). Exit status 0 when every job was done once,
 * 1 otherwise (with "error" in the JSON). */
#include "core/queue.h"

#include <hiredis.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINK_BASE "https://github.com/bench/r/blob/main/"

/* --- the command profile --------------------------------------------------------------------------- */

void *__real_redisCommandArgv(redisContext *c, int argc, const char **argv, const size_t *argvlen);
void *__wrap_redisCommandArgv(redisContext *c, int argc, const char **argv, const size_t *argvlen);

enum { OP_OPEN, OP_ENQUEUE, OP_TAKE, OP_DONE, OP_COUNT };
static const char *const op_names[OP_COUNT] = {"open", "enqueue", "take", "done"};

#define MAX_KINDS 32

typedef struct {
    int op;
    char name[48]; /* the command, and for EVAL the size of its script */
    atomic_llong calls, ns, bytes;
} kind_t;

static kind_t kinds[MAX_KINDS];
static atomic_int nkinds;
static pthread_mutex_t kinds_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int profiling;
static _Thread_local int current_op = OP_OPEN;

static int64_t
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static kind_t *
kind_of(int op, const char *name)
{
    int n = atomic_load_explicit(&nkinds, memory_order_acquire);
    for (int i = 0; i < n; i++)
        if (kinds[i].op == op && strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    pthread_mutex_lock(&kinds_lock);
    kind_t *k = NULL;
    n = atomic_load_explicit(&nkinds, memory_order_relaxed);
    for (int i = 0; i < n && k == NULL; i++)
        if (kinds[i].op == op && strcmp(kinds[i].name, name) == 0)
            k = &kinds[i];
    if (k == NULL && n < MAX_KINDS) {
        k = &kinds[n];
        k->op = op;
        snprintf(k->name, sizeof(k->name), "%s", name);
        atomic_store_explicit(&nkinds, n + 1, memory_order_release);
    }
    pthread_mutex_unlock(&kinds_lock);
    return k;
}

void *
__wrap_redisCommandArgv(redisContext *c, int argc, const char **argv, const size_t *argvlen)
{
    if (!atomic_load_explicit(&profiling, memory_order_relaxed))
        return __real_redisCommandArgv(c, argc, argv, argvlen);
    int64_t t0 = now_ns();
    void *r = __real_redisCommandArgv(c, argc, argv, argvlen);
    int64_t t = now_ns() - t0;
    long long bytes = 0;
    for (int i = 0; i < argc; i++)
        bytes += (long long)(argvlen ? argvlen[i] : strlen(argv[i]));
    char name[48];
    if (argc > 1 && (strcmp(argv[0], "EVAL") == 0 || strcmp(argv[0], "EVALSHA") == 0))
        snprintf(name, sizeof(name), "%s (%zu-byte script)", argv[0], argvlen ? argvlen[1] : strlen(argv[1]));
    else if (argc > 0)
        snprintf(name, sizeof(name), "%s", argv[0]);
    else
        snprintf(name, sizeof(name), "?");
    kind_t *k = kind_of(current_op, name);
    if (k != NULL) {
        atomic_fetch_add_explicit(&k->calls, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&k->ns, t, memory_order_relaxed);
        atomic_fetch_add_explicit(&k->bytes, bytes, memory_order_relaxed);
    }
    return r;
}

/* --- one batch of jobs ------------------------------------------------------------------------------ */

typedef struct {
    lg_queue_opts_t opts;
    long jobs, first_seq; /* this batch's jobs are seq first_seq .. first_seq + jobs - 1 */
    int producers, concurrency;
    int64_t deadline_ns;
    pthread_barrier_t start; /* the producers and the main thread, which then starts the clock */
    atomic_long done;
    atomic_int failed;
    atomic_uchar *seen; /* by seq - first_seq: times done */
    int64_t *latency_ns;
    int64_t *last_done_ns;    /* by consumer */
    int64_t *last_enqueue_ns; /* by producer */
    long *take_empty;         /* by consumer: takes that returned no job */
    char error[512];
    pthread_mutex_t error_lock;
} batch_t;

typedef struct {
    batch_t *b;
    int index; /* among the producers, or among the consumers */
    pthread_t thread;
    lg_queue_t *q;
} thread_t;

static void
fail(batch_t *b, const char *fmt, const char *what)
{
    pthread_mutex_lock(&b->error_lock);
    if (b->error[0] == '\0')
        snprintf(b->error, sizeof(b->error), fmt, what);
    pthread_mutex_unlock(&b->error_lock);
    atomic_store(&b->failed, 1);
}

static void *
consume(void *arg)
{
    thread_t *me = arg;
    batch_t *b = me->b;
    char name[64];
    snprintf(name, sizeof(name), "bench-%d-%d", (int)getpid(), me->index);
    lg_job_t job, next;
    int have = 0; /* next was taken along with the end of the job before, as labgate's worker does */
    while (atomic_load(&b->done) < b->jobs && !atomic_load(&b->failed)) {
        if (now_ns() > b->deadline_ns) {
            fail(b, "%s", "timed out before every job was done");
            break;
        }
        lg_err_t err;
        current_op = OP_TAKE;
        int rc = have ? 1 : lg_queue_take(me->q, &job, name, 1000, &err);
        have = 0;
        if (rc < 0) {
            fail(b, "lg_queue_take: %s", err.msg);
            break;
        }
        if (rc == 0) {
            b->take_empty[me->index]++;
            continue;
        }
        current_op = OP_DONE;
        int took = lg_queue_done_take(me->q, &job, "{}", &next, &err);
        if (took < 0) {
            fail(b, "lg_queue_done_take: %s", err.msg);
            lg_job_free(&job);
            break;
        }
        int64_t t = now_ns();
        const char *tail = strrchr(job.link, '/');
        long long seq, enq;
        if (tail == NULL || sscanf(tail + 1, "%lld-%lld.ipynb", &seq, &enq) != 2 || seq < b->first_seq ||
            seq >= b->first_seq + b->jobs || strcmp(job.user, "bench") != 0 ||
            strcmp(job.mode, "notebook") != 0) {
            fail(b, "a job that is not this batch's: %.300s", job.link);
            lg_job_free(&job);
            break;
        }
        lg_job_free(&job);
        if (took == 1)
            job = next, have = 1;
        long i = (long)(seq - b->first_seq);
        if (atomic_fetch_add(&b->seen[i], 1) != 0) {
            char what[32];
            snprintf(what, sizeof(what), "%lld", seq);
            fail(b, "a job done twice: seq %s", what);
            break;
        }
        b->latency_ns[i] = t - enq;
        b->last_done_ns[me->index] = t;
        atomic_fetch_add(&b->done, 1);
    }
    if (have)
        lg_job_free(&job);
    return NULL;
}

typedef struct {
    double seconds, enqueue_seconds;
    long empty_takes;
} outcome_t;

/* Producer index enqueues seq first_seq + index, + producers, ... one after the other. */
static void *
produce(void *arg)
{
    thread_t *me = arg;
    batch_t *b = me->b;
    current_op = OP_ENQUEUE;
    pthread_barrier_wait(&b->start);
    char link[256], id[LG_JOB_ID_LEN + 1];
    lg_err_t err;
    for (long i = me->index; i < b->jobs && !atomic_load(&b->failed); i += b->producers) {
        int64_t t = now_ns();
        snprintf(link, sizeof(link), LINK_BASE "%ld-%lld.ipynb", b->first_seq + i, (long long)t);
        int existing = 0;
        if (lg_queue_enqueue(me->q, id, &existing, "bench", link, "notebook", LG_PRIO_INTERACTIVE, &err) !=
            0) {
            fail(b, "lg_queue_enqueue: %s", err.msg);
            break;
        }
        if (existing) {
            fail(b, "an enqueue was merged with an earlier job: %s", link);
            break;
        }
    }
    b->last_enqueue_ns[me->index] = now_ns();
    return NULL;
}

/* Runs one batch; 0 when every job was done exactly once. */
static int
run_batch(batch_t *b, outcome_t *out)
{
    int n = b->producers + b->concurrency;
    thread_t *ts = calloc((size_t)n, sizeof(*ts)), *ps = ts, *cs = ts + b->producers;
    lg_err_t err;
    current_op = OP_OPEN;
    for (int i = 0; i < n; i++) {
        ts[i].b = b;
        ts[i].index = i < b->producers ? i : i - b->producers;
        if (lg_queue_open(&ts[i].q, &b->opts, &err) != 0) {
            fail(b, "lg_queue_open: %s", err.msg);
            for (int k = 0; k < i; k++)
                lg_queue_close(ts[k].q);
            free(ts);
            return -1;
        }
    }
    /* Every connection is open before the clock starts; the consumers then block in their first take. */
    for (int i = 0; i < b->concurrency; i++)
        pthread_create(&cs[i].thread, NULL, consume, &cs[i]);
    for (int i = 0; i < b->producers; i++)
        pthread_create(&ps[i].thread, NULL, produce, &ps[i]);
    usleep(100 * 1000);
    pthread_barrier_wait(&b->start);
    int64_t t0 = now_ns(), last = t0, last_enqueue = t0;
    out->empty_takes = 0;
    for (int i = 0; i < b->producers; i++) {
        pthread_join(ps[i].thread, NULL);
        if (b->last_enqueue_ns[i] > last_enqueue)
            last_enqueue = b->last_enqueue_ns[i];
    }
    for (int i = 0; i < b->concurrency; i++) {
        pthread_join(cs[i].thread, NULL);
        if (b->last_done_ns[i] > last)
            last = b->last_done_ns[i];
        out->empty_takes += b->take_empty[i];
    }
    for (int i = 0; i < n; i++)
        lg_queue_close(ts[i].q);
    free(ts);
    out->enqueue_seconds = (double)(last_enqueue - t0) / 1e9;
    out->seconds = (double)(last - t0) / 1e9;
    return atomic_load(&b->failed) || atomic_load(&b->done) != b->jobs ? -1 : 0;
}

static batch_t *
new_batch(const lg_queue_opts_t *opts, long jobs, long first_seq, int producers, int concurrency,
          int64_t deadline_ns)
{
    batch_t *b = calloc(1, sizeof(*b));
    b->opts = *opts;
    b->jobs = jobs;
    b->first_seq = first_seq;
    b->producers = producers;
    b->concurrency = concurrency;
    pthread_barrier_init(&b->start, NULL, (unsigned)producers + 1);
    b->deadline_ns = deadline_ns;
    b->seen = calloc((size_t)(jobs > 0 ? jobs : 1), sizeof(*b->seen));
    b->latency_ns = calloc((size_t)(jobs > 0 ? jobs : 1), sizeof(*b->latency_ns));
    b->last_done_ns = calloc((size_t)concurrency, sizeof(*b->last_done_ns));
    b->take_empty = calloc((size_t)concurrency, sizeof(*b->take_empty));
    b->last_enqueue_ns = calloc((size_t)producers, sizeof(*b->last_enqueue_ns));
    pthread_mutex_init(&b->error_lock, NULL);
    return b;
}

static void
free_batch(batch_t *b)
{
    free(b->seen);
    free(b->latency_ns);
    free(b->last_done_ns);
    free(b->take_empty);
    free(b->last_enqueue_ns);
    pthread_barrier_destroy(&b->start);
    pthread_mutex_destroy(&b->error_lock);
    free(b);
}

/* --- the report ------------------------------------------------------------------------------------- */

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The nearest-rank percentile of sorted v, in milliseconds. */
static double
pct_ms(const int64_t *v, long n, double p)
{
    if (n == 0)
        return 0;
    long rank = (long)((p / 100.0) * (double)n + 0.999999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return (double)v[rank - 1] / 1e6;
}

static void
json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            printf("\\u%04x", (unsigned char)*s);
        else
            putchar(*s);
    }
    putchar('"');
}

static void
print_profile(long jobs)
{
    printf("\"profile\":{\"commands_per_job\":");
    long long calls = 0, bytes = 0;
    for (int i = 0; i < nkinds; i++)
        if (kinds[i].op != OP_OPEN) {
            calls += kinds[i].calls;
            bytes += kinds[i].bytes;
        }
    printf("%.3f,\"bytes_sent_per_job\":%.1f,\"commands\":[", jobs ? (double)calls / (double)jobs : 0.0,
           jobs ? (double)bytes / (double)jobs : 0.0);
    int first = 1;
    for (int i = 0; i < nkinds; i++) {
        if (kinds[i].op == OP_OPEN)
            continue;
        printf("%s{\"call\":\"%s\",\"command\":", first ? "" : ",", op_names[kinds[i].op]);
        json_string(kinds[i].name);
        long long n = kinds[i].calls;
        printf(",\"per_job\":%.3f,\"mean_us\":%.1f,\"bytes_per_call\":%.0f}", (double)n / (double)jobs,
               n ? (double)kinds[i].ns / (double)n / 1e3 : 0.0, n ? (double)kinds[i].bytes / (double)n : 0.0);
        first = 0;
    }
    printf("]}");
}

static void
usage(void)
{
    fprintf(stderr, "usage: queue_noop --redis redis://HOST:PORT [--jobs N] [--concurrency C] [--warmup W] "
                    "[--producers P] [--prefix P] [--timeout S]\n");
    exit(2);
}

int
main(int argc, char **argv)
{
    const char *redis = NULL, *prefix = "benchq";
    long jobs = 20000, warmup = 1000;
    int concurrency = 8, producers = 1;
    double timeout_s = 300;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--redis") == 0)
            redis = argv[++i];
        else if (strcmp(argv[i], "--jobs") == 0)
            jobs = atol(argv[++i]);
        else if (strcmp(argv[i], "--concurrency") == 0)
            concurrency = atoi(argv[++i]);
        else if (strcmp(argv[i], "--producers") == 0)
            producers = atoi(argv[++i]);
        else if (strcmp(argv[i], "--warmup") == 0)
            warmup = atol(argv[++i]);
        else if (strcmp(argv[i], "--prefix") == 0)
            prefix = argv[++i];
        else if (strcmp(argv[i], "--timeout") == 0)
            timeout_s = atof(argv[++i]);
        else
            usage();
    }
    if (redis == NULL || jobs < 1 || concurrency < 1 || producers < 1 || warmup < 0 || timeout_s <= 0)
        usage();
    lg_queue_opts_t opts = {.redis = redis,
                            .prefix = prefix,
                            .dedup_window_ms = 600000,
                            .lease_ms = 30000,
                            .max_attempts = 3,
                            .retry_base_ms = 1000};
    int64_t deadline = now_ns() + (int64_t)(timeout_s * 1e9);
    const char *error = NULL;
    outcome_t warm = {0}, o = {0};
    batch_t *w = NULL, *b = NULL;
    if (warmup > 0) {
        w = new_batch(&opts, warmup, 0, producers, concurrency, deadline);
        if (run_batch(w, &warm) != 0)
            error = w->error[0] ? w->error : "the warm-up batch failed";
    }
    if (error == NULL) {
        b = new_batch(&opts, jobs, warmup, producers, concurrency, deadline);
        atomic_store(&profiling, 1);
        if (run_batch(b, &o) != 0)
            error = b->error[0] ? b->error : "not every job was done";
        atomic_store(&profiling, 0);
    }
    printf("{\"system\":\"labgate\",\"jobs\":%ld,\"producers\":%d,\"concurrency\":%d,\"warmup\":%ld,", jobs,
           producers, concurrency, warmup);
    if (error != NULL) {
        printf("\"error\":");
        json_string(error);
        printf("}\n");
        return 1;
    }
    qsort(b->latency_ns, (size_t)jobs, sizeof(int64_t), cmp_i64);
    double sum = 0;
    for (long i = 0; i < jobs; i++)
        sum += (double)b->latency_ns[i];
    printf("\"done\":%ld,\"seconds\":%.6f,\"enqueue_seconds\":%.6f,\"throughput\":%.1f,\"enqueue_rate\":%.1f,"
           "\"latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f,\"mean\":%.3f},"
           "\"empty_takes\":%ld,",
           (long)atomic_load(&b->done), o.seconds, o.enqueue_seconds, (double)jobs / o.seconds,
           (double)jobs / o.enqueue_seconds, pct_ms(b->latency_ns, jobs, 50), pct_ms(b->latency_ns, jobs, 90),
           pct_ms(b->latency_ns, jobs, 99), pct_ms(b->latency_ns, jobs, 100), sum / (double)jobs / 1e6,
           o.empty_takes);
    print_profile(jobs);
    printf("}\n");
    if (w)
        free_batch(w);
    free_batch(b);
    return 0;
}
