/* tls.h - the server's TLS context: certificate, key and ALPN (h2, then http/1.1). */
#ifndef LG_TLS_H
#define LG_TLS_H

#include "core/err.h"

#include <openssl/ssl.h>

/* Returns a context serving cert_path (a PEM chain) with key_path, offering h2 and http/1.1 by ALPN,
 * TLS 1.2 and newer; NULL with err filled when a file cannot be loaded or they do not match. */
SSL_CTX *lg_tls_create(const char *cert_path, const char *key_path, lg_err_t *err);

#endif
