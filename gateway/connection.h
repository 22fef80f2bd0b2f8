/* connection.h - the client connections of a thread: accepting them (within max_connections),
 * counting them, and cutting one whose client stalls. */
#ifndef LG_CONNECTION_H
#define LG_CONNECTION_H

#include "gateway/server.h"

/* The listener's connection callback (listener->data is the lg_thread_t). */
void lg_connection_accept(uv_stream_t *listener, int status);

/* Cuts the TCP connection that carries sock with shutdown(2) in both directions: h2o sees the end on
 * its next read and tears the connection and its requests down through its own paths. Returns 0, or
 * -1 when sock is not one of this thread's connections. */
int lg_connection_cut(lg_thread_t *t, h2o_socket_t *sock);

#endif
