/* sse.h - a job's Server-Sent Events stream: the job's history first (after Last-Event-ID when the
 * client resumes), then every new event as the hub delivers it, each as "id: ENTRY", "event: state",
 * "data: JSON"; the stream ends after ready or failed. While Redis is unreachable the client is told so
 * ("event: unavailable") and kept; when it is back, what was missed is read from the history. */
#ifndef LG_SSE_H
#define LG_SSE_H

#include "gateway/hub.h"
#include "gateway/request.h"

typedef struct lg_sse lg_sse_t;

/* Answers r with the event stream of job (whose owner was checked), replaying its history after
 * `after` (a history entry id, or "" for all of it). When the job had ended (ended: its record, read
 * before the history, says ready or failed), the stream ends after that replay even if the client
 * already had the last event. */
void lg_sse_start(lg_request_t *r, const char *job, const char *after, int ended);

/* The text of one event: "id: ENTRY" (when entry is given), "event: TYPE", "data: JSON". */
void lg_sse_frame(lg_buf_t *out, const char *entry, const char *type, const char *json);

/* From the thread's watch registry. */
void lg_sse_event(lg_sse_t *s, const lg_hub_msg_t *m);
void lg_sse_down(lg_sse_t *s);
void lg_sse_up(lg_sse_t *s);
/* The thread's own Redis connection is back: a stream that could not read its history tries again. */
void lg_sse_retry(lg_sse_t *s);
void lg_sse_end(lg_sse_t *s);
/* Sends what a batch of events left pending (see lg_watch_defer). */
void lg_sse_flush(lg_sse_t *s);

#endif
