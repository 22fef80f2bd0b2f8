/* hub.h - the gateway's one link to the queue's events: a thread of its own holds one Redis
 * subscription to PREFIX:events and hands every event to each gateway thread (watch.h), which fans it
 * out to its own event-stream clients. The same thread polls the queue's depth and live workers once a
 * second for /readyz and /metrics, and counts jobs by state and their durations from the events. */
#ifndef LG_HUB_H
#define LG_HUB_H

#include "core/buf.h"
#include "core/queue.h"

#include <stdatomic.h>
#include <stddef.h>

typedef struct lg_hub lg_hub_t;
struct lg_watch;

typedef enum {
    LG_HUB_EVENT, /* a job's event */
    LG_HUB_DOWN,  /* the subscription was lost: events may be missed until LG_HUB_UP */
    LG_HUB_UP,    /* subscribed (again): whatever was missed is in the jobs' histories */
} lg_hub_kind_t;

/* One message, shared by every thread it is handed to (refcounted). */
typedef struct {
    atomic_int refs;
    lg_hub_kind_t kind;
    int final; /* the job ended (ready or failed) */
    char job[LG_JOB_ID_LEN + 1];
    char entry[LG_ENTRY_ID_MAX]; /* its id in the job's history */
    size_t len;
    const char *frame; /* the event as a stream sends it (sse.h), made once for every stream */
    size_t frame_len;
    char json[]; /* the event, NUL-terminated; the frame follows it */
} lg_hub_msg_t;

void lg_hub_msg_release(lg_hub_msg_t *m);

/* Starts the hub's thread; watches[n] are the gateway threads' receivers. */
lg_hub_t *lg_hub_start(const lg_queue_opts_t *opts, struct lg_watch **watches, size_t n);
/* Stops the thread and frees the hub. */
void lg_hub_stop(lg_hub_t *hub);

/* What /readyz says: 1 when Redis answered within the last few seconds and a worker is alive; else 0
 * and why (for people). */
int lg_hub_ready(lg_hub_t *hub, const char **why);

/* Appends the queue's metrics in Prometheus text format. */
void lg_hub_metrics(lg_hub_t *hub, lg_buf_t *out);

#endif
