/* watch.h - a gateway thread's event-stream clients, by job: the hub hands every job event to each
 * thread (from its own thread: lg_watch_push is the only call that crosses threads), and the thread
 * passes it to the clients watching that job. */
#ifndef LG_WATCH_H
#define LG_WATCH_H

#include "core/queue.h"
#include "gateway/hub.h"
#include "gateway/server.h"

struct lg_sse;

/* A client's place in the registry; embedded in the stream. */
typedef struct {
    h2o_linklist_t link;
    h2o_linklist_t dirty; /* in the batch being delivered, with data to send once it is done */
    char job[LG_JOB_ID_LEN + 1];
    struct lg_sse *sse;
} lg_watcher_t;

typedef struct lg_watch lg_watch_t;

/* The receiver of thread t, on t's loop. */
lg_watch_t *lg_watch_new(lg_thread_t *t);
/* From any thread: queues m (a reference the receiver releases) and wakes the receiver's loop. */
void lg_watch_push(lg_watch_t *w, lg_hub_msg_t *m);

void lg_watch_add(lg_watch_t *w, lg_watcher_t *entry);
void lg_watch_remove(lg_watch_t *w, lg_watcher_t *entry);
/* While the thread delivers a batch of events: 1, and entry's stream is flushed once the batch is done
 * (one write for all of the batch's events); otherwise 0, and the stream sends now. */
int lg_watch_defer(lg_watch_t *w, lg_watcher_t *entry);
/* The thread's Redis connection is back: streams that missed events read them now. */
void lg_watch_retry(lg_watch_t *w);
/* Ends every stream (the gateway is stopping). */
void lg_watch_end_all(lg_watch_t *w);
/* Streams open on this thread. */
size_t lg_watch_count(const lg_watch_t *w);

#endif
