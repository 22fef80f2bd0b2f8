/* job.h - one queued import carried out: the link parsed and checked, the importer run with its
 * progress reported as job states (resolving, fetching, materializing), the user's Jupyter started
 * (starting), and the job ended as ready (with the URL that opens the import), retried (transient
 * failures) or failed (permanent ones). */
#ifndef LG_WORKER_JOB_H
#define LG_WORKER_JOB_H

#include "core/queue.h"
#include "importer/importer.h"
#include "runtime/runtime.h"

/* Runs job on q (the calling thread's connection). Returns 0 when the job was ended one way or another,
 * 1 when it ended ready and the same round trip took the consumer's next job into next (release it with
 * lg_job_free), -1 when Redis failed under it (the job is then left to its lease and taken again) or the
 * job was lost to another worker (err LG_ESTATE: nothing more to do). */
int lg_job_run(lg_queue_t *q, const lg_job_t *job, const lg_import_opts_t *opts, lg_runtime_t *rt,
               lg_job_t *next, lg_err_t *err);

#endif
