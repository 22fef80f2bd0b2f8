/* test_queue.c - tests core/queue.c against a real redis-server: enqueue and dedup, priorities,
 * leases and reclaim, retries with backoff, permanent failures, the dead-letter stream (after failures
 * and after a crash loop), and each job's history. */
#include "core/queue.h"

#include "tests/unit/check.h"
#include "tests/unit/core/redis_fixture.h"

#include <hiredis.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *redis_url;
static int prefix_seq;

static void
sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* A queue on a prefix of its own, so tests do not see each other's jobs. */
static lg_queue_t *
open_queue(int64_t lease_ms, int64_t max_attempts, char *prefix)
{
    snprintf(prefix, 32, "t%d", ++prefix_seq);
    lg_queue_opts_t o = {.redis = redis_url,
                         .prefix = prefix,
                         .dedup_window_ms = 60000,
                         .lease_ms = lease_ms,
                         .max_attempts = max_attempts,
                         .retry_base_ms = 100};
    lg_queue_t *q = NULL;
    lg_err_t err;
    CHECK_MSG(lg_queue_open(&q, &o, &err) == 0, "open: %s", err.msg);
    return q;
}

/* A value from redis, as text ("" when nil), by a command without spaces in its arguments. */
static char *
redis_text(const char *fmt, const char *a, const char *b)
{
    redisContext *c = redisConnect("127.0.0.1", atoi(strrchr(redis_url, ':') + 1));
    redisReply *r = redisCommand(c, fmt, a, b);
    char buf[64] = "";
    if (r && r->type == REDIS_REPLY_STRING)
        snprintf(buf, sizeof(buf), "%s", r->str);
    else if (r && r->type == REDIS_REPLY_INTEGER)
        snprintf(buf, sizeof(buf), "%lld", r->integer);
    freeReplyObject(r);
    redisFree(c);
    return strdup(buf);
}

static void
check_field(const char *prefix, const char *id, const char *name, const char *want)
{
    char key[128];
    snprintf(key, sizeof(key), "%s:job:{%s}", prefix, id);
    char *got = redis_text("HGET %s %s", key, name);
    CHECK_MSG(strcmp(got, want) == 0, "job %.8s %s: \"%s\", expected \"%s\"", id, name, got, want);
    free(got);
}

static void
test_enqueue_and_dedup(void)
{
    char prefix[32], a[LG_JOB_ID_LEN + 1], b[LG_JOB_ID_LEN + 1], c[LG_JOB_ID_LEN + 1];
    lg_queue_t *q = open_queue(30000, 5, prefix);
    lg_err_t err;
    int existing = -1;
    CHECK_INT(lg_queue_enqueue(q, a, &existing, "ann", "https://github.com/o/r/blob/main/nb.ipynb",
                               "notebook", LG_PRIO_INTERACTIVE, &err),
              0);
    CHECK_INT(existing, 0);
    CHECK_INT(strspn(a, "0123456789abcdef"), LG_JOB_ID_LEN);
    CHECK_INT(lg_queue_enqueue(q, b, &existing, "ann", "https://github.com/o/r/blob/main/nb.ipynb",
                               "notebook", LG_PRIO_INTERACTIVE, &err),
              0);
    CHECK_INT(existing, 1);
    CHECK_STR(b, a);
    CHECK_INT(lg_queue_enqueue(q, c, &existing, "bob", "https://github.com/o/r/blob/main/nb.ipynb",
                               "notebook", LG_PRIO_INTERACTIVE, &err),
              0);
    CHECK_INT(existing, 0);
    CHECK(strcmp(c, a) != 0);
    CHECK_INT(lg_queue_enqueue(q, c, &existing, "ann", "https://github.com/o/r/blob/main/nb.ipynb", "repo",
                               LG_PRIO_INTERACTIVE, &err),
              0);
    CHECK(strcmp(c, a) != 0);
    check_field(prefix, a, "state", "queued");
    check_field(prefix, a, "user", "ann");
    char *json = lg_queue_job_json(q, a, &err);
    CHECK(json != NULL && strstr(json, "\"state\":\"queued\"") != NULL &&
          strstr(json, "\"attempts\":0") != NULL);
    free(json);
    CHECK(lg_queue_job_json(q, "00000000000000000000000000000000", &err) == NULL);
    CHECK_INT(err.code, LG_ENOTFOUND);
    lg_queue_close(q);
}

