/* worker.h - `labgate worker`: worker_concurrency threads, each with its own Redis connection, taking
 * import jobs from the queue and carrying them out, plus one thread that renews their leases and marks
 * the worker alive. SIGTERM or SIGINT: no new jobs, the running ones finish, then it exits; a second
 * signal exits at once (the jobs' leases lapse and another worker takes them). Redis going away is
 * waited out with backoff. */
#ifndef LG_WORKER_H
#define LG_WORKER_H

#include "core/config.h"

/* Runs until stopped; 0 on a clean stop, -1 when it could not start (printed). */
int lg_worker_run(const lg_config_t *cfg);

#endif
