/* jobs.h - what the routes ask of the queue, without blocking the thread: enqueue an import, read a
 * job for its owner. Answers come back on the request's thread; a request that went away meanwhile
 * gets nothing. When Redis cannot be reached the helpers answer 503 with Retry-After themselves. */
#ifndef LG_JOBS_H
#define LG_JOBS_H

#include "core/queue.h"
#include "gateway/request.h"

#include <hiredis.h>

#define LG_RETRY_AFTER_S "5"

/* Queues the job of user (an import of link, a canonical GitHub URL, in mode) at prio; delivery, when
 * not NULL, is a webhook delivery's id, recorded with the job. done gets the job's id and whether it
 * existed (see lg_qreply_enqueue: 1 the same job queued a moment ago, 2 the delivery was seen before). */
void lg_jobs_enqueue(lg_request_t *r, const char *user, const char *link, const char *mode, lg_prio_t prio,
                     const char *delivery, void (*done)(lg_request_t *r, const char *id, int existing));

/* Reads job id for user: done gets its record (lg_qreply_field, lg_qreply_job_json) when it is user's;
 * a job that does not exist or is someone else's gets 404, the same answer for both. */
void lg_jobs_read(lg_request_t *r, const char *user, const char *id,
                  void (*done)(lg_request_t *r, const redisReply *record));

/* 1 when id is the form of a job id (32 lower-case hex digits). */
int lg_jobs_id_ok(const char *id, size_t len);

/* 404: no such job for this user (the same answer for someone else's job). */
void lg_jobs_not_found(lg_request_t *r);

/* 503 with Retry-After: the queue cannot be reached. */
void lg_jobs_unavailable(lg_request_t *r);

#endif