static void
test_priorities_and_done(void)
{
    char prefix[32], lo[LG_JOB_ID_LEN + 1], hi[LG_JOB_ID_LEN + 1];
    lg_queue_t *q = open_queue(30000, 5, prefix);
    lg_err_t err;
    int existing;
    CHECK_INT(lg_queue_enqueue(q, lo, &existing, "ann", "L", "notebook", LG_PRIO_BACKGROUND, &err), 0);
    CHECK_INT(lg_queue_enqueue(q, hi, &existing, "ann", "H", "notebook", LG_PRIO_INTERACTIVE, &err), 0);
    lg_job_t job;
    CHECK_INT(lg_queue_take(q, &job, "w1", 100, &err), 1);
    CHECK_STR(job.id, hi);
    CHECK_STR(job.link, "H");
    CHECK_INT(job.attempts, 1);
    CHECK_INT(lg_queue_state(q, &job, "fetching", "{\"objects\":3}", &err), 0);
    CHECK_INT(lg_queue_done(q, &job, "{\"commit\":\"abc\"}", &err), 0);
    check_field(prefix, hi, "state", "ready");
    lg_job_free(&job);
    CHECK_INT(lg_queue_take(q, &job, "w1", 100, &err), 1);
    CHECK_STR(job.id, lo);
    CHECK_INT(lg_queue_done(q, &job, "{}", &err), 0);
    lg_job_free(&job);
    CHECK_INT(lg_queue_take(q, &job, "w1", 100, &err), 0);
    /* the history: queued, fetching (with its data), ready (with the result) */
    char key[128];
    snprintf(key, sizeof(key), "%s:job:{%s}:events", prefix, hi);
    char *n = redis_text("XLEN %s", key, NULL);
    CHECK_STR(n, "3");
    free(n);
    char *json = lg_queue_job_json(q, hi, &err);
    CHECK(json != NULL && strstr(json, "\"result\":{\"commit\":\"abc\"}") != NULL);
    free(json);
    lg_queue_close(q);
}

static void
test_lease_renew_and_reclaim(void)
{
    char prefix[32], id[LG_JOB_ID_LEN + 1];
    lg_queue_t *q = open_queue(300, 5, prefix);
    lg_err_t err;
    int existing;
    CHECK_INT(lg_queue_enqueue(q, id, &existing, "ann", "L", "notebook", LG_PRIO_INTERACTIVE, &err), 0);
    lg_job_t a, b;
    CHECK_INT(lg_queue_take(q, &a, "w1", 100, &err), 1);
    for (int i = 0; i < 4; i++) { /* renewed: nobody else gets it */
        sleep_ms(150);
        CHECK_INT(lg_queue_renew(q, &a, &err), 0);
        CHECK_INT(lg_queue_take(q, &b, "w2", 10, &err), 0);
    }
    sleep_ms(450); /* lapsed: w2 reclaims it, as its second delivery */
    CHECK_INT(lg_queue_take(q, &b, "w2", 10, &err), 1);
    CHECK_STR(b.id, id);
    CHECK_INT(b.attempts, 2);
    /* w1 lost it: it can neither take it back, report on it nor end it */
    CHECK_INT(lg_queue_renew(q, &a, &err), -1);
    CHECK_INT(err.code, LG_ESTATE);
    CHECK_INT(lg_queue_state(q, &a, "materializing", NULL, &err), -1);
    CHECK_INT(lg_queue_done(q, &a, "{\"from\":\"w1\"}", &err), -1);
    CHECK_INT(err.code, LG_ESTATE);
    CHECK_INT(lg_queue_done(q, &b, "{}", &err), 0);
    lg_fail_t what;
    CHECK_INT(lg_queue_fail(q, &b, 0, "late", &what, &err), -1); /* ended: nothing more */
    check_field(prefix, id, "state", "ready");
    check_field(prefix, id, "result", "{}");
    lg_job_free(&a);
    lg_job_free(&b);
    lg_queue_close(q);
}

