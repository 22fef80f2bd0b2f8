/* queue_cmd.h - the queue's Redis commands, built and read without a connection, so that the blocking
 * queue (queue.c) and the gateway's asynchronous client send the very same commands and read the very
 * same answers. Keys and scripts: queue.c and queue_scripts.c. */
#ifndef LG_QUEUE_CMD_H
#define LG_QUEUE_CMD_H

#include "buf.h"
#include "err.h"
#include "queue.h"

#include <hiredis.h>
#include <stddef.h>

#define LG_QCMD_MAX 32

/* One command: argc arguments, owned. */
typedef struct {
    int argc;
    char *argv[LG_QCMD_MAX];
    size_t lens[LG_QCMD_MAX];
} lg_qcmd_t;

void lg_qcmd_free(lg_qcmd_t *c);
/* out becomes a copy of c (out was empty). */
void lg_qcmd_copy(lg_qcmd_t *out, const lg_qcmd_t *c);

/* PREFIX:job:{ID}, PREFIX:job:{ID}:events and the like: prefix, ':', then fmt with arg (malloc'd). */
char *lg_qkey(const char *prefix, const char *fmt, const char *arg);

/* The wall clock in milliseconds since the epoch: the queue's timestamps (created_ms, at, due times). */
int64_t lg_queue_now_ms(void);

/* A fresh job id: 128 random bits in hex. */
void lg_queue_new_id(char id[LG_JOB_ID_LEN + 1]);

/* Queues an import (see lg_queue_enqueue); the answer is read by lg_qreply_enqueue. */
void lg_qcmd_enqueue(lg_qcmd_t *c, const lg_queue_opts_t *o, const char *user, const char *link,
                     const char *mode, lg_prio_t prio, const char *delivery);
/* *existing: 0 a new job, 1 the same one queued a moment ago, 2 the delivery was seen before (id is
 * the job it queued). */
int lg_qreply_enqueue(const redisReply *r, char id[LG_JOB_ID_LEN + 1], int *existing, lg_err_t *err);

/* The job's record (HGETALL); read by lg_qreply_job_json and lg_qreply_field. */
void lg_qcmd_job(lg_qcmd_t *c, const lg_queue_opts_t *o, const char *id);
/* The record as a JSON object (malloc'd), or NULL with LG_ENOTFOUND when there is no such job. */
char *lg_qreply_job_json(const redisReply *r, lg_err_t *err);
/* One field of the record, borrowed from r; NULL when absent. */
const char *lg_qreply_field(const redisReply *r, const char *name);

/* The job's history after event `after` (a history entry id, or "" for all of it), oldest first. */
void lg_qcmd_history(lg_qcmd_t *c, const lg_queue_opts_t *o, const char *id, const char *after);
/* Calls each(ctx, entry, state, event JSON) for every event of a history answer; returns how many. */
size_t lg_qreply_history(const redisReply *r,
                         void (*each)(void *ctx, const char *entry, const char *state, const char *json),
                         void *ctx);

/* The queue's depth and live workers, in one round trip. */
void lg_qcmd_status(lg_qcmd_t *c, const lg_queue_opts_t *o);
int lg_qreply_status(const redisReply *r, lg_queue_status_t *out, lg_err_t *err);

#endif
