/* job.c - one queued import carried out; see job.h. */
#include "worker/job.h"

#include "core/buf.h"
#include "core/ghlink.h"
#include "core/log.h"
#include "core/username.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    lg_queue_t *q;
    const lg_job_t *job;
    lg_progress_stage_t stage; /* the last stage reported */
    int started;               /* a stage was reported */
    struct timespec last;
} progress_t;

/* States follow the importer's stages; fetching progress at most every 250 ms. */
static void
on_progress(void *ctx, const lg_import_progress_t *p)
{
    progress_t *pr = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - pr->last.tv_sec) * 1000 + (now.tv_nsec - pr->last.tv_nsec) / 1000000;
    int new_stage = !pr->started || p->stage != pr->stage;
    if (!new_stage && ms < 250)
        return;
    pr->started = 1;
    pr->stage = p->stage;
    pr->last = now;
    lg_buf_t data = LG_BUF_INIT;
    if (p->stage == LG_PROGRESS_FETCH)
        lg_buf_printf(&data, "{\"objects\":%llu,\"total_objects\":%llu,\"bytes\":%llu}",
                      (unsigned long long)p->objects, (unsigned long long)p->total_objects,
                      (unsigned long long)p->bytes);
    else
        lg_buf_printf(&data, "{\"files\":%llu,\"total_files\":%llu}", (unsigned long long)p->files,
                      (unsigned long long)p->total_files);
    lg_err_t ignored; /* progress is best effort: the job's end is what must reach Redis */
    const char *state = p->stage == LG_PROGRESS_FETCH ? "fetching" : "materializing";
    lg_queue_state(pr->q, pr->job, state, data.data, &ignored);
    lg_buf_free(&data);
}

/* Failures that trying again will not fix. */
static int
permanent(lg_errcode_t code)
{
    return code == LG_ENOTFOUND || code == LG_ETOOBIG || code == LG_EINVAL || code == LG_ESTATE;
}

static int
fail(lg_queue_t *q, const lg_job_t *job, int is_permanent, const char *message, lg_err_t *err)
{
    lg_fail_t what;
    if (lg_queue_fail(q, job, is_permanent, message, &what, err) != 0)
        return -1;
    static const char *const names[] = {
        [LG_FAIL_RETRY] = "retry", [LG_FAIL_FINAL] = "failed", [LG_FAIL_DEAD] = "dead_letter"};
    lg_log(LG_LOG_INFO, job->id, "job_failed", LG_S("outcome", names[what]), LG_I("attempt", job->attempts),
           LG_S("error", message));
    return 0;
}

int
lg_job_run(lg_queue_t *q, const lg_job_t *job, const lg_import_opts_t *opts, lg_job_t *next, lg_err_t *err)
{
    lg_ghlink_t link;
    lg_err_t why;
    int mode = lg_import_mode_parse(job->mode);
    const char *bad_user = lg_username_check(job->user, strlen(job->user));
    if (bad_user != NULL || mode < 0)
        return fail(q, job, 1, bad_user ? "the user name is not acceptable" : "unknown import mode", err);
    if (lg_ghlink_parse_url(&link, job->link, strlen(job->link), &why) != 0)
        return fail(q, job, 1, why.msg, err);
    if (lg_queue_state(q, job, "resolving", NULL, err) != 0) {
        lg_ghlink_free(&link);
        return -1;
    }
    progress_t pr = {.q = q, .job = job};
    lg_import_spec_t spec = {.link = &link, .user = job->user, .mode = mode, .log_id = job->id};
    lg_import_result_t result;
    int rc = lg_import_run(&result, opts, &spec, on_progress, &pr, &why);
    lg_ghlink_free(&link);
    if (rc != 0)
        return fail(q, job, permanent(why.code), why.msg, err);
    char *json = lg_import_result_json(&result);
    lg_import_result_free(&result);
    rc = lg_queue_state(q, job, "starting", "{\"message\":\"no runtime configured\"}", err);
    if (rc == 0)
        rc = lg_queue_done_take(q, job, json, next, err);
    if (rc >= 0)
        lg_log(LG_LOG_INFO, job->id, "job_ready", LG_S("user", job->user), LG_S("link", job->link),
               LG_I("attempt", job->attempts));
    free(json);
    return rc;
}