static void
test_retry_with_backoff_then_dead_letter(void)
{
    char prefix[32], id[LG_JOB_ID_LEN + 1];
    lg_queue_t *q = open_queue(30000, 2, prefix);
    lg_err_t err;
    int existing;
    lg_fail_t what;
    CHECK_INT(lg_queue_enqueue(q, id, &existing, "ann", "L", "notebook", LG_PRIO_INTERACTIVE, &err), 0);
    lg_job_t job;
    CHECK_INT(lg_queue_take(q, &job, "w1", 10, &err), 1);
    CHECK_INT(lg_queue_fail(q, &job, 0, "network down", &what, &err), 0);
    CHECK_INT(what, LG_FAIL_RETRY);
    check_field(prefix, id, "state", "queued");
    check_field(prefix, id, "error", "network down");
    lg_job_free(&job);
    CHECK_INT(lg_queue_take(q, &job, "w1", 10, &err), 0); /* not due yet: 100 ms and up to 50 of jitter */
    sleep_ms(200);
    CHECK_INT(lg_queue_take(q, &job, "w1", 10, &err), 1);
    CHECK_STR(job.id, id);
    CHECK_INT(job.attempts, 2);
    CHECK_INT(lg_queue_fail(q, &job, 0, "network down again", &what, &err), 0);
    CHECK_INT(what, LG_FAIL_DEAD);
    check_field(prefix, id, "state", "failed");
    check_field(prefix, id, "error", "gave up after 2 attempts: network down again");
    lg_job_free(&job);
    char key[64];
    snprintf(key, sizeof(key), "%s:{q}:dead", prefix);
    char *n = redis_text("XLEN %s", key, NULL);
    CHECK_STR(n, "1");
    free(n);
    sleep_ms(400);
    CHECK_INT(lg_queue_take(q, &job, "w1", 10, &err), 0);
    lg_queue_close(q);
}

static void
test_permanent_failure_and_requeue(void)
{
    char prefix[32], id[LG_JOB_ID_LEN + 1], again[LG_JOB_ID_LEN + 1];
    lg_queue_t *q = open_queue(30000, 5, prefix);
    lg_err_t err;
    int existing;
    lg_fail_t what;
    CHECK_INT(lg_queue_enqueue(q, id, &existing, "ann", "L", "notebook", LG_PRIO_INTERACTIVE, &err), 0);
    lg_job_t job;
    CHECK_INT(lg_queue_take(q, &job, "w1", 10, &err), 1);
    CHECK_INT(lg_queue_fail(q, &job, 1, "no such repository", &what, &err), 0);
    CHECK_INT(what, LG_FAIL_FINAL);
    check_field(prefix, id, "state", "failed");
    lg_job_free(&job);
    sleep_ms(200);
    CHECK_INT(lg_queue_take(q, &job, "w1", 10, &err), 0); /* no retry */
    /* asking again after a failure makes a new job, not the failed one */
    CHECK_INT(lg_queue_enqueue(q, again, &existing, "ann", "L", "notebook", LG_PRIO_INTERACTIVE, &err), 0);
    CHECK_INT(existing, 0);
    CHECK(strcmp(again, id) != 0);
    lg_queue_close(q);
}

static void
test_crash_loop_goes_to_dead_letter(void)
{
    char prefix[32], id[LG_JOB_ID_LEN + 1];
    lg_queue_t *q = open_queue(100, 2, prefix);
    lg_err_t err;
    int existing;
    CHECK_INT(lg_queue_enqueue(q, id, &existing, "ann", "L", "notebook", LG_PRIO_INTERACTIVE, &err), 0);
    lg_job_t job;
    for (int i = 1; i <= 2; i++) { /* taken and never finished: the worker died */
        CHECK_INT(lg_queue_take(q, &job, "w1", 10, &err), 1);
        CHECK_INT(job.attempts, i);
        lg_job_free(&job);
        sleep_ms(200);
    }
    CHECK_INT(lg_queue_take(q, &job, "w1", 10, &err), 0);
    check_field(prefix, id, "state", "failed");
    char key[128];
    snprintf(key, sizeof(key), "%s:job:{%s}", prefix, id);
    char *why = redis_text("HGET %s %s", key, "error");
    CHECK(strstr(why, "gave up after 2 attempts") != NULL);
    free(why);
    lg_queue_close(q);
}

