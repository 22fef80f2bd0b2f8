/* gateway.h - the HTTP gateway: serves badges, import links, pages, the JSON API, health and metrics
 * over HTTP/1.1, HTTP/2 cleartext and HTTP/2 over TLS. */
#ifndef LG_GATEWAY_H
#define LG_GATEWAY_H

#include "core/config.h"
#include "core/err.h"

/* Runs the gateway until SIGTERM or SIGINT, then lets in-flight requests finish (at most
 * cfg->shutdown_timeout_ms) and returns 0. Fails early, with err filled, when a listener, the TLS
 * certificate or the configuration cannot be set up. */
int lg_gateway_run(const lg_config_t *cfg, lg_err_t *err);

#endif
