/* watch.c - see watch.h. */
#include "watch.h"

#include "core/hash.h"
#include "core/mem.h"
#include "gateway/sse.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 1024

typedef struct node {
    struct node *next;
    lg_hub_msg_t *msg;
} node_t;

struct lg_watch {
    lg_thread_t *thread;
    uv_async_t wake;
    pthread_mutex_t lock;
    node_t *head, **tail; /* under lock */
    h2o_linklist_t buckets[NBUCKETS];
    size_t count;
    int batching;         /* delivering the queued messages */
    h2o_linklist_t dirty; /* lg_watcher_t.dirty of streams to flush after the batch */
};

static h2o_linklist_t *
bucket(lg_watch_t *w, const char *job)
{
    return &w->buckets[lg_hash64(job, LG_JOB_ID_LEN) % NBUCKETS];
}

static void
each(lg_watch_t *w, void (*fn)(lg_sse_t *s))
{
    for (size_t b = 0; b < NBUCKETS; b++)
        for (h2o_linklist_t *l = w->buckets[b].next, *next; l != &w->buckets[b]; l = next) {
            next = l->next; /* the stream may leave the list */
            fn(H2O_STRUCT_FROM_MEMBER(lg_watcher_t, link, l)->sse);
        }
}

/* Every stream of job gets m; LG_HUB_DOWN and LG_HUB_UP go to all streams. */
static void
deliver(lg_watch_t *w, const lg_hub_msg_t *m)
{
    if (m->kind == LG_HUB_DOWN) {
        each(w, lg_sse_down);
        return;
    }
    if (m->kind == LG_HUB_UP) {
        each(w, lg_sse_up);
        return;
    }
    h2o_linklist_t *anchor = bucket(w, m->job);
    for (h2o_linklist_t *l = anchor->next, *next; l != anchor; l = next) {
        next = l->next; /* the stream may leave the list (its job ended) */
        lg_watcher_t *e = H2O_STRUCT_FROM_MEMBER(lg_watcher_t, link, l);
        if (memcmp(e->job, m->job, LG_JOB_ID_LEN) == 0)
            lg_sse_event(e->sse, m);
    }
}

/* Delivers every queued message, then flushes each stream they touched once. */
static void
on_wake(uv_async_t *async)
{
    lg_watch_t *w = async->data;
    pthread_mutex_lock(&w->lock);
    node_t *n = w->head;
    w->head = NULL;
    w->tail = &w->head;
    pthread_mutex_unlock(&w->lock);
    w->batching = 1;
    while (n != NULL) {
        node_t *next = n->next;
        deliver(w, n->msg);
        lg_hub_msg_release(n->msg);
        free(n);
        n = next;
    }
    w->batching = 0;
    while (!h2o_linklist_is_empty(&w->dirty)) {
        lg_watcher_t *e = H2O_STRUCT_FROM_MEMBER(lg_watcher_t, dirty, w->dirty.next);
        h2o_linklist_unlink(&e->dirty);
        lg_sse_flush(e->sse);
    }
}

int
lg_watch_defer(lg_watch_t *w, lg_watcher_t *entry)
{
    if (!w->batching)
        return 0;
    if (!h2o_linklist_is_linked(&entry->dirty))
        h2o_linklist_insert(&w->dirty, &entry->dirty);
    return 1;
}

lg_watch_t *
lg_watch_new(lg_thread_t *t)
{
    lg_watch_t *w = lg_xcalloc(1, sizeof(*w));
    w->thread = t;
    pthread_mutex_init(&w->lock, NULL);
    w->tail = &w->head;
    for (size_t b = 0; b < NBUCKETS; b++)
        h2o_linklist_init_anchor(&w->buckets[b]);
    h2o_linklist_init_anchor(&w->dirty);
    uv_async_init(&t->loop, &w->wake, on_wake);
    w->wake.data = w;
    return w;
}

void
lg_watch_push(lg_watch_t *w, lg_hub_msg_t *m)
{
    node_t *n = lg_xmalloc(sizeof(*n));
    n->next = NULL;
    n->msg = m;
    pthread_mutex_lock(&w->lock);
    *w->tail = n;
    w->tail = &n->next;
    pthread_mutex_unlock(&w->lock);
    uv_async_send(&w->wake);
}

void
lg_watch_add(lg_watch_t *w, lg_watcher_t *entry)
{
    h2o_linklist_insert(bucket(w, entry->job), &entry->link);
    w->count++;
}

void
lg_watch_remove(lg_watch_t *w, lg_watcher_t *entry)
{
    if (h2o_linklist_is_linked(&entry->dirty))
        h2o_linklist_unlink(&entry->dirty);
    if (!h2o_linklist_is_linked(&entry->link))
        return;
    h2o_linklist_unlink(&entry->link);
    w->count--;
}

void
lg_watch_retry(lg_watch_t *w)
{
    each(w, lg_sse_retry);
}

void
lg_watch_end_all(lg_watch_t *w)
{
    each(w, lg_sse_end);
}

size_t
lg_watch_count(const lg_watch_t *w)
{
    return w->count;
}