static void
test_release_and_many_pending(void)
{
    char prefix[32], id[LG_JOB_ID_LEN + 1];
    lg_queue_t *q = open_queue(1000, 5, prefix);
    lg_err_t err;
    int existing;
    lg_job_t held[12], job;
    /* twelve jobs held and renewed by w1 ... */
    for (int i = 0; i < 12; i++) {
        char link[16];
        snprintf(link, sizeof(link), "L%d", i);
        CHECK_INT(lg_queue_enqueue(q, id, &existing, "ann", link, "notebook", LG_PRIO_INTERACTIVE, &err), 0);
        CHECK_INT(lg_queue_take(q, &held[i], "w1", 10, &err), 1);
    }
    /* ... the newest handed back: w2 takes it at once, past the eleven older pending entries */
    CHECK_INT(lg_queue_release(q, &held[11], &err), 0);
    CHECK_INT(lg_queue_take(q, &job, "w2", 10, &err), 1);
    CHECK_STR(job.id, held[11].id);
    CHECK_INT(job.attempts, 2);
    lg_job_free(&job);
    for (int i = 0; i < 12; i++)
        lg_job_free(&held[i]);
    lg_queue_close(q);
}

/* The end of a job takes the consumer's next one in the same round trip; nothing twice, and a worker
 * that lost its job takes nothing. */
static void
test_done_take(void)
{
    char prefix[32], a[LG_JOB_ID_LEN + 1], b[LG_JOB_ID_LEN + 1];
    lg_queue_t *q = open_queue(300, 5, prefix);
    lg_err_t err;
    int existing;
    lg_job_t job, next, other;
    CHECK_INT(lg_queue_enqueue(q, a, &existing, "ann", "La", "notebook", LG_PRIO_INTERACTIVE, &err), 0);
    CHECK_INT(lg_queue_enqueue(q, b, &existing, "ann", "Lb", "notebook", LG_PRIO_BACKGROUND, &err), 0);
    CHECK_INT(lg_queue_take(q, &job, "w1", 10, &err), 1);
    CHECK_STR(job.id, a);
    CHECK_INT(lg_queue_done_take(q, &job, "{\"n\":1}", &next, &err), 1);
    CHECK_STR(next.id, b);
    CHECK_STR(next.link, "Lb");
    CHECK_INT(next.prio, LG_PRIO_BACKGROUND);
    CHECK_INT(next.attempts, 1);
    check_field(prefix, a, "state", "ready");
    CHECK_INT(lg_queue_done_take(q, &next, "{}", &other, &err), 0); /* nothing left */
    check_field(prefix, b, "state", "ready");
    lg_job_free(&job);
    lg_job_free(&next);

    /* w1's lease lapses and w2 takes the job: w1's done_take changes nothing and takes nothing */
    CHECK_INT(lg_queue_enqueue(q, a, &existing, "ann", "Lc", "notebook", LG_PRIO_INTERACTIVE, &err), 0);
    CHECK_INT(lg_queue_take(q, &job, "w1", 10, &err), 1);
    sleep_ms(350);
    CHECK_INT(lg_queue_take(q, &other, "w2", 10, &err), 1);
    CHECK_STR(other.id, a);
    CHECK_INT(lg_queue_enqueue(q, b, &existing, "ann", "Ld", "notebook", LG_PRIO_INTERACTIVE, &err), 0);
    CHECK_INT(lg_queue_done_take(q, &job, "{}", &next, &err), -1);
    CHECK_INT(err.code, LG_ESTATE);
    check_field(prefix, a, "state", "queued");
    CHECK_INT(lg_queue_take(q, &next, "w3", 10, &err), 1); /* the new job is still there for others */
    CHECK_STR(next.id, b);
    lg_job_free(&job);
    lg_job_free(&other);
    lg_job_free(&next);
    lg_queue_close(q);
}

