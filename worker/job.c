/* job.c - one queued import carried out; see job.h. */
#include "worker/job.h"

#include "core/buf.h"
#include "core/ghlink.h"
#include "core/log.h"
#include "core/username.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* What the starting state says. */
static const char *
rt_message(const lg_runtime_t *rt)
{
    switch (lg_runtime_kind(rt)) {
    case LG_RUNTIME_LOCAL:
        return "{\"runtime\":\"local\",\"message\":\"starting your Jupyter server\"}";
    case LG_RUNTIME_JUPYTERHUB:
        return "{\"runtime\":\"jupyterhub\",\"message\":\"starting your Jupyter server on JupyterHub\"}";
    default:
        return "{\"runtime\":\"none\",\"message\":\"no runtime configured\"}";
    }
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

/* How the import's open_path opens: a folder, a notebook, or another file. */
static lg_open_kind_t
open_kind(const lg_import_result_t *r)
{
    lg_buf_t path = LG_BUF_INIT;
    lg_buf_printf(&path, "%s/%s", r->project_dir, r->open_path);
    struct stat st;
    int dir = stat(path.data, &st) == 0 && S_ISDIR(st.st_mode);
    lg_buf_free(&path);
    size_t n = strlen(r->open_path);
    return dir                                                    ? LG_OPEN_FOLDER
           : n > 6 && strcmp(r->open_path + n - 6, ".ipynb") == 0 ? LG_OPEN_NOTEBOOK
                                                                  : LG_OPEN_FILE;
}

/* The result as the job's end carries it: the import's, and the address that opens it. */
static char *
result_with_url(const lg_import_result_t *r, const char *url)
{
    char *json = lg_import_result_json(r);
    if (url == NULL)
        return json;
    json_t *doc = json_loads(json, 0, NULL);
    free(json);
    json_object_set_new(doc, "url", json_string(url));
    json = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return json;
}

/* The starting step: the user's Jupyter, opened at what was imported. A server that cannot start fails
 * the job (the files stay, and the message says so). */
static int
start_runtime(lg_queue_t *q, const lg_job_t *job, lg_runtime_t *rt, const lg_import_result_t *r, char **url,
              int *failed, lg_err_t *err)
{
    *failed = 0;
    *url = NULL;
    if (lg_queue_state(q, job, "starting", rt_message(rt), err) != 0)
        return -1;
    lg_err_t why;
    if (lg_runtime_open(rt, job->user, r->open_path, open_kind(r), url, &why) == 0)
        return 0;
    *failed = 1;
    lg_buf_t text = LG_BUF_INIT;
    lg_buf_printf(&text, "Your files were imported into %s, but %s.", r->open_path, why.msg);
    int rc = fail(q, job, 1, text.data, err);
    lg_buf_free(&text);
    return rc;
}

/* A job of a webhook on a repository's mirror: refresh (a push) or forget (renamed, moved, deleted). */
static int
run_mirror_job(lg_queue_t *q, const lg_job_t *job, const lg_import_opts_t *opts, lg_job_t *next,
               lg_err_t *err)
{
    lg_ghlink_t link;
    lg_err_t why;
    if (lg_ghlink_parse_url(&link, job->link, strlen(job->link), &why) != 0)
        return fail(q, job, 1, why.msg, err);
    int forget = strcmp(job->mode, "forget") == 0, fetched = 0;
    int rc = lg_queue_state(q, job, forget ? "materializing" : "fetching", NULL, err);
    if (rc == 0) {
        rc = forget ? lg_import_forget(opts, &link, &why)
                    : lg_import_refresh(opts, &link, &fetched, job->id, &why);
        if (rc != 0)
            rc = fail(q, job, why.code != LG_EIO && why.code != LG_ETIMEOUT, why.msg, err);
        else {
            char result[96];
            snprintf(result, sizeof(result), "{\"mirror\":\"%s\"}",
                     forget    ? "dropped"
                     : fetched ? "refreshed"
                               : "not mirrored here");
            rc = lg_queue_done_take(q, job, result, next, err);
            if (rc >= 0)
                lg_log(LG_LOG_INFO, job->id, "mirror_job_done", LG_S("link", job->link),
                       LG_S("mode", job->mode), LG_S("result", result));
        }
    }
    lg_ghlink_free(&link);
    return rc;
}

int
lg_job_run(lg_queue_t *q, const lg_job_t *job, const lg_import_opts_t *opts, lg_runtime_t *rt, lg_job_t *next,
           lg_err_t *err)
{
    lg_ghlink_t link;
    lg_err_t why;
    if (strcmp(job->mode, "refresh") == 0 || strcmp(job->mode, "forget") == 0)
        return run_mirror_job(q, job, opts, next, err);
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
    char *url = NULL;
    int failed = 0;
    rc = start_runtime(q, job, rt, &result, &url, &failed, err);
    if (rc == 0 && !failed) {
        char *json = result_with_url(&result, url);
        rc = lg_queue_done_take(q, job, json, next, err);
        free(json);
        if (rc >= 0)
            lg_log(LG_LOG_INFO, job->id, "job_ready", LG_S("user", job->user), LG_S("link", job->link),
                   LG_I("attempt", job->attempts));
    }
    free(url);
    lg_import_result_free(&result);
    return rc;
}
