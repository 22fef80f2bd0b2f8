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

/* Checks that nothing else listens on addr by binding it without SO_REUSEPORT, then lets go. With
 * port 0 it picks the free port the real sockets then share, stored in *port. Returns 0, or -1 with
 * err filled ("address in use" when another process serves it). */
int lg_listener_probe(const lg_listen_t *addr, uint16_t *port, lg_err_t *err);

/* 1 when addr is a loopback address (127.0.0.0/8, ::1) or the name localhost. */
int lg_listener_is_loopback(const lg_listen_t *addr);

#endif