/* Scripts run by SHA-1; when Redis forgot them (SCRIPT FLUSH) they are sent whole, and work the same. */
static void
test_scripts_survive_flush(void)
{
    char prefix[32], id[LG_JOB_ID_LEN + 1];
    lg_queue_t *q = open_queue(1000, 5, prefix);
    lg_err_t err;
    int existing;
    lg_job_t job;
    CHECK_INT(lg_queue_enqueue(q, id, &existing, "ann", "L1", "notebook", LG_PRIO_INTERACTIVE, &err), 0);
    free(redis_text("SCRIPT %s%s", "FLUSH", ""));
    CHECK_INT(lg_queue_take(q, &job, "w1", 10, &err), 1);
    CHECK_STR(job.id, id);
    free(redis_text("SCRIPT %s%s", "FLUSH", ""));
    CHECK_MSG(lg_queue_done(q, &job, "{}", &err) == 0, "%s", err.msg);
    check_field(prefix, id, "state", "ready");
    lg_job_free(&job);
    lg_queue_close(q);
}

/* The queue's depth by priority and state, retries, dead letters and live workers. */
static void
test_status(void)
{
    char prefix[32], id[LG_JOB_ID_LEN + 1];
    lg_queue_t *q = open_queue(1000, 1, prefix);
    lg_err_t err;
    int existing;
    lg_job_t job;
    lg_queue_status_t st;
    lg_fail_t what;
    CHECK_INT(lg_queue_status(q, &st, &err), 0); /* nothing yet: no stream, no group */
    CHECK_INT(st.waiting[0] + st.waiting[1] + st.running[0] + st.running[1] + st.workers, 0);
    for (int i = 0; i < 3; i++) {
        char link[8];
        snprintf(link, sizeof(link), "L%d", i);
        CHECK_INT(lg_queue_enqueue(q, id, &existing, "ann", link, "notebook",
                                   i == 2 ? LG_PRIO_BACKGROUND : LG_PRIO_INTERACTIVE, &err),
                  0);
    }
    CHECK_INT(lg_queue_take(q, &job, "w1", 10, &err), 1);
    CHECK_INT(lg_queue_heartbeat(q, "w1", 200, &err), 0);
    CHECK_INT(lg_queue_status(q, &st, &err), 0);
    CHECK_INT(st.waiting[LG_PRIO_INTERACTIVE], 1);
    CHECK_INT(st.running[LG_PRIO_INTERACTIVE], 1);
    CHECK_INT(st.waiting[LG_PRIO_BACKGROUND], 1);
    CHECK_INT(st.workers, 1);
    CHECK_INT(lg_queue_fail(q, &job, 0, "boom", &what, &err), 0); /* max_attempts 1: dead at once */
    CHECK_INT(what, LG_FAIL_DEAD);
    lg_job_free(&job);
    sleep_ms(250); /* the heartbeat lapses */
    CHECK_INT(lg_queue_status(q, &st, &err), 0);
    CHECK_INT(st.running[LG_PRIO_INTERACTIVE], 0);
    CHECK_INT(st.dead, 1);
    CHECK_INT(st.workers, 0);
    lg_queue_close(q);
}

static void
test_bad_redis(void)
{
    lg_queue_t *q = NULL;
    lg_err_t err;
    lg_queue_opts_t o = {.redis = "redis://127.0.0.1:1",
                         .prefix = "x",
                         .dedup_window_ms = 1,
                         .lease_ms = 1,
                         .max_attempts = 1,
                         .retry_base_ms = 1};
    CHECK_INT(lg_queue_open(&q, &o, &err), -1);
    CHECK_INT(err.code, LG_EIO);
    o.redis = "http://127.0.0.1:6379";
    CHECK_INT(lg_queue_open(&q, &o, &err), -1);
    CHECK_INT(err.code, LG_EINVAL);
}

int
main(void)
{
    redis_url = lg_test_redis_start();
    RUN(test_enqueue_and_dedup);
    RUN(test_priorities_and_done);
    RUN(test_lease_renew_and_reclaim);
    RUN(test_retry_with_backoff_then_dead_letter);
    RUN(test_permanent_failure_and_requeue);
    RUN(test_crash_loop_goes_to_dead_letter);
    RUN(test_release_and_many_pending);
    RUN(test_done_take);
    RUN(test_scripts_survive_flush);
    RUN(test_status);
    RUN(test_bad_redis);
    return check_report();
}
