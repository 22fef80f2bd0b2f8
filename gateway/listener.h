/* listener.h - listening TCP sockets with SO_REUSEPORT, one per thread and address. */
#ifndef LG_LISTENER_H
#define LG_LISTENER_H

#include "core/config.h"
#include "core/err.h"

#include <stdint.h>

/* Opens a non-blocking socket bound to addr (with `port` overriding addr->port when non-zero), with
 * SO_REUSEPORT and SO_REUSEADDR, and listening. Returns the descriptor and stores the bound port in
 * *bound_port, or returns -1 with err filled. */
int lg_listener_open(const lg_listen_t *addr, uint16_t port, uint16_t *bound_port, lg_err_t *err);

#endif
