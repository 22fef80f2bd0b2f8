/* deadline.h - response deadlines: once a second each thread looks at its requests in flight and cuts
 * the connection of any that has taken longer than response_timeout, so a client that stops reading
 * (or never opens its HTTP/2 flow-control window) cannot hold memory and streams forever. */
#ifndef LG_DEADLINE_H
#define LG_DEADLINE_H

#include "gateway/server.h"

/* Starts the thread's deadline timer; it stops with the loop. */
void lg_deadline_start(lg_thread_t *t);

#endif
