/* jobs.c - see jobs.h. */
#include "jobs.h"

#include "core/log.h"
#include "core/mem.h"
#include "core/queue_cmd.h"
#include "gateway/redis_link.h"
#include "gateway/respond.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    lg_await_t await; /* first */
    char user[LG_USERNAME_MAX + 1];
    char id[LG_JOB_ID_LEN + 1];
    void (*enqueued)(lg_request_t *r, const char *id, int existing);
    void (*read)(lg_request_t *r, const redisReply *record);
} op_t;

void
lg_jobs_unavailable(lg_request_t *r)
{
    lg_respond_header(r, "retry-after", LG_RETRY_AFTER_S);
    lg_respond_error(r, 503, "queue_unavailable",
                     "The import queue cannot be reached right now, so nothing was queued. Try again in a "
                     "few seconds.");
}

int
lg_jobs_id_ok(const char *id, size_t len)
{
    if (len != LG_JOB_ID_LEN)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
            return 0;
    return 1;
}

void
lg_jobs_not_found(lg_request_t *r)
{
    lg_respond_error(r, 404, "job_not_found",
                     "There is no such job for you: the link may be mistyped, the job may belong to someone "
                     "else, or it ended more than a week ago.");
}

/* Hands the operation back to its request, or drops it when the request is gone. */
static lg_request_t *
resume(op_t *op, const char *error)
{
    lg_request_t *r = lg_request_resume(&op->await);
    if (r != NULL && error != NULL) {
        lg_log(LG_LOG_WARN, r->id, "queue_failed", LG_S("why", error));
        lg_jobs_unavailable(r);
        return NULL;
    }
    return r;
}

static void
on_enqueued(void *data, redisReply *reply, const char *error)
{
    op_t *op = data;
    lg_request_t *r = resume(op, error);
    char id[LG_JOB_ID_LEN + 1];
    int existing = 0;
    lg_err_t err;
    if (r != NULL) {
        if (lg_qreply_enqueue(reply, id, &existing, &err) == 0)
            op->enqueued(r, id, existing);
        else {
            lg_log(LG_LOG_ERROR, r->id, "enqueue_failed", LG_S("why", err.msg));
            lg_jobs_unavailable(r);
        }
    }
    free(op);
}

/* Sends c for r with op as the callback's data; answers 503 itself when the link is down. */
static void
send_op(lg_request_t *r, op_t *op, lg_qcmd_t *c, lg_redis_reply_fn fn)
{
    lg_request_await(r, &op->await);
    if (lg_redis_send(r->thread->redis, c, fn, op) != 0) {
        lg_request_resume(&op->await);
        free(op);
        lg_jobs_unavailable(r);
    }
}

void
lg_jobs_enqueue(lg_request_t *r, const char *user, const char *link, const char *mode, lg_prio_t prio,
                const char *delivery, void (*done)(lg_request_t *r, const char *id, int existing))
{
    op_t *op = lg_xcalloc(1, sizeof(*op));
    op->enqueued = done;
    lg_qcmd_t c = {0};
    lg_qcmd_enqueue(&c, &r->thread->server->qopts, user, link, mode, prio, delivery);
    send_op(r, op, &c, on_enqueued);
}

static void
on_read(void *data, redisReply *reply, const char *error)
{
    op_t *op = data;
    lg_request_t *r = resume(op, error);
    if (r != NULL) {
        const char *owner = lg_qreply_field(reply, "user");
        if (owner == NULL || strcmp(owner, op->user) != 0)
            lg_jobs_not_found(r);
        else
            op->read(r, reply);
    }
    free(op);
}

void
lg_jobs_read(lg_request_t *r, const char *user, const char *id,
             void (*done)(lg_request_t *r, const redisReply *record))
{
    if (!lg_jobs_id_ok(id, strlen(id))) {
        lg_jobs_not_found(r);
        return;
    }
    op_t *op = lg_xcalloc(1, sizeof(*op));
    snprintf(op->user, sizeof(op->user), "%s", user);
    memcpy(op->id, id, LG_JOB_ID_LEN + 1);
    op->read = done;
    lg_qcmd_t c = {0};
    lg_qcmd_job(&c, &r->thread->server->qopts, id);
    send_op(r, op, &c, on_read);
}
